/**
 * `npm run e2e`: the README's operator commands against a private moto_server, exactly as an
 * operator types them (`deploy test-aws --emulator --auto-approve`, `plan test-aws --emulator`,
 * `destroy ... --emulator --auto-approve`), plus what only a test does: live probes of every
 * emulator gap, the state-lock and state-loss drills, and terraform's own prevent_destroy refusal
 * on the state stack. See docs/e2e.md.
 *
 * Flags (`--help`): `--no-drills` skips the drills; `--keep` keeps the working directory (it is
 * always kept, and its path printed, when the run fails).
 */
import { spawn } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadEnvironments } from "../../environments";
import { CliSpec, CliValues, runCli } from "../cli";
import { MotoServer, startMoto } from "../moto-server";
import { emulatorVariant, stackRegion } from "../operate/emulator";
import { dependentsOf, missingProviders, OperatorStack, readStacks } from "../operate/stacks";
import { formatTable } from "../stack-summary";
import { PROJECT_ROOT } from "../terraform";
import { lockDrill, stateLossDrill } from "./drills";
import { EmulatorS3 } from "./emulator-s3";
import { checkStateEncryption } from "./state-encryption";
import { EMULATOR_EXCLUSIONS, MEASURED_MOTO_VERSION, ProbeContext } from "./known-gaps";
import { emulatorEnv, Progress, StackDir, StepError, tail } from "./runner";

/** Run every exclusion's probe; fail when the emulator no longer shows a gap. */
async function probeExclusions(ctx: ProbeContext, progress: Progress): Promise<void> {
  for (const exclusion of EMULATOR_EXCLUSIONS) {
    const result = await exclusion.probe(ctx);
    if (!result.stillBroken) {
      throw new StepError("e2e", "probe", `${exclusion.type}: the emulator no longer shows the gap (${result.evidence}); remove it from EMULATOR_EXCLUSIONS in tools/e2e/known-gaps.ts and docs/e2e.md`);
    }
    progress.line("e2e", "probe", `${exclusion.type} still not emulated: ${result.evidence}`);
  }
}

/** Every process below `root`, from /proc (Linux, where CI runs). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process exited while we looked
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Run one operator command with the emulator's environment exactly as `npm run <action>` does
 * (package.json: `sh tools/with-snapshot.sh dist/tools/<action>.js`), minus npm: so e2e also runs
 * the tools started from the dependency snapshot, terraform child processes included.
 */
function operatorCommand(action: "plan" | "deploy" | "destroy", args: string[], env: NodeJS.ProcessEnv, progress: Progress): Promise<void> {
  progress.line("e2e", action, `npm run ${action} -- ${args.join(" ")}`);
  return new Promise((resolveRun, reject) => {
    const child = spawn("sh", ["tools/with-snapshot.sh", `dist/tools/${action}.js`, ...args], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolveRun() : reject(new StepError("e2e", action, `npm run ${action} -- ${args.join(" ")} exited ${code}`))));
  });
}

/** "aws_subnet x6, aws_vpc x1, ...": exactly what the emulator applies, by type. */
function resourceTypes(json: OperatorStack["json"]): string {
  return Object.entries(json.resource ?? {})
    .map(([type, byName]) => `${type} x${Object.keys(byName).length}`)
    .join(", ");
}

/**
 * The drills run on an S3-backed stack the emulator applies in full and that no other stack reads,
 * preferring one that reads no other stack (so the others can be destroyed meanwhile), then the smallest.
 */
function drillTarget(stacks: readonly OperatorStack[]): OperatorStack {
  const size = (s: OperatorStack) => Object.values(s.json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const candidates = stacks.filter((s) => s.json.terraform?.backend?.s3 && emulatorVariant(s).excluded.length === 0 && dependentsOf(s, stacks).length === 0);
  if (candidates.length === 0) throw new Error("no S3-backed stack without dependents to run the drills on");
  const rank = (s: OperatorStack) => s.dependencies.filter((d) => !stacks.find((o) => o.name === d)?.preventDestroy).length * 1000 + size(s);
  return candidates.reduce((best, s) => (rank(s) < rank(best) ? s : best));
}

/** `terraform destroy` on a stack with prevent_destroy resources must be refused, destroying nothing. */
async function expectDestroyRefused(dir: StackDir, progress: Progress): Promise<void> {
  // -refresh=false: the refusal comes from the configuration, and it just passed a full plan.
  const refused = await dir.run("destroy", ["destroy", "-input=false", "-auto-approve", "-refresh=false", "-lock-timeout=30s"], [0, 1]);
  if (refused.code === 0 || !refused.stderr.includes("Instance cannot be destroyed")) {
    throw new StepError(dir.stack, "destroy", `expected prevent_destroy to refuse the destroy, got exit ${refused.code}\n${tail(refused.stderr)}`);
  }
  progress.line(dir.stack, "destroy", "terraform itself refuses too (prevent_destroy), as intended: the bucket holds every stack's state");
}

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "e2e",
  usage: "npm run e2e -- [--no-drills] [--keep]",
  summary: "Run the operator commands (deploy, plan, destroy --emulator) on a private moto_server, with probes and drills (docs/e2e.md).",
  options: {
    drills: { type: "boolean", description: "run the state-lock and state-loss drills", default: true },
    keep: { type: "boolean", description: "keep the working directory (always kept when the run fails)" },
  },
  exitCodes: { 0: "deployed, re-planned clean, drilled and destroyed", 1: "a step failed (the work dir is kept)", 2: "bad arguments" },
} as const satisfies CliSpec;

async function e2e(values: CliValues<typeof SPEC.options>): Promise<number> {
  const { drills, keep } = values;
  const env = loadEnvironments().testAws;
  const environment = `${env.name}-aws`;
  const progress = new Progress();
  const work = mkdtempSync(join(tmpdir(), "e2e-"));
  let moto: MotoServer | undefined;
  let failed = false;
  const phases: (string | number)[][] = [];
  const timed = async (phase: string, body: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    await body();
    phases.push([phase, ((Date.now() - started) / 1000).toFixed(1)]);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    // Our own commands and their terraform children (found by parent pid, never by name) would
    // otherwise keep retrying against the stopped emulator; SIGTERM lets them stop first.
    const below = descendants(process.pid).filter((pid) => pid !== moto?.pid);
    console.error(`\ne2e: ${signal} received, stopping our processes (pids ${below.join(", ") || "-"}) and moto_server (pid ${moto?.pid ?? "-"}); work dir kept: ${work}`);
    for (const pid of below) signalPid(pid, "SIGTERM");
    void (moto?.stop() ?? Promise.resolve())
      .then(() => new Promise((r) => setTimeout(r, 3000)))
      .then(() => {
        for (const pid of descendants(process.pid)) signalPid(pid, "SIGKILL");
        process.exit(signal === "SIGINT" ? 130 : 143);
      });
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => moto?.killNow());

  try {
    moto = await startMoto({ accountId: env.accountId, logFile: join(work, "moto.log") });
    progress.line("e2e", "emulator", `moto_server ${moto.version} pid ${moto.pid} on ${moto.endpoint} (known gaps measured on ${MEASURED_MOTO_VERSION})`);
    if (moto.version !== MEASURED_MOTO_VERSION) {
      progress.line("e2e", "emulator", `WARNING: known drifts were measured on moto ${MEASURED_MOTO_VERSION}; on ${moto.version} none is accepted until re-measured`);
    }
    const s3 = new EmulatorS3(moto.endpoint, env.region);
    await probeExclusions({ endpoint: moto.endpoint, region: env.region, s3 }, progress);

    // The commands see what an operator's shell has after `eval "$(npm run --silent sandbox -- up)"`,
    // with the sandbox folder in the work dir (never the project's .sandbox/).
    const commandEnv: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, SANDBOX_DIR: work };
    await timed("deploy", () => operatorCommand("deploy", [environment, "--emulator", "--auto-approve"], commandEnv, progress));

    const outdir = join(work, "cdktf.out");
    const stacks = readStacks(outdir).filter((s) => s.environment === environment && missingProviders(s).length === 0);
    for (const s of stacks) progress.line(s.name, "applied", resourceTypes(s.json));

    await timed("plan (must be clean)", () => operatorCommand("plan", [environment, "--emulator"], commandEnv, progress));

    await timed("state encryption", async () => {
      const objects = stacks.flatMap((s) => {
        const backend = s.json.terraform?.backend?.s3 as { bucket?: string; key?: string; kms_key_id?: string } | undefined;
        return backend ? [{ stack: s.name, bucket: String(backend.bucket), key: String(backend.key), kmsKeyId: String(backend.kms_key_id) }] : [];
      });
      for (const line of await checkStateEncryption(moto!.endpoint, env.region, objects)) progress.line("e2e", "state", line);
    });

    // The drills need a stack nobody reads, so the others are destroyed meanwhile; the state
    // stack's own terraform refusal is checked alongside.
    // The state stack is the one named <environment>-state; other kept (prevent_destroy) stacks,
    // e.g. the CI identities, are left with the emulator: destroy never takes them.
    const state = stacks.find((s) => s.preventDestroy && s.name === `${environment}-state`);
    const target = drills ? drillTarget(stacks) : undefined;
    const others = stacks.filter((s) => !s.preventDestroy && s !== target).map((s) => s.name);
    const dirOf = (s: OperatorStack) => new StackDir(s.name, s.dir, emulatorEnv(moto!.endpoint, stackRegion(s)));
    const parallel: Promise<void>[] = [];
    if (state) parallel.push(expectDestroyRefused(dirOf(state), progress));
    if (target) {
      parallel.push(
        timed(`drills on ${target.name}`, async () => {
          const dir = dirOf(target);
          const baseline = await dir.planChanges("drill");
          const ctx = { dir, s3, bucket: String(target.json.terraform!.backend!.s3!.bucket), key: String(target.json.terraform!.backend!.s3!.key), baseline, progress };
          await lockDrill(ctx);
          await stateLossDrill(ctx);
        }),
      );
      if (others.length > 0) parallel.push(timed(`destroy ${others.join(" ")}`, () => operatorCommand("destroy", [...others, "--emulator", "--auto-approve"], commandEnv, progress)));
    }
    const settled = await Promise.allSettled(parallel);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failure) throw failure.reason;
    await timed(`destroy ${environment}`, () => operatorCommand("destroy", [environment, "--emulator", "--auto-approve"], commandEnv, progress));
  } catch (error) {
    failed = true;
    console.error(`\ne2e FAILED: ${error instanceof Error ? error.message : error}`);
  } finally {
    await moto?.stop();
    if (moto) progress.line("e2e", "emulator", `moto_server pid ${moto.pid} stopped`);
  }

  console.log("\n" + formatTable(["phase", "s"], phases));
  console.log(`\ne2e ${failed ? "FAILED" : "passed"} in ${progress.elapsedSeconds().toFixed(1)} s`);
  if (failed || keep) console.log(`work dir kept: ${work} (moto log: ${join(work, "moto.log")})`);
  else rmSync(work, { recursive: true, force: true });
  return failed ? 1 : 0;
}

// process.exit, not exitCode: a straggling terraform or SDK socket must not keep CI waiting.
runCli(SPEC, process.argv.slice(2), e2e).then((code) => process.exit(code));
