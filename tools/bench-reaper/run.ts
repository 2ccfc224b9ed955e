/** The body of `npm run bench:reaper` (tools/bench-reaper.ts), loaded after its arguments are parsed. */
import { EC2Client } from "@aws-sdk/client-ec2";
import { unmarkVolume } from "../../lambdas/ebs-reaper/actions";
import { ClientFactory, Credentials, sdkClients } from "../../lambdas/ebs-reaper/clients";
import { mapSettled } from "../../lambdas/ebs-reaper/concurrency";
import { DEFAULT_PRICES, REAPER_DEFAULTS } from "../../lambdas/ebs-reaper/config";
import { PAGE_SIZE } from "../../lambdas/ebs-reaper/discovery";
import { runFailed, runReaper } from "../../lambdas/ebs-reaper/reaper";
import { RunLog, VolumeResult } from "../../lambdas/ebs-reaper/report";
import { createVolumes, memberCredentials } from "../ebs-reaper-fixtures";
import { startMoto } from "../moto-server";
import { formatTable } from "../stack-summary";
import { CliValues, wholeNumber } from "../cli";
import type { SPEC } from "../bench-reaper";

const OWN = "123456789012";
const MEMBER = "210987654321";
const REGIONS = ["eu-west-1", "us-east-1"];
const ROLE = "ebs-reaper-member";

/** Clients that count every API call by operation, optionally delaying each by `latencyMs`. */
function countingClients(endpoint: string, counts: Map<string, number>, latencyMs: number): ClientFactory {
  const real = sdkClients(endpoint);
  // Typed loosely on purpose: EC2 and STS clients have different middleware input types.
  const count = <C extends { middlewareStack: { add(middleware: any, options: any): void } }>(client: C): C => {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const name = String(context.commandName).replace(/Command$/, "");
        counts.set(name, (counts.get(name) ?? 0) + 1);
        if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
        return next(args);
      },
      { step: "initialize", name: "countCalls" },
    );
    return client;
  };
  return {
    ec2: (region, credentials) => count(real.ec2(region, credentials)),
    sts: (region, credentials) => count(real.sts(region, credentials)),
    sns: (region) => real.sns(region),
  };
}

/** How many account-regions and volumes at once. */
interface Parallelism {
  readonly concurrency: number;
  readonly volumeConcurrency: number;
}

const SEQUENTIAL: Parallelism = { concurrency: 1, volumeConcurrency: 1 };
const PARALLEL: Parallelism = { concurrency: REAPER_DEFAULTS.concurrency, volumeConcurrency: REAPER_DEFAULTS.volumeConcurrency };

async function timedScan(endpoint: string, parallelism: Parallelism, dryRun: boolean, latencyMs: number) {
  const counts = new Map<string, number>();
  const started = process.hrtime.bigint();
  const report = await runReaper({
    mode: "scan",
    dryRun,
    ...parallelism,
    settings: { accounts: [OWN, MEMBER], regions: REGIONS, roleName: ROLE, graceDays: 7, prices: DEFAULT_PRICES, defaultRecipient: "platform" },
    clients: countingClients(endpoint, counts, latencyMs),
    log: new RunLog(() => undefined, { mode: "scan", dryRun }),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (runFailed(report)) throw new Error(`scan failed: ${JSON.stringify(report.failures)}`);
  const calls = [...counts.values()].reduce((a, b) => a + b, 0);
  return { ms, calls, counts, volumes: report.results.length, results: report.results };
}

/** Remove the marks a real scan set, so the next real scan starts from the same state (untimed). */
async function unmarkAll(endpoint: string, results: readonly VolumeResult[], credentialsOf: (account: string) => Credentials | undefined): Promise<void> {
  const clients = new Map<string, EC2Client>();
  const outcomes = await mapSettled(results, 16, (r) => {
    const key = `${r.accountId}/${r.region}`;
    if (!clients.has(key)) {
      const credentials = credentialsOf(r.accountId);
      clients.set(key, new EC2Client({ region: r.region, endpoint, ...(credentials ? { credentials } : {}) }));
    }
    return unmarkVolume(clients.get(key)!, r.volumeId);
  });
  for (const o of outcomes) if (!o.ok) throw o.error;
}


/** Seed, scan each way, print the table. */
export async function bench(values: CliValues<typeof SPEC.options>): Promise<number> {
  const total = wholeNumber("volumes", values.volumes, 4);
  const latencyMs = wholeNumber("latency-ms", values["latency-ms"]);
  const perTarget = Math.floor(total / 4);

  const moto = await startMoto();
  const stop = () => moto.stop();
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" });
    const member = await memberCredentials(moto.endpoint, MEMBER, ROLE);
    const seedStarted = Date.now();
    for (const [account, credentials] of [[OWN, undefined], [MEMBER, member]] as const) {
      for (const region of REGIONS) {
        const ec2 = new EC2Client({ region, endpoint: moto.endpoint, ...(credentials ? { credentials } : {}) });
        await createVolumes(ec2, region, perTarget, { owner: `team-${account.slice(-2)}` });
      }
    }
    console.log(`seeded ${perTarget * 4} volumes (${perTarget} per account-region) on ${moto.endpoint} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    // Warm-up: the first requests to moto load its EC2 backend; keep that out of every figure.
    await timedScan(moto.endpoint, PARALLEL, true, 0);
    const sequentialDry = await timedScan(moto.endpoint, SEQUENTIAL, true, latencyMs);
    const parallelDry = await timedScan(moto.endpoint, PARALLEL, true, latencyMs);
    const sequentialReal = await timedScan(moto.endpoint, SEQUENTIAL, false, latencyMs);
    await unmarkAll(moto.endpoint, sequentialReal.results, (account) => (account === MEMBER ? member : undefined));
    const parallelReal = await timedScan(moto.endpoint, PARALLEL, false, latencyMs);

    const realPages = 4 * Math.ceil(perTarget / PAGE_SIZE);
    const row = (name: string, r: Awaited<ReturnType<typeof timedScan>>) => [
      name,
      r.volumes,
      (r.ms / 1000).toFixed(2),
      r.calls,
      r.counts.get("DescribeVolumes") ?? 0,
      [...r.counts.entries()].map(([k, v]) => `${k} ${v}`).join(", "),
    ];
    console.log(
      formatTable(
        ["scan", "volumes", "wall s", "API calls", "DescribeVolumes", "calls by operation"],
        [
          row("sequential baseline, dry run", sequentialDry),
          row("parallel, dry run", parallelDry),
          row("sequential baseline, marking every volume", sequentialReal),
          row("parallel, marking every volume", parallelReal),
        ],
      ),
    );
    console.log(
      `\nparallel = ${PARALLEL.concurrency} account-regions x ${PARALLEL.volumeConcurrency} volumes at a time; sequential = 1 x 1; added latency per call: ${latencyMs} ms` +
        `\nspeed-up over the sequential baseline: dry run ${(sequentialDry.ms / parallelDry.ms).toFixed(2)}x, marking scan ${(sequentialReal.ms / parallelReal.ms).toFixed(2)}x` +
        `\nDescribeVolumes pages for ${perTarget} unattached volumes per account-region on real EC2 (MaxResults ${PAGE_SIZE}): ` +
        `${realPages} (ceil(${perTarget}/${PAGE_SIZE}) x 4), plus 4 one-page queries for re-attached marked volumes; moto returns one page each.`,
    );
  } finally {
    await stop();
  }
  return 0;
}

