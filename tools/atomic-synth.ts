/**
 * Synthesis that replaces the output folder whole or not at all.
 *
 * cdktf writes stack by stack and only afterwards runs the app-level validations (the policy
 * packs' report and enforcement), so a failure half-way used to leave some stacks of the new run
 * beside stale ones of an old run; stacks deleted from the code also stayed forever. Here the app
 * synthesizes into a staging folder next to the target (same file system, so the swap is a
 * rename); the target is replaced only after every check passed, and a failure removes the
 * staging folder and leaves the target exactly as it was.
 *
 * What terraform itself keeps in a stack's folder (`.terraform/`, the lock file, local state of a
 * `cdktf deploy`) is moved over for every stack that still exists, so a synth never forces a
 * re-init or loses state; for removed stacks it goes with them.
 */
import { App, AppConfig } from "cdktf";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "fs";
import { basename, dirname, join, resolve } from "path";

/** Entries of a stack folder that terraform, not synth, creates. */
const TERRAFORM_OWNED = /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate\.d|.*\.tfstate(\.backup)?)$/;

/** Thrown when synth failed: the original message, then what happened to the output folder. */
export class SynthFailed extends Error {
  constructor(
    public readonly outdir: string,
    error: unknown,
  ) {
    super(
      `nothing written: ${existsSync(outdir) ? `${outdir} is as the last successful synth left it` : `${outdir} was not created`}:\n` +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
    this.name = "SynthFailed";
  }
}

function carryOverTerraformState(previous: string, next: string): void {
  const stacks = join(previous, "stacks");
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    const target = join(next, "stacks", stack);
    if (!existsSync(target)) continue;
    for (const entry of readdirSync(join(stacks, stack))) {
      if (TERRAFORM_OWNED.test(entry) && !existsSync(join(target, entry))) renameSync(join(stacks, stack, entry), join(target, entry));
    }
  }
}

/**
 * Build an app with `build` and synthesize it into `outdir`, atomically. Returns the App (its
 * outdir is the staging path, gone after the swap: read results from `outdir`).
 *
 * Stack traces are off unless `config` asks for them: capturing one per annotation cost CPU on
 * every synth and wrote this machine's absolute paths into manifest.json, which made the output
 * differ between checkouts for no reason.
 */
export function synthAtomically(outdir: string, build: (app: App) => void, config: Omit<AppConfig, "outdir"> = {}): App {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.staging-`));
  // mkdtemp makes the folder owner-only; the output keeps the permissions a mkdir would give it.
  chmodSync(staging, 0o777 & ~process.umask());
  let app: App;
  try {
    app = new App({ stackTraces: false, ...config, outdir: staging });
    build(app);
    app.synth();
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new SynthFailed(outdir, error);
  }
  const retired = `${staging}.previous`;
  if (existsSync(target)) {
    carryOverTerraformState(target, staging);
    renameSync(target, retired);
  }
  renameSync(staging, target);
  rmSync(retired, { recursive: true, force: true });
  return app;
}
