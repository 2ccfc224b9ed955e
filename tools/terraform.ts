import { spawn } from "child_process";
import { existsSync } from "fs";
import { dirname, join } from "path";

/** The nearest folder above this file holding package.json: works from tools/ and dist/tools/. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** Project root. */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** Providers present in the offline mirror at /opt/tf-plugins. */
export const OFFLINE_PROVIDERS = new Set(["aws"]);

/**
 * Environment for every terraform call: the repo's own CLI config (offline mirror only) and no
 * telemetry. No TF_PLUGIN_CACHE_DIR: the mirror is unpacked, so init links the provider straight
 * from it, while a shared cache is not safe for concurrent inits (parallel stacks failed with
 * "failed to create directory .../.terraform-plugin-cache/...: file exists").
 */
export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { TF_PLUGIN_CACHE_DIR: _inherited, ...inherited } = process.env;
  return {
    ...inherited,
    TF_CLI_CONFIG_FILE: join(PROJECT_ROOT, "terraform", "cli.tfrc"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ...extra,
  };
}

/** Result of one terraform invocation. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run terraform in `cwd`, capturing output. Never throws on a non-zero exit: callers decide. */
export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv = terraformEnv()): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("terraform", args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

/** Run `worker` over `items` with at most `limit` in flight, keeping input order in the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]);
    }
  });
  await Promise.all(runners);
  return results;
}
