import { spawn } from "child_process";
import { EmulatorS3 } from "./emulator-s3";
import { creates, PlanOutcome, Progress, sameChanges, StackDir, StepError, tail } from "./runner";

/** What a drill needs: an applied, S3-backed stack and the emulator's S3. */
export interface DrillContext {
  readonly dir: StackDir;
  readonly s3: EmulatorS3;
  readonly bucket: string;
  /** The stack's state object key. */
  readonly key: string;
  /** The stack's plan right after apply (empty, or only known emulator drifts): what "clean" means. */
  readonly baseline: PlanOutcome;
  readonly progress: Progress;
}

const LOCK_ERROR = "Error acquiring the state lock";
const PROMPT = "Enter a value:";

/**
 * Resource types whose import id is an attribute of the resource, for the import drill; the
 * first type present in the stack's state is used.
 */
const IMPORT_ID_ATTRIBUTE: Record<string, string> = {
  aws_ecr_repository: "name",
  aws_iam_role: "name",
  aws_cloudwatch_log_group: "name",
  aws_vpc: "id",
  aws_kms_key: "id",
};

function fail(ctx: DrillContext, step: string, message: string): never {
  throw new StepError(ctx.dir.stack, step, message);
}

/**
 * Lock drill: a real `terraform apply` holds the lock while it waits at its approval prompt; a
 * second `plan -lock-timeout=0s` must fail with terraform's lock error while `<key>.tflock` exists
 * in S3; after the first apply is answered "no", the lock object is gone and the same plan works.
 */
export async function lockDrill(ctx: DrillContext): Promise<void> {
  const lockKey = `${ctx.key}.tflock`;
  // -refresh=false: the holder only has to reach its prompt, which it does with the lock held.
  const holder = spawn("terraform", ["apply", "-input=true", "-refresh=false", "-no-color", "-lock-timeout=0s"], {
    cwd: ctx.dir.dir,
    env: { ...ctx.dir.env, TF_INPUT: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  holder.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  holder.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((resolveExit) => holder.on("close", (code) => resolveExit(code ?? 1)));
  try {
    const deadline = Date.now() + 120000;
    while (!output.includes(PROMPT)) {
      if (holder.exitCode !== null) fail(ctx, "lock", `the lock-holding apply exited early:\n${tail(output)}`);
      if (Date.now() > deadline) fail(ctx, "lock", `the lock-holding apply never reached its prompt:\n${tail(output)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!(await ctx.s3.exists(ctx.bucket, lockKey))) fail(ctx, "lock", `apply is waiting at its prompt but s3://${ctx.bucket}/${lockKey} does not exist`);
    ctx.progress.line(ctx.dir.stack, "lock", `apply (pid ${holder.pid}) waits at its prompt holding the lock; s3://${ctx.bucket}/${lockKey} exists`);

    const second = await ctx.dir.run("lock", ["plan", "-input=false", "-lock-timeout=0s"], [0, 1, 2]);
    if (second.code !== 1 || !second.stderr.includes(LOCK_ERROR)) {
      fail(ctx, "lock", `a second plan while the lock is held should fail with "${LOCK_ERROR}", got exit ${second.code}:\n${tail(second.stderr || second.stdout)}`);
    }
    const who = /Who:\s+(.*)/.exec(second.stderr)?.[1]?.trim();
    ctx.progress.line(ctx.dir.stack, "lock", `second plan -lock-timeout=0s refused: "${LOCK_ERROR}" (holder ${who ?? "?"})`);
  } finally {
    holder.stdin.end("no\n");
  }
  const code = await exited;
  if (!output.includes("Apply cancelled")) fail(ctx, "lock", `the holder apply was answered "no" but did not cancel (exit ${code}):\n${tail(output)}`);
  if (await ctx.s3.exists(ctx.bucket, lockKey)) fail(ctx, "lock", `s3://${ctx.bucket}/${lockKey} still exists after the holder cancelled`);
  ctx.progress.line(ctx.dir.stack, "lock", `holder answered "no" and exited; ${lockKey} is gone`);
  // Taking the lock is what is tested here, so no refresh: the state-loss drill compares full plans.
  const after = await ctx.dir.run("lock", ["plan", "-input=false", "-refresh=false", "-lock-timeout=0s", "-detailed-exitcode"], [0, 2]);
  ctx.progress.line(ctx.dir.stack, "lock", `plan -lock-timeout=0s after the release takes the lock and succeeds (exit ${after.code})`);
}

/** Plan and require exactly the post-apply plan: nothing to do beyond the known emulator drifts. */
async function expectBaseline(ctx: DrillContext, step: string, what: string): Promise<void> {
  const outcome = await ctx.dir.planChanges(step, ["-lock-timeout=0s"]);
  if (!sameChanges(outcome, ctx.baseline)) {
    fail(ctx, step, `${what} should equal the post-apply plan (${describe(ctx.baseline)}), got ${describe(outcome)}`);
  }
  ctx.progress.line(ctx.dir.stack, step, `${what}: exit ${outcome.code}, same as right after apply (${describe(outcome)})`);
}

function describe(outcome: PlanOutcome): string {
  if (outcome.changes.size === 0) return "no changes";
  return `${outcome.changes.size} change(s) from known emulator drifts: ${[...outcome.changes].map(([a, action]) => `${action} ${a}`).join(", ")}`;
}

/**
 * State-loss drill on the stack's state object: delete it (leaving a delete marker, as a careless
 * `aws s3 rm` does) and see `plan` want to create every resource; `terraform import` one resource
 * into the now empty state and see the plan create one fewer; then restore the last good version
 * by copying it back over the object, and see the plan return to its post-apply state.
 */
export async function stateLossDrill(ctx: DrillContext): Promise<void> {
  const managed = await ctx.dir.stateList();
  const good = (await ctx.s3.versions(ctx.bucket, ctx.key)).find((v) => v.isLatest && !v.deleteMarker);
  if (!good) fail(ctx, "loss", `no current version of s3://${ctx.bucket}/${ctx.key}`);
  // `state pull` reads the raw state without starting the provider.
  const state = JSON.parse((await ctx.dir.run("loss", ["state", "pull"])).stdout) as {
    resources?: { mode: string; type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[];
  };

  await ctx.s3.delete(ctx.bucket, ctx.key);
  const marker = (await ctx.s3.versions(ctx.bucket, ctx.key)).find((v) => v.isLatest && v.deleteMarker);
  if (!marker) fail(ctx, "loss", "deleting the state object did not leave a delete marker: is bucket versioning on?");
  const lost = creates(await ctx.dir.planChanges("loss"));
  if (lost.length !== managed.length) fail(ctx, "loss", `with the state deleted, plan should create all ${managed.length} resources, it creates ${lost.length}`);
  ctx.progress.line(ctx.dir.stack, "loss", `state object deleted (delete marker ${marker.versionId}): plan wants to create all ${lost.length} resources`);

  const target = (state.resources ?? []).find((r) => r.mode === "managed" && IMPORT_ID_ATTRIBUTE[r.type] !== undefined && r.instances.length === 1);
  if (!target) fail(ctx, "import", `no resource of an importable type (${Object.keys(IMPORT_ID_ATTRIBUTE).join(", ")}) in the state`);
  const address = `${target.type}.${target.name}`;
  const importId = String(target.instances[0].attributes[IMPORT_ID_ATTRIBUTE[target.type]]);
  await ctx.dir.run("import", ["import", "-input=false", "-lock-timeout=30s", address, importId]);
  const imported = await ctx.dir.stateList();
  if (imported.length !== 1 || imported[0] !== address) fail(ctx, "import", `after import the state should hold only ${address}, it holds ${imported.join(", ") || "nothing"}`);
  const partial = creates(await ctx.dir.planChanges("import"));
  if (partial.includes(address) || partial.length !== managed.length - 1) {
    fail(ctx, "import", `after importing ${address} plan should create the other ${managed.length - 1} resources, it creates ${partial.length}`);
  }
  ctx.progress.line(ctx.dir.stack, "import", `terraform import ${address} ${importId} into the empty state: plan now creates ${partial.length}, not ${managed.length}`);

  await ctx.s3.copyVersion(ctx.bucket, ctx.key, good.versionId);
  const restored = await ctx.dir.stateList();
  if (restored.length !== managed.length) fail(ctx, "restore", `the restored state lists ${restored.length} resources, expected ${managed.length}`);
  ctx.progress.line(ctx.dir.stack, "restore", `version ${good.versionId} copied back over the object: ${restored.length} resources in state again`);
  await expectBaseline(ctx, "restore", "plan after restore");
}
