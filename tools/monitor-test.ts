/**
 * `npm run --silent monitor-test -- [--format table|json] [--out DIR]`
 *
 * Proves every synthesized Datadog monitor of both environments fires on the failure it is named
 * after and stays quiet when healthy, offline: each monitor is evaluated against emulated agent
 * data (tools/monitor-test/) and the seed's incidents run as drills. It reads cdktf.out (synth
 * takes seconds, the evaluation well under one) and synthesizes in-process instead when cdktf.out
 * is missing or older than the sources. Exit 1 when any row fails or a monitor has no scenario.
 * It is not Datadog: docs/observability.md says what the evaluator models and what it does not.
 */
import { statSync } from "fs";
import { join, resolve } from "path";
import { CliSpec, main } from "./cli";
import { newestSource, readSynthesized, Row, runMonitorTests, SynthesizedStacks, targetsFrom } from "./monitor-test/run";
import { formatTable } from "./stack-summary";
import { PROJECT_ROOT } from "./terraform";

/** The command line. */
export const MONITOR_TEST_CLI = {
  name: "monitor-test",
  usage: "npm run --silent monitor-test -- [--format table|json]",
  summary:
    "Evaluate every synthesized datadog_monitor of both environments against a healthy scenario, the failure it is named after and the seed's incident drills, offline. Rows: stack, monitor, scenario, expected, got, pass.",
  options: {
    format: { type: "string", description: "output format: a table, or JSON rows {stack, monitor, scenario, expected, got, pass}", choices: ["table", "json"], default: "table" },
    out: { type: "string", description: "synth output to read; synthesized in-process when missing or older than the sources", valueName: "DIR", default: "cdktf.out" },
    failures: { type: "boolean", description: "print only failing rows (and the summary line) in the table", default: false },
  },
  exitCodes: { 0: "every row passed", 1: "a row failed, a monitor has no scenario, or the config is bad", 2: "bad command line" },
  examples: ["npm run --silent monitor-test", "npm run --silent monitor-test -- --format json"],
} as const satisfies CliSpec;

/** Render rows and return the exit code. */
export function report(rows: readonly Row[], format: string, write: (text: string) => void, failuresOnly = false): number {
  const failed = rows.filter((r) => !r.pass);
  if (format === "json") {
    write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    const shown = failuresOnly ? failed : rows;
    if (shown.length > 0) write(`${formatTable(["stack", "monitor", "scenario", "expected", "got", "pass"], shown.map((r) => [r.stack, r.monitor, r.scenario, r.expected, r.got, r.pass ? "yes" : "NO"]))}\n\n`);
    write(`monitor-test: ${rows.length - failed.length} of ${rows.length} rows passed${failed.length > 0 ? `; failing: ${failed.map((r) => `${r.monitor} (${r.scenario})`).join("; ")}` : ""}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

/** cdktf.out when it is newer than every source synth reads; otherwise an in-process synth. */
export function synthesized(out: string, note: (text: string) => void): SynthesizedStacks {
  const dir = resolve(out);
  const stacks = readSynthesized(dir);
  if (stacks && statSync(join(dir, "manifest.json")).mtimeMs >= newestSource(PROJECT_ROOT)) return stacks;
  note(`monitor-test: ${stacks ? `${out} is older than the sources` : `no synth output in ${out}`}; synthesizing in-process (run \`npm run synth\` first for the fast path)`);
  // Loaded only on this path: cdktf and the providers are most of the tool's start-up.
  const { synthesizeStacks } = require("./monitor-test/synthesize") as typeof import("./monitor-test/synthesize");
  return synthesizeStacks();
}

if (require.main === module) {
  main(MONITOR_TEST_CLI, (values) => {
    const stacks = synthesized(values.out, (text) => process.stderr.write(`${text}\n`));
    return report(runMonitorTests(targetsFrom(stacks)), values.format, (text) => process.stdout.write(text), values.failures);
  });
}
