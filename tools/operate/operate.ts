/**
 * The operator commands' engine: `plan`, `deploy` and `destroy` of environments and stacks with
 * plain terraform in each synthesized stack folder (offline provider mirror via terraformEnv()).
 *
 * Why terraform and not cdktf-cli: offline, cdktf-cli's provider lock after init reaches the public
 * registry; it refuses a stack whose dependencies are not selected; without a terminal its
 * approval prompt crashes (Ink raw mode) and its output is spinner frames. Here every stack is
 * `init` + one terraform command with `-json` output, read for counts and errors, so progress is
 * plain lines with or without a terminal; independent stacks run at the same time.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { createInterface } from "readline";
import { checkPlanAgainstKnownDrifts, PlanJson as DriftPlanJson } from "../e2e/plan-check";
import { KNOWN_DRIFTS, MEASURED_MOTO_VERSION } from "../e2e/known-gaps";
import { EmulatorS3 } from "../e2e/emulator-s3";
import { motoVersion } from "../moto-server";
import { resourceChanges, PlanJson, ResourceChangeSummary } from "../review/plan-changes";
import { formatTable } from "../stack-summary";
import { topologicalOrder } from "../stack-order";
import { PROJECT_ROOT, terraform, terraformEnv } from "../terraform";
import { connectEmulator, checkEmulatedEnvironments, Emulator, emulatorVariant, exclusionReason, sandboxDir, sandboxStatePath, stackEnv, stackRegion } from "./emulator";
import { dependentsOf, missingProviders, OperatorStack, selectStacks, TargetError } from "./stacks";

/** The three commands. */
export type Action = "plan" | "deploy" | "destroy";

/** What the command line asked for. */
export interface OperateRequest {
  readonly action: Action;
  readonly names: readonly string[];
  readonly autoApprove: boolean;
  readonly emulator: boolean;
}

/** Where output goes and how approval is asked; tests pass their own. */
export interface OperateIo {
  readonly out: (line: string) => void;
  /** Whether a person can answer a prompt (stdin is a terminal). */
  readonly interactive: boolean;
  /** Ask a yes/no question; only "yes" approves. */
  readonly ask: (question: string) => Promise<string>;
}

/** The app, synthesized into `outdir`, read back with its stacks. */
export type Synthesize = (outdir: string) => OperatorStack[];

/** One stack's outcome, a row of the final table. */
export interface StackOutcome {
  readonly stack: string;
  status: "no changes" | "changes" | "applied" | "destroyed" | "skipped" | "failed" | "kept" | "declined";
  add: number;
  change: number;
  destroy: number;
  seconds: number;
  note: string;
}

/** The docs page for destroying an environment's state stack. */
export const STATE_RUNBOOK = "docs/runbooks/bootstrap.md#removing-an-environment";

const LOCK_TIMEOUT = "-lock-timeout=60s";

/** Progress printer: `[  12.3s] test-aws-network  apply    message`. */
class Progress {
  private readonly started = Date.now();
  constructor(private readonly out: (line: string) => void) {}
  line(stack: string, step: string, message: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    this.out(`[${seconds}s] ${stack.padEnd(22)} ${step.padEnd(8)} ${message}`);
  }
  elapsed(): number {
    return (Date.now() - this.started) / 1000;
  }
}

/** What terraform's `-json` stream said. */
interface JsonStream {
  readonly add: number;
  readonly change: number;
  readonly remove: number;
  readonly errors: string[];
}

function readJsonStream(stdout: string): JsonStream {
  let add = 0;
  let change = 0;
  let remove = 0;
  const errors: string[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type?: string; "@level"?: string; changes?: { add: number; change: number; remove: number }; diagnostic?: { summary: string; detail?: string; address?: string } };
    if (message.type === "change_summary" && message.changes) ({ add, change, remove } = message.changes);
    if (message.type === "diagnostic" && message["@level"] === "error" && message.diagnostic) {
      const d = message.diagnostic;
      errors.push(`${d.address ? `${d.address}: ` : ""}${d.summary}${d.detail ? `: ${d.detail.replace(/\s+/g, " ").trim()}` : ""}`);
    }
  }
  return { add, change, remove, errors };
}

/** A terraform failure, with its first error in words. */
class StackFailure extends Error {}

/** One stack's terraform folder with the right environment and backend settings. */
class StackRunner {
  constructor(
    readonly stack: OperatorStack,
    private readonly env: NodeJS.ProcessEnv,
    private readonly backendArgs: string[],
  ) {}

  async tf(args: string[], allowed: number[] = [0]): Promise<{ code: number; stdout: string; stderr: string }> {
    const result = await terraform([...args, "-no-color"], this.stack.dir, this.env);
    if (!allowed.includes(result.code)) {
      const stream = readJsonStream(result.stdout);
      const first = stream.errors[0] ?? (result.stderr.trim() || result.stdout.trim()).split("\n").filter(Boolean).slice(-3).join(" ");
      throw new StackFailure(`terraform ${args[0]} exited ${result.code}: ${first}`);
    }
    return result;
  }

  init(): Promise<unknown> {
    return this.tf(["init", "-input=false", ...this.backendArgs]);
  }

  /** Managed resources in the current state. */
  async resources(): Promise<string[]> {
    const { code, stdout } = await this.tf(["state", "list"], [0, 1]);
    return code === 0 ? stdout.split("\n").filter((l) => l && !l.startsWith("data.")) : [];
  }

  /**
   * Managed resources in the stack's state, read through a backend-only copy of the stack, so
   * no provider is installed (a stack whose provider is not in the offline mirror can be read).
   */
  async stateResources(): Promise<string[]> {
    const backend = structuredClone(this.stack.json.terraform?.backend ?? {});
    if (backend.local?.path !== undefined) backend.local.path = resolve(this.stack.dir, String(backend.local.path));
    const dir = join(this.stack.dir, ".state-probe");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { backend } }));
    const probe = new StackRunner({ ...this.stack, dir }, this.env, this.backendArgs);
    await probe.init();
    return probe.resources();
  }

  /** Plan into `tfplan`: exit 0 no changes, 2 changes. */
  async plan(destroy = false): Promise<number> {
    const { code } = await this.tf(["plan", "-input=false", LOCK_TIMEOUT, "-detailed-exitcode", "-json", "-out=tfplan", ...(destroy ? ["-destroy"] : [])], [0, 2]);
    return code;
  }

  async showPlan(): Promise<PlanJson> {
    return JSON.parse((await this.tf(["show", "-json", "tfplan"])).stdout) as PlanJson;
  }

  /** Apply the saved plan, or (auto) plan and apply in one process. */
  async apply(saved: boolean): Promise<JsonStream> {
    return readJsonStream((await this.tf(["apply", "-input=false", LOCK_TIMEOUT, "-json", saved ? "tfplan" : "-auto-approve"])).stdout);
  }

  async destroy(): Promise<JsonStream> {
    return readJsonStream((await this.tf(["destroy", "-input=false", LOCK_TIMEOUT, "-json", "-auto-approve"])).stdout);
  }
}

function describeChange(c: ResourceChangeSummary): string {
  const attributes = c.attributes.map((a) => `${a.path}${a.sensitive ? " (sensitive)" : ""}`).join(", ");
  return `${c.kind.padEnd(7)} ${c.address}${attributes ? `  [${attributes}]` : ""}`;
}

function counts(changes: readonly ResourceChangeSummary[]): { add: number; change: number; destroy: number } {
  const n = (kinds: string[]) => changes.filter((c) => kinds.includes(c.kind)).length;
  return { add: n(["create", "replace"]), change: n(["update"]), destroy: n(["delete", "replace"]) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Run one operator command. Returns the exit code: plan 0 no changes / 2 changes; deploy and
 * destroy 0 done; 1 on any failure. Throws TargetError (one line, nothing run) for bad names,
 * a missing emulator, a protected stack or undeployed dependencies.
 */
export async function operate(request: OperateRequest, synthesize: Synthesize, io: OperateIo): Promise<number> {
  const { action, autoApprove } = request;
  if (request.names.length === 0) throw new TargetError(`name at least one environment or stack, e.g. npm run ${action} -- test-aws`);

  // Synthesize and select before touching any emulator: name mistakes surface first. The
  // emulator variant goes to the sandbox folder, so cdktf.out stays what is reviewed.
  const all = synthesize(request.emulator ? join(sandboxDir(), "cdktf.out") : join(PROJECT_ROOT, "cdktf.out"));
  const selection = selectStacks(request.names, all);
  if (action !== "plan" && !autoApprove && !io.interactive) {
    throw new TargetError(`${action} needs approval but stdin is not a terminal; review it with npm run plan -- ${request.names.join(" ")}${request.emulator ? " --emulator" : ""}, then re-run with --auto-approve`);
  }
  let emulator: Emulator | undefined;
  if (request.emulator) {
    checkEmulatedEnvironments(selection.stacks);
    emulator = await connectEmulator();
  }
  const progress = new Progress(io.out);

  // Which stacks run: protected ones are refused when named, skipped when their environment is.
  const outcomes: StackOutcome[] = [];
  const skip = (stack: OperatorStack, note: string) => outcomes.push({ stack: stack.name, status: "skipped", add: 0, change: 0, destroy: 0, seconds: 0, note });
  let run = selection.stacks;
  if (action === "destroy") {
    for (const stack of run.filter((s) => s.preventDestroy)) {
      if (!selection.environments.includes(stack.environment)) {
        throw new TargetError(
          `${stack.name} is never destroyed by this command: its state storage has lifecycle prevent_destroy (it holds every stack's state); to remove the environment for good follow ${STATE_RUNBOOK}`,
        );
      }
    }
    for (const stack of run.filter((s) => s.preventDestroy)) {
      outcomes.push({ stack: stack.name, status: "kept", add: 0, change: 0, destroy: 0, seconds: 0, note: `prevent_destroy: holds every stack's state (${STATE_RUNBOOK})` });
    }
    run = run.filter((s) => !s.preventDestroy);
  }
  if (emulator) {
    for (const stack of run.filter((s) => missingProviders(s).length > 0)) {
      const reason = `the emulator serves AWS only; provider ${missingProviders(stack).join(", ")} is not emulated (covered by synth tests)`;
      if (!selection.environments.includes(stack.environment)) throw new TargetError(`${stack.name} cannot run with --emulator: ${reason}`);
      skip(stack, `not run: ${reason}`);
    }
    run = run.filter((s) => missingProviders(s).length === 0);
  }

  const runners = new Map<string, StackRunner>();
  const runnerFor = (stack: OperatorStack): StackRunner => {
    let runner = runners.get(stack.name);
    if (!runner) {
      const local = Object.keys(stack.json.terraform?.backend ?? {})[0] === "local";
      const backendArgs = emulator && local ? [`-backend-config=path=${sandboxStatePath(emulator, stack)}`] : [];
      runner = new StackRunner(stack, emulator ? stackEnv(emulator, stack) : terraformEnv(), backendArgs);
      runners.set(stack.name, runner);
    }
    return runner;
  };

  if (emulator) {
    mkdirSync(join(emulator.sandboxDir, "state"), { recursive: true });
    for (const stack of run) {
      const { json, excluded } = emulatorVariant(stack);
      writeFileSync(join(stack.dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
      const types = [...new Set(excluded.map((e) => e.type))];
      for (const type of types) {
        progress.line(stack.name, "emulator", `left out ${excluded.filter((e) => e.type === type).length} ${type}: ${exclusionReason(type)} (docs/e2e.md)`);
      }
    }
  }

  // Stacks outside the selection that the selected ones need deployed (or, for destroy, that
  // still read them): checked before anything changes.
  const chosen = new Set(selection.stacks.map((s) => s.name));
  const byName = new Map(all.map((s) => [s.name, s]));
  const outside =
    action === "destroy"
      ? [...new Set(run.flatMap((s) => dependentsOf(s, all)).filter((d) => !chosen.has(d.name)))]
      : [...new Set(run.flatMap((s) => s.dependencies.map((d) => byName.get(d)!)).filter((d) => !chosen.has(d.name)))];
  // Dependencies first: a stack whose own dependency is not deployed is not either, and its
  // backend may not even exist yet, so it is not probed.
  const deployedOutside = new Map<string, boolean | string>();
  for (const name of topologicalOrder(outside.map((s) => s.name), (n) => byName.get(n)?.dependencies ?? [])) {
    const stack = byName.get(name)!;
    if (action !== "destroy" && stack.dependencies.some((d) => deployedOutside.get(d) === false)) {
      deployedOutside.set(name, false);
      continue;
    }
    try {
      deployedOutside.set(name, (await runnerFor(stack).stateResources()).length > 0);
    } catch (error) {
      deployedOutside.set(name, (error as Error).message);
    }
  }
  const flag = request.emulator ? " --emulator" : "";
  const unreadable = (name: string) => (typeof deployedOutside.get(name) === "string" ? ` (its state cannot be read: ${deployedOutside.get(name)})` : "");
  if (action === "destroy") {
    const pairs = run.flatMap((s) => dependentsOf(s, all).filter((d) => deployedOutside.has(d.name) && deployedOutside.get(d.name) !== false).map((d) => [s.name, d.name] as const));
    if (pairs.length > 0) {
      const extra = [...new Set(pairs.map(([, d]) => d))];
      throw new TargetError(
        `${pairs.map(([s, d]) => `${s} is read by ${d}${unreadable(d)}`).join("; ")}, which may still be deployed; destroy it too: npm run destroy -- ${[...extra, ...request.names].join(" ")}${flag}`,
      );
    }
  } else {
    const pairs = run.flatMap((s) => s.dependencies.filter((d) => deployedOutside.has(d) && deployedOutside.get(d) !== true).map((d) => [s.name, d] as const));
    if (pairs.length > 0) {
      const extra = [...new Set(pairs.map(([, d]) => d))];
      throw new TargetError(
        `${pairs.map(([s, d]) => `${s} needs ${d}${unreadable(d)}`).join("; ")}, which is not deployed; include it: npm run ${action} -- ${[...extra, ...request.names].join(" ")}${flag} (or the whole environment: npm run ${action} -- ${[...new Set(run.map((s) => s.environment))].join(" ")}${flag})`,
      );
    }
  }

  const order = (action === "destroy" ? [...run].reverse() : run).map((s) => s.name).join(" -> ");
  progress.line(selection.environments.join(",") || "stacks", action, `${plural(run.length, "stack")}${emulator ? ` on the emulator at ${emulator.endpoint}` : ""}: ${order || "nothing to run"}`);

  const moto = emulator ? motoVersion() : "";
  if (emulator && moto !== MEASURED_MOTO_VERSION) {
    progress.line("emulator", "drifts", `moto ${moto} is running; the known drifts were measured on ${MEASURED_MOTO_VERSION}, so none is accepted`);
  }
  const sequential = action !== "plan" && !autoApprove;
  /** Init once and read whether a stack has resources (plan runs every stack at once on this). */
  const deployedKnown = new Map<string, Promise<boolean>>();
  const knowDeployed = (stack: OperatorStack): Promise<boolean> => {
    if (!deployedKnown.has(stack.name)) {
      const runner = runnerFor(stack);
      deployedKnown.set(stack.name, runner.init().then(async () => (await runner.resources()).length > 0));
    }
    return deployedKnown.get(stack.name)!;
  };
  const done = new Map<string, Promise<StackOutcome>>();
  let previous: Promise<unknown> = Promise.resolve();

  const runStack = async (stack: OperatorStack): Promise<StackOutcome> => {
    const runner = runnerFor(stack);
    const started = Date.now();
    const outcome: StackOutcome = { stack: stack.name, status: "no changes", add: 0, change: 0, destroy: 0, seconds: 0, note: "" };
    const finish = (status: StackOutcome["status"], message: string): StackOutcome => {
      outcome.status = status;
      outcome.seconds = (Date.now() - started) / 1000;
      progress.line(stack.name, action, `${message} (${outcome.seconds.toFixed(1)}s)`);
      return outcome;
    };
    if (action === "plan") {
      await knowDeployed(stack);
      const code = await runner.plan();
      if (code === 0) return finish("no changes", "no changes");
      const plan = await runner.showPlan();
      const changes = resourceChanges(plan);
      Object.assign(outcome, counts(changes));
      if (emulator) {
        const report = checkPlanAgainstKnownDrifts(plan as DriftPlanJson, KNOWN_DRIFTS, moto);
        if (report.unexpected.length === 0) {
          outcome.add = outcome.change = outcome.destroy = 0;
          outcome.note = `${plural(report.known.length, "known emulator drift")} (docs/e2e.md)`;
          for (const line of report.known) progress.line(stack.name, "drift", `known emulator drift: ${line}`);
          return finish("no changes", `no changes except ${outcome.note}`);
        }
      }
      for (const c of changes) progress.line(stack.name, "change", describeChange(c));
      return finish("changes", `${outcome.add} to add, ${outcome.change} to change, ${outcome.destroy} to destroy`);
    }
    if (action === "deploy") {
      await runner.init();
      if (autoApprove) {
        const result = await runner.apply(false);
        Object.assign(outcome, { add: result.add, change: result.change, destroy: result.remove });
        return finish(result.add + result.change + result.remove === 0 ? "no changes" : "applied", `applied: ${result.add} added, ${result.change} changed, ${result.remove} destroyed`);
      }
      return approveAndApply(runner, false, outcome, finish);
    }
    if (!(await knowDeployed(stack))) return finish("no changes", "nothing to destroy: the state is empty");
    if (autoApprove) {
      const result = await runner.destroy();
      outcome.destroy = result.remove;
      return finish("destroyed", `destroyed ${result.remove} resources`);
    }
    return approveAndApply(runner, true, outcome, finish);
  };

  const approveAndApply = async (runner: StackRunner, destroy: boolean, outcome: StackOutcome, finish: (s: StackOutcome["status"], m: string) => StackOutcome): Promise<StackOutcome> => {
    const name = runner.stack.name;
    if ((await runner.plan(destroy)) === 0) return finish("no changes", "no changes");
    const changes = resourceChanges(await runner.showPlan());
    for (const c of changes) progress.line(name, "change", describeChange(c));
    Object.assign(outcome, counts(changes));
    const answer = await io.ask(`${destroy ? "Destroy" : "Apply"} ${outcome.add} to add, ${outcome.change} to change, ${outcome.destroy} to destroy in ${name}? Only "yes" is accepted: `);
    if (answer.trim() !== "yes") return finish("declined", "declined: nothing applied");
    const result = await runner.apply(true);
    return finish(destroy ? "destroyed" : "applied", `${destroy ? "destroyed" : "applied"}: ${result.add} added, ${result.change} changed, ${result.remove} destroyed`);
  };

  // Dependencies first (destroy: dependents first); independent stacks run at the same time,
  // unless each needs a person's approval.
  const waitFor = (stack: OperatorStack): OperatorStack[] => (action === "destroy" ? dependentsOf(stack, run) : run.filter((s) => stack.dependencies.includes(s.name)));
  const bucketReady = new Map<string, Promise<void>>();
  /**
   * On the emulator, a stack kept in the state stack's bucket starts once that bucket is
   * versioned rather than when the whole bootstrap apply ends (the provider waits ~1 min on the
   * bucket's lifecycle rules); the e2e run has always scheduled it so (docs/e2e.md).
   */
  const startsEarly = (stack: OperatorStack, dep: OperatorStack): boolean =>
    emulator !== undefined && action === "deploy" && autoApprove && dep.preventDestroy && dep.dependencies.length === 0 && stack.json.terraform?.backend?.s3?.bucket !== undefined;
  const prerequisite = (stack: OperatorStack, dep: OperatorStack, depDone: Promise<StackOutcome>): Promise<unknown> => {
    const bucket = stack.json.terraform?.backend?.s3?.bucket;
    if (!startsEarly(stack, dep)) return depDone;
    const key = `${dep.name}:${String(bucket)}`;
    if (!bucketReady.has(key)) {
      const client = new EmulatorS3(emulator!.endpoint, stackRegion(dep));
      const versioned = (async () => {
        for (;;) {
          if ((await client.versioning(String(bucket)).catch(() => "")) === "Enabled") return;
          await new Promise((r) => setTimeout(r, 300));
        }
      })();
      bucketReady.set(key, Promise.race([versioned, depDone.then(() => undefined)]));
    }
    return bucketReady.get(key)!;
  };

  const planWhenReadable = async (stack: OperatorStack, deps: OperatorStack[]): Promise<StackOutcome> => {
    const states = await Promise.allSettled(deps.map(knowDeployed));
    const undeployed = deps.filter((_, i) => states[i].status === "rejected" || (states[i] as PromiseFulfilledResult<boolean>).value === false);
    if (undeployed.length > 0) {
      const note = `not planned: reads ${undeployed.map((d) => d.name).join(", ")}, not deployed yet (its plan creates it)`;
      progress.line(stack.name, action, note);
      return { stack: stack.name, status: "changes", add: 0, change: 0, destroy: 0, seconds: 0, note };
    }
    try {
      return await runStack(stack);
    } catch (error) {
      return failure(stack, error);
    }
  };
  const failure = (stack: OperatorStack, error: unknown): StackOutcome => {
    const message = error instanceof Error ? error.message : String(error);
    progress.line(stack.name, action, `FAILED: ${message}`);
    return { stack: stack.name, status: "failed", add: 0, change: 0, destroy: 0, seconds: 0, note: message.slice(0, 200) };
  };

  // Which stacks hold anything is read for all at once, so empty ones never wait their turn.
  if (action === "destroy") for (const stack of run) knowDeployed(stack).catch(() => undefined);
  for (const stack of action === "destroy" ? [...run].reverse() : run) {
    const deps = waitFor(stack);
    if (action === "plan") {
      // Plans only read: every stack plans at once, once the stacks it reads are known to exist.
      done.set(stack.name, planWhenReadable(stack, deps));
      continue;
    }
    const gate = sequential ? previous : Promise.all(deps.map((d) => prerequisite(stack, d, done.get(d.name)!)));
    const promise = gate.then(async () => {
      // A stack started early on its bucket does not wait for the bootstrap apply to end.
      const failed = await Promise.all(deps.filter((d) => !startsEarly(stack, d)).map((d) => done.get(d.name)!));
      const blocked = failed.filter((o) => o.status === "failed" || o.status === "declined" || o.status === "skipped");
      if (blocked.length > 0) {
        const note = `not run: ${blocked.map((o) => o.stack).join(", ")} ${blocked.length === 1 ? "was" : "were"} not ${action === "destroy" ? "destroyed" : "deployed"}`;
        progress.line(stack.name, action, note);
        return { stack: stack.name, status: "skipped", add: 0, change: 0, destroy: 0, seconds: 0, note } as StackOutcome;
      }
      try {
        return await runStack(stack);
      } catch (error) {
        return failure(stack, error);
      }
    });
    done.set(stack.name, promise);
    previous = promise;
  }
  const results = await Promise.all([...done.values()]);
  outcomes.push(...results);

  const rows = [...outcomes].sort((a, b) => selection.stacks.findIndex((s) => s.name === a.stack) - selection.stacks.findIndex((s) => s.name === b.stack));
  io.out("");
  io.out(formatTable(["stack", "result", "add", "change", "destroy", "seconds", "note"], rows.map((o) => [o.stack, o.status, o.add, o.change, o.destroy, o.seconds.toFixed(1), o.note])));
  const failed = outcomes.some((o) => o.status === "failed" || o.status === "declined");
  const changes = outcomes.some((o) => o.status === "changes");
  io.out(`\n${action} ${failed ? "FAILED" : "done"} in ${progress.elapsed().toFixed(1)} s${action === "plan" && !failed ? (changes ? ": changes pending" : ": no changes") : ""}`);
  if (failed) return 1;
  return action === "plan" && changes ? 2 : 0;
}

/** Prompts on the terminal. */
export function terminalIo(): OperateIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    interactive: process.stdin.isTTY === true,
    ask: (question) =>
      new Promise((resolveAnswer) => {
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        rl.question(question, (answer) => {
          rl.close();
          resolveAnswer(answer);
        });
      }),
  };
}
