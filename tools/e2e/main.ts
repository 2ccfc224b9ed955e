/**
 * `npm run e2e`: apply, re-plan and destroy the AWS test stacks against moto_server, plus the
 * state-lock and state-loss drills. See docs/e2e.md.
 *
 * Flags (`--help`): `--no-drills` skips the drills; `--keep` keeps the working directory (it is
 * always kept, and its path printed, when the run fails).
 */
import { App } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadEnvironments } from "../../environments";
import { buildApp } from "../../main";
import { CliSpec, CliValues, runCli } from "../cli";
import { formatTable } from "../stack-summary";
import { OFFLINE_PROVIDERS } from "../terraform";
import { lockDrill, stateLossDrill } from "./drills";
import { EmulatorS3 } from "./emulator-s3";
import { applyOrder, backendType, excludeResourceTypes, ExcludedResource, readSynthesizedStacks, remoteStateKeys, StackJson } from "./emulator-stacks";
import { EMULATOR_EXCLUSIONS, MEASURED_MOTO_VERSION, ProbeContext } from "./known-gaps";
import { MotoServer, startMoto } from "../moto-server";
import { emulatorEnv, PlanOutcome, Progress, StackDir, StepError, tail } from "./runner";

const PHASES = ["init", "apply", "plan", "destroy"] as const;
type Phase = (typeof PHASES)[number];

interface StackRun {
  readonly name: string;
  readonly json: StackJson;
  readonly excluded: ExcludedResource[];
  readonly dir: StackDir;
  readonly seconds: Partial<Record<Phase, number>>;
  /** The plan right after apply. */
  baseline?: PlanOutcome;
  result: string;
}

async function timed<T>(run: StackRun, phase: Phase, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await body();
  } finally {
    run.seconds[phase] = (Date.now() - started) / 1000;
  }
}

function hasPreventDestroy(json: StackJson): boolean {
  return Object.values(json.resource ?? {}).some((byName) =>
    Object.values(byName).some((body) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true),
  );
}

/** "aws_subnet x6, aws_vpc x1, ...": exactly what an apply creates, by type. */
function resourceTypes(json: StackJson): string {
  return Object.entries(json.resource ?? {})
    .map(([type, byName]) => `${type} x${Object.keys(byName).length}`)
    .join(", ");
}

function resourceCount(json: StackJson): number {
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/** Run every exclusion's probe; fail when the emulator no longer shows a gap. */
async function probeExclusions(ctx: ProbeContext, progress: Progress): Promise<Map<string, string>> {
  const evidence = new Map<string, string>();
  for (const exclusion of EMULATOR_EXCLUSIONS) {
    const result = await exclusion.probe(ctx);
    if (!result.stillBroken) {
      throw new StepError("e2e", "probe", `${exclusion.type}: the emulator no longer shows the gap (${result.evidence}); remove it from EMULATOR_EXCLUSIONS in tools/e2e/known-gaps.ts and docs/e2e.md`);
    }
    progress.line("e2e", "probe", `${exclusion.type} still not emulated: ${result.evidence}`);
    evidence.set(exclusion.type, result.evidence);
  }
  return evidence;
}

/** Direct child processes of `parent`, from /proc (Linux, where CI runs). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent) pids.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return pids;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function excludedNote(run: StackRun): string {
  return run.excluded.length > 0 ? `; ${run.excluded.length} excluded, validate only` : "";
}

/** `terraform destroy` on a stack with prevent_destroy resources must be refused, destroying nothing. */
async function expectDestroyRefused(run: StackRun, progress: Progress): Promise<void> {
  // -refresh=false: the refusal comes from the configuration, and it just passed a full plan.
  const refused = await timed(run, "destroy", () => run.dir.run("destroy", ["destroy", "-input=false", "-auto-approve", "-refresh=false", "-lock-timeout=30s"], [0, 1]));
  if (refused.code === 0 || !refused.stderr.includes("Instance cannot be destroyed")) {
    throw new StepError(run.name, "destroy", `expected prevent_destroy to refuse the destroy, got exit ${refused.code}\n${tail(refused.stderr)}`);
  }
  run.result = `applied, clean, destroy refused (prevent_destroy)${excludedNote(run)}`;
  progress.line(run.name, "destroy", `refused by prevent_destroy, as intended: the bucket holds every stack's state ${run.seconds.destroy?.toFixed(1)}s`);
}

/**
 * The drills run on an S3-backed stack the emulator applies in full and that no other stack reads,
 * preferring one that reads no other stack either (it finishes early, so the drills overlap the
 * rest of the run), then the smallest.
 */
function drillTarget(runs: readonly StackRun[], producers: Map<string, StackRun[]>, dependents: (run: StackRun) => StackRun[]): StackRun {
  const candidates = runs.filter((r) => backendType(r.json) === "s3" && r.excluded.length === 0 && dependents(r).length === 0);
  if (candidates.length === 0) throw new Error("no S3-backed stack without dependents to run the drills on");
  const rank = (r: StackRun) => producers.get(r.name)!.length * 1000 + resourceCount(r.json);
  return candidates.reduce((best, r) => (rank(r) < rank(best) ? r : best));
}

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "e2e",
  usage: "npm run e2e -- [--no-drills] [--keep]",
  summary: "Apply, re-plan, drill and destroy the AWS test stacks on a private moto_server (docs/e2e.md).",
  options: {
    drills: { type: "boolean", description: "run the state-lock and state-loss drills", default: true },
    keep: { type: "boolean", description: "keep the working directory (always kept when the run fails)" },
  },
  exitCodes: { 0: "every stack applied, re-planned clean and destroyed", 1: "a step failed (the work dir is kept)", 2: "bad arguments" },
} as const satisfies CliSpec;

async function e2e(values: CliValues<typeof SPEC.options>): Promise<number> {
  const { drills, keep } = values;
  const env = loadEnvironments().testAws;
  const progress = new Progress();
  const work = mkdtempSync(join(tmpdir(), "e2e-"));
  let moto: MotoServer | undefined;
  let failed = false;
  const runs: StackRun[] = [];
  const drillRows: (string | number)[][] = [];

  const onSignal = (signal: NodeJS.Signals) => {
    // Our own terraform children (found by parent pid, never by name) would otherwise keep
    // retrying against the stopped emulator; SIGTERM lets them stop their provider first.
    const terraforms = childPids(process.pid).filter((pid) => pid !== moto?.pid);
    console.error(`\ne2e: ${signal} received, stopping terraform (pids ${terraforms.join(", ") || "-"}) and moto_server (pid ${moto?.pid ?? "-"}); work dir kept: ${work}`);
    for (const pid of terraforms) signalPid(pid, "SIGTERM");
    void (moto?.stop() ?? Promise.resolve())
      .then(() => new Promise((r) => setTimeout(r, 3000)))
      .then(() => {
        for (const pid of childPids(process.pid)) signalPid(pid, "SIGKILL");
        process.exit(signal === "SIGINT" ? 130 : 143);
      });
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => moto?.killNow());

  try {
    const outdir = join(work, "cdktf.out");
    const app = new App({ outdir });
    buildApp(app);
    app.synth();
    const prefix = `${env.name}-aws-`;
    const stacks = readSynthesizedStacks(outdir).filter((s) => s.name.startsWith(prefix));
    const offline = stacks.filter((s) => Object.keys(s.json.terraform?.required_providers ?? {}).every((p) => OFFLINE_PROVIDERS.has(p)));
    for (const s of stacks.filter((s) => !offline.includes(s))) {
      const missing = Object.keys(s.json.terraform?.required_providers ?? {}).filter((p) => !OFFLINE_PROVIDERS.has(p));
      progress.line(s.name, "synth", `NOT applied: provider ${missing.join(", ")} is not in the offline mirror (covered by its synth tests)`);
    }
    const order = applyOrder(offline);
    progress.line("e2e", "synth", `${order.length} stacks in apply order: ${order.join(" -> ")} (work dir ${work})`);

    moto = await startMoto({ accountId: env.accountId, logFile: join(work, "moto.log") });
    progress.line("e2e", "emulator", `moto_server ${moto.version} pid ${moto.pid} on ${moto.endpoint} (known gaps measured on ${MEASURED_MOTO_VERSION})`);
    if (moto.version !== MEASURED_MOTO_VERSION) {
      progress.line("e2e", "emulator", `WARNING: known drifts were measured on moto ${MEASURED_MOTO_VERSION}; on ${moto.version} none is accepted until re-measured`);
    }
    const tfEnv = emulatorEnv(moto.endpoint, env.region);
    const s3 = new EmulatorS3(moto.endpoint, env.region);
    await probeExclusions({ endpoint: moto.endpoint, region: env.region, s3 }, progress);

    for (const name of order) {
      const synthesized = offline.find((s) => s.name === name)!;
      const { json, excluded } = excludeResourceTypes(synthesized.json, EMULATOR_EXCLUSIONS.map((u) => u.type));
      // Terraform runs in the stack's own synth folder (a temp copy of cdktf.out), so relative
      // asset paths such as Lambda bundles resolve; only cdk.tf.json is replaced by the variant.
      const dir = synthesized.dir!;
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
      runs.push({ name, json, excluded, dir: new StackDir(name, dir, tfEnv), seconds: {}, result: "" });
      for (const e of excluded) {
        const gap = EMULATOR_EXCLUSIONS.find((u) => u.type === e.type)!;
        const edges = e.droppedDependsOn.length > 0 ? `; its depends_on edge from ${e.droppedDependsOn.join(", ")} is dropped` : "";
        progress.line(name, "exclude", `${e.address}: ${gap.why}${edges}. Covered by npm run validate and unit tests instead`);
      }
    }

    const bucket = env.state.bucketName;
    // S3-backed stacks start as soon as the bootstrap stack has made the bucket versioned, not
    // when its whole apply ends: the provider waits ~1 min on the bucket's lifecycle rules.
    const bucketReady = waitFor(async () => (await s3.versioning(bucket).catch(() => "")) === "Enabled", 180000, `versioned state bucket ${bucket}`);

    // Which runs each run reads remote state from; the S3-backed ones also need the bucket.
    const producers = new Map(runs.map((run) => [run.name, remoteStateKeys(run.json).map((key) => runs.find((r) => r.json.terraform?.backend?.s3?.key === key)!)]));
    const dependents = (run: StackRun) => runs.filter((r) => producers.get(r.name)!.includes(run));
    const target = drills ? drillTarget(runs, producers, dependents) : undefined;

    const runDrills = async (run: StackRun): Promise<void> => {
      progress.line(run.name, "drill", `lock and state-loss drills on ${run.name} (no other stack reads its state, so they run alongside the others)`);
      const ctx = { dir: run.dir, s3, bucket, key: String(run.json.terraform!.backend!.s3!.key), baseline: run.baseline!, progress };
      const lockStarted = Date.now();
      await lockDrill(ctx);
      drillRows.push(["lock drill", run.name, ((Date.now() - lockStarted) / 1000).toFixed(1), "passed"]);
      const lossStarted = Date.now();
      await stateLossDrill(ctx);
      drillRows.push(["state-loss drill", run.name, ((Date.now() - lossStarted) / 1000).toFixed(1), "passed"]);
    };

    const apply = async (run: StackRun, deps: Promise<void>[]): Promise<void> => {
      await Promise.all(deps);
      const backend = backendType(run.json);
      // The bootstrap stack's local state goes to the work dir, never to the real .bootstrap-state/.
      const backendArgs = backend === "local" ? [`-backend-config=path=${join(work, `${run.name}.tfstate`)}`] : [];
      await timed(run, "init", () => run.dir.run("init", ["init", "-input=false", ...backendArgs]));
      progress.line(run.name, "init", `ok (${backend} backend) ${run.seconds.init?.toFixed(1)}s`);
      await timed(run, "apply", () => run.dir.run("apply", ["apply", "-input=false", "-auto-approve", "-lock-timeout=30s"]));
      progress.line(run.name, "apply", `ok: ${resourceCount(run.json)} resources ${run.seconds.apply?.toFixed(1)}s: ${resourceTypes(run.json)}`);
    };

    const check = async (run: StackRun, applied: Promise<void>): Promise<void> => {
      await applied;
      const report = await timed(run, "plan", () => run.dir.planIsClean("plan", moto!.version));
      run.baseline = report;
      for (const line of report.known) progress.line(run.name, "plan", `known emulator drift: ${line}`);
      if (report.consequences.length > 0) progress.line(run.name, "plan", `follows from those drifts: ${report.consequences.join(", ")}`);
      progress.line(run.name, "plan", `clean${report.known.length > 0 ? ` except ${report.known.length} known emulator drift(s)` : ""} ${run.seconds.plan?.toFixed(1)}s`);
      // A protected stack is never destroyed, so checking the refusal now, off the critical path,
      // tests the same thing as checking it last.
      if (hasPreventDestroy(run.json)) await expectDestroyRefused(run, progress);
      if (run === target) await runDrills(run);
    };

    const destroy = async (run: StackRun, after: Promise<void>[]): Promise<void> => {
      await Promise.all(after);
      if (hasPreventDestroy(run.json)) {
        progress.line(run.name, "destroy", "left in place: its destroy was refused by prevent_destroy (checked after its plan)");
        return;
      }
      await timed(run, "destroy", () => run.dir.run("destroy", ["destroy", "-input=false", "-auto-approve", "-lock-timeout=30s"]));
      const left = await run.dir.stateList();
      if (left.length > 0) throw new StepError(run.name, "destroy", `state still lists ${left.join(", ")}`);
      run.result = `applied, clean, destroyed${excludedNote(run)}`;
      progress.line(run.name, "destroy", `ok, state empty ${run.seconds.destroy?.toFixed(1)}s`);
    };

    // Every pipeline is awaited (allSettled), so no terraform is still running when the emulator stops.
    const settle = async (promises: Iterable<Promise<void>>): Promise<void> => {
      const failure = (await Promise.allSettled(promises)).find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failure) throw failure.reason;
    };

    // A stack starts once the stacks it reads are applied; their post-apply plans (read-only)
    // and the drills run alongside, off the critical path.
    const applied = new Map<string, Promise<void>>();
    const checked = new Map<string, Promise<void>>();
    for (const run of runs) {
      const deps = producers.get(run.name)!.map((p) => applied.get(p.name)!);
      if (backendType(run.json) === "s3") deps.push(bucketReady);
      const done = apply(run, deps);
      applied.set(run.name, done);
      checked.set(run.name, check(run, done));
    }

    // Destroy in reverse dependency order: a stack goes once its own plan check (and drills) passed
    // and every stack reading its state is gone, without waiting for unrelated stacks.
    const destroyed = new Map<string, Promise<void>>();
    for (const run of [...runs].reverse()) {
      destroyed.set(run.name, destroy(run, [checked.get(run.name)!, ...dependents(run).map((d) => destroyed.get(d.name)!)]));
    }
    await settle([...applied.values(), ...checked.values(), ...destroyed.values()]);
  } catch (error) {
    failed = true;
    console.error(`\ne2e FAILED: ${error instanceof Error ? error.message : error}`);
  } finally {
    await moto?.stop();
    if (moto) progress.line("e2e", "emulator", `moto_server pid ${moto.pid} stopped`);
  }

  const fmt = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(1));
  console.log("\n" + formatTable(
    ["stack", "applied resources", "init s", "apply s", "plan s", "destroy s", "result"],
    runs.map((r) => [r.name, resourceCount(r.json), fmt(r.seconds.init), fmt(r.seconds.apply), fmt(r.seconds.plan), fmt(r.seconds.destroy), r.result || (failed ? "FAILED / not reached" : "")]),
  ));
  if (drillRows.length > 0) console.log("\n" + formatTable(["drill", "stack", "s", "result"], drillRows));
  console.log(`\ne2e ${failed ? "FAILED" : "passed"} in ${progress.elapsedSeconds().toFixed(1)} s`);
  if (failed || keep) console.log(`work dir kept: ${work} (moto log: ${join(work, "moto.log")})`);
  else rmSync(work, { recursive: true, force: true });
  return failed ? 1 : 0;
}

// process.exit, not exitCode: a straggling terraform or SDK socket must not keep CI waiting.
runCli(SPEC, process.argv.slice(2), e2e).then((code) => process.exit(code));
