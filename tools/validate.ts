/**
 * `npm run validate`: real `terraform validate` of every synthesized stack whose providers are all
 * in the offline mirror (the AWS stacks). Stacks needing other providers are listed as not
 * validated, with the reason, instead of being skipped silently.
 *
 * Fast because the aws provider's schema (3-4 s to load) is loaded once: the stacks to check
 * become modules of one temporary root module, initialized and validated in one go. `terraform
 * init` (0.8 s) runs only when that root module's set of stacks or the toolchain changed since the
 * last init, or when validate says the root module needs it. A stack whose files hash the same as
 * at its last valid run (same terraform, same CLI config) is not validated again; `--all` ignores
 * that record. `terraform version` runs while synth does. Never flaky: one init at a time (a lock
 * on the work folder) and no shared plugin cache (init links the provider from the unpacked mirror).
 */
import { createHash } from "crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { join, relative } from "path";
import { CliSpec, runCli } from "./cli";
import { formatTable } from "./stack-summary";
import { OFFLINE_PROVIDERS, PROJECT_ROOT, terraform, terraformEnv } from "./terraform";

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "validate",
  usage: "npm run validate -- [--all]",
  summary: "Synthesize, then run terraform validate on every stack whose providers are in the offline mirror.",
  options: {
    all: { type: "boolean", description: "validate every stack, also those unchanged since their last valid run" },
  },
  exitCodes: { 0: "every checkable stack is valid", 1: "a stack is invalid, synth failed, or no stack could be validated", 2: "bad arguments" },
} as const satisfies CliSpec;

const WORK = join(PROJECT_ROOT, ".validate");
const RECORD = join(WORK, "valid.json");
/** What the root module was last initialized for: its modules and the toolchain. */
const INIT_RECORD = join(WORK, "init.json");
const LOCK = join(WORK, "lock");
/** How long to wait for another validate of this checkout before giving up. */
const LOCK_WAIT_MS = 300_000;

interface Outcome {
  readonly stack: string;
  readonly status: "valid" | "unchanged" | "INVALID" | "not validated";
  readonly detail: string;
}

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { filename?: string; start?: { line: number } };
}

/** Everything validate's answer depends on for one stack: its files, terraform and the CLI config. */
function fingerprint(stackDir: string, toolchain: string): string {
  const hash = createHash("sha256").update(toolchain);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".terraform")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${relative(stackDir, path)}\0`).update(readFileSync(path));
    }
  };
  walk(stackDir);
  return hash.digest("hex");
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function readRecord(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(RECORD, "utf8"));
  } catch {
    return {};
  }
}

/** mkdir is atomic: the first validate of this checkout holds the work folder, others wait. */
async function withLock<T>(body: () => Promise<T>): Promise<T> {
  mkdirSync(WORK, { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = lockHolder();
      if (holder && !isAlive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`${LOCK} is held by pid ${holder}; wait for it or remove the folder if that process is gone`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The pid in the lock, or 0 while its holder has not written it yet. */
function lockHolder(): number {
  try {
    return Number(readFileSync(join(LOCK, "pid"), "utf8")) || 0;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Diagnostics by which terraform says the root module needs `terraform init` first. */
const NEEDS_INIT = /not installed|init required|terraform init|inconsistent dependency lock file|required plugins are not installed|there is no package for|\.terraform\/providers/i;

/** One root module calling each stack as a module; backends dropped (never initialized here). */
async function validateTogether(stacks: { name: string; dir: string }[], toolchain: string): Promise<{ byStack: Map<string, Diagnostic[]>; initRan: boolean } | string> {
  const root = join(WORK, "root");
  const modules: Record<string, { source: string }> = {};
  for (const stack of stacks) {
    const target = join(root, stack.name);
    rmSync(target, { recursive: true, force: true });
    // The whole stack folder: assets (the reaper's zip) are referenced by relative path.
    cpSync(stack.dir, target, { recursive: true, filter: (source) => !source.includes(".terraform") });
    const file = join(target, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    delete json.terraform?.backend;
    writeFileSync(file, JSON.stringify(json, null, 2));
    modules[stack.name] = { source: `./${stack.name}` };
  }
  // Stacks of an earlier run that are not checked now leave the root module.
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith(".") && !(entry.name in modules)) rmSync(join(root, entry.name), { recursive: true, force: true });
  }
  writeFileSync(join(root, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
  const env = terraformEnv();
  const initFor = JSON.stringify({ modules: Object.keys(modules).sort(), toolchain });
  const init = async (): Promise<string | undefined> => {
    rmSync(INIT_RECORD, { force: true });
    const result = await terraform(["init", "-backend=false", "-input=false", "-no-color"], root, env);
    if (result.code !== 0) return `terraform init failed: ${result.stderr || result.stdout}`;
    writeFileSync(INIT_RECORD, initFor);
    return undefined;
  };
  const initialized = existsSync(join(root, ".terraform.lock.hcl")) && existsSync(join(root, ".terraform", "modules", "modules.json")) && readText(INIT_RECORD) === initFor;
  if (!initialized) {
    const failed = await init();
    if (failed) return failed;
  }
  const validateRoot = async (): Promise<{ valid?: boolean; diagnostics?: Diagnostic[] } | string> => {
    const result = await terraform(["validate", "-json", "-no-color"], root, env);
    try {
      return JSON.parse(result.stdout);
    } catch {
      return `terraform validate printed no report: ${result.stderr || result.stdout}`;
    }
  };
  let initRan = !initialized;
  let report = await validateRoot();
  // Skipped init, but terraform wants it (a module or provider folder went missing): init, once more.
  if (initialized && (typeof report === "string" || report.diagnostics?.some((d) => NEEDS_INIT.test(`${d.summary} ${d.detail ?? ""}`)))) {
    const failed = await init();
    if (failed) return failed;
    initRan = true;
    report = await validateRoot();
  }
  if (typeof report === "string") return report;
  const byStack = new Map<string, Diagnostic[]>(stacks.map((s) => [s.name, []]));
  for (const d of report.diagnostics ?? []) {
    const stack = byStack.get(d.range?.filename?.split("/")[0] ?? "");
    // A diagnostic no file explains counts against every stack: none is recorded valid by mistake.
    if (stack) stack.push(d);
    else for (const list of byStack.values()) list.push(d);
  }
  return { byStack, initRan };
}

async function validate(all: boolean): Promise<number> {
  const outdir = join(PROJECT_ROOT, "cdktf.out");
  // Loaded here, not at the top: --help and usage errors answer without loading cdktf.
  const { loadEnvironments } = await import("../environments");
  const { buildApp } = await import("../main");
  const { synthAtomically } = await import("./atomic-synth");
  // Started first: terraform answers while synth runs.
  const versionRun = terraform(["version", "-json"], PROJECT_ROOT, terraformEnv());
  // Awaited below; a synth failure first must not leave its rejection (no terraform on PATH) unhandled.
  versionRun.catch(() => undefined);
  synthAtomically(outdir, (app) => buildApp(app, loadEnvironments()));
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  const version = await versionRun;
  const toolchain = `${JSON.parse(version.stdout || "{}").terraform_version}\n${readFileSync(join(PROJECT_ROOT, "terraform", "cli.tfrc"), "utf8")}`;

  return withLock(async () => {
    const record = all ? {} : readRecord();
    const outcomes = new Map<string, Outcome>();
    const toCheck: { name: string; dir: string; hash: string }[] = [];
    for (const [stack, entry] of Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b))) {
      const dir = join(outdir, entry.workingDirectory);
      const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
      const missing = Object.keys(json.terraform?.required_providers ?? {}).filter((p) => !OFFLINE_PROVIDERS.has(p));
      if (missing.length > 0) {
        outcomes.set(stack, { stack, status: "not validated", detail: `provider ${missing.join(", ")} not in the offline mirror; covered by synth assertions` });
        continue;
      }
      const hash = fingerprint(dir, toolchain);
      if (record[stack] === hash) outcomes.set(stack, { stack, status: "unchanged", detail: "same files as its last valid run (--all to check anyway)" });
      else toCheck.push({ name: stack, dir, hash });
    }
    const started = Date.now();
    let initNote = "";
    if (toCheck.length > 0) {
      const result = await validateTogether(toCheck, toolchain);
      if (typeof result === "string") {
        for (const s of toCheck) outcomes.set(s.name, { stack: s.name, status: "INVALID", detail: result });
      } else {
        initNote = result.initRan ? ", terraform init run" : ", terraform init reused";
        for (const s of toCheck) {
          const diagnostics = result.byStack.get(s.name) ?? [];
          const errors = diagnostics.filter((d) => d.severity === "error");
          if (errors.length === 0) record[s.name] = s.hash;
          else delete record[s.name];
          outcomes.set(s.name, {
            stack: s.name,
            status: errors.length === 0 ? "valid" : "INVALID",
            detail: errors.length === 0 ? `${diagnostics.length} warnings` : errors.map((d) => `${d.range?.filename ? `${d.range.filename}:${d.range.start?.line ?? 0}: ` : ""}${d.address ?? ""} ${d.summary}: ${d.detail ?? ""}`.trim()).join("\n"),
          });
        }
      }
      writeFileSync(RECORD, JSON.stringify(record, null, 2));
    }
    const rows = [...outcomes.values()].sort((a, b) => a.stack.localeCompare(b.stack));
    console.log(formatTable(["stack", "terraform validate", "detail"], rows.map((o) => [o.stack, o.status, o.detail.split("\n")[0]])));
    const invalid = rows.filter((o) => o.status === "INVALID");
    for (const o of invalid) console.error(`\n${o.stack}:\n${o.detail}`);
    const valid = rows.filter((o) => o.status === "valid" || o.status === "unchanged").length;
    console.log(
      `\nvalidate: ${valid} valid (${toCheck.length} checked together in ${((Date.now() - started) / 1000).toFixed(1)} s${initNote}, ${valid - (toCheck.length - invalid.length)} unchanged since their last valid run), ` +
        `${invalid.length} invalid, ${rows.length - valid - invalid.length} not validated (provider not available offline)`,
    );
    return invalid.length > 0 || valid === 0 ? 1 : 0;
  });
}

if (require.main === module) {
  runCli(SPEC, process.argv.slice(2), (values) => validate(values.all)).then((code) => {
    process.exitCode = code;
  });
}
