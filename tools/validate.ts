/**
 * `npm run validate`: run real `terraform validate` on every synthesized stack whose providers are
 * all in the offline mirror (the AWS stacks). Stacks needing other providers are listed as not
 * validated, with the reason, instead of being skipped silently.
 */
import { cpSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { buildApp } from "../main";
import { synthAtomically } from "./atomic-synth";
import { formatTable } from "./stack-summary";
import { mapLimit, OFFLINE_PROVIDERS, PROJECT_ROOT, terraform } from "./terraform";

interface Outcome {
  readonly stack: string;
  readonly status: "valid" | "INVALID" | "not validated";
  readonly detail: string;
  readonly ms: number;
}

async function validateStack(stack: string, stackDir: string, workRoot: string): Promise<Outcome> {
  const started = Date.now();
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  const providers = Object.keys(json.terraform?.required_providers ?? {});
  const missing = providers.filter((p) => !OFFLINE_PROVIDERS.has(p));
  if (missing.length > 0) {
    return { stack, status: "not validated", detail: `provider ${missing.join(", ")} not in the offline mirror; covered by synth assertions`, ms: 0 };
  }
  const dir = join(workRoot, stack);
  // The whole stack folder: assets (the reaper's zip) are referenced by relative path.
  cpSync(stackDir, dir, { recursive: true, filter: (source) => !source.includes(".terraform") });
  const init = await terraform(["init", "-backend=false", "-input=false", "-no-color"], dir);
  if (init.code !== 0) return { stack, status: "INVALID", detail: `init failed: ${init.stderr || init.stdout}`, ms: Date.now() - started };
  const result = await terraform(["validate", "-json", "-no-color"], dir);
  const report = JSON.parse(result.stdout || "{}") as { valid?: boolean; diagnostics?: { severity: string; summary: string; detail?: string; address?: string }[] };
  const problems = (report.diagnostics ?? []).filter((d) => d.severity === "error");
  const detail = report.valid
    ? `${(report.diagnostics ?? []).length} warnings`
    : problems.map((d) => `${d.address ?? ""} ${d.summary}: ${d.detail ?? ""}`.trim()).join("\n") || result.stderr;
  return { stack, status: report.valid ? "valid" : "INVALID", detail, ms: Date.now() - started };
}

async function main(): Promise<void> {
  const outdir = join(PROJECT_ROOT, "cdktf.out");
  synthAtomically(outdir, (app) => buildApp(app));
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  const workRoot = join(PROJECT_ROOT, ".validate");
  rmSync(workRoot, { recursive: true, force: true });
  const outcomes = await mapLimit(Object.entries(manifest.stacks), 2, ([stack, entry]) =>
    validateStack(stack, join(outdir, entry.workingDirectory), workRoot),
  );
  console.log(formatTable(["stack", "terraform validate", "ms", "detail"], outcomes.map((o) => [o.stack, o.status, o.ms, o.detail.split("\n")[0]])));
  const invalid = outcomes.filter((o) => o.status === "INVALID");
  for (const o of invalid) console.error(`\n${o.stack}:\n${o.detail}`);
  const validated = outcomes.filter((o) => o.status === "valid").length;
  console.log(`\nvalidate: ${validated} valid, ${invalid.length} invalid, ${outcomes.length - validated - invalid.length} not validated (provider not available offline)`);
  if (invalid.length > 0 || validated === 0) process.exit(1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
