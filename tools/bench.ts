/**
 * `npm run bench`: wall time and peak RSS of the project's main jobs on this machine, measured
 * with /usr/bin/time over several runs (median wall, max RSS). Prints figures; asserts nothing.
 *
 *   node dist/tools/bench.js [--runs N] [--only synth,unit,integration,validate,cdktf]
 */
import { spawnSync } from "child_process";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { formatTable } from "./stack-summary";
import { PROJECT_ROOT, terraformEnv } from "./terraform";

interface Job {
  readonly name: string;
  readonly command: string[];
  readonly runs: number;
  readonly target: string;
  /** Run once, unmeasured, before the samples (e.g. synth output the job reads). */
  readonly setup?: string[];
}

interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
}

function measure(command: string[]): Sample {
  const result = spawnSync("/usr/bin/time", ["-f", "BENCH %e %M", ...command], {
    cwd: PROJECT_ROOT,
    env: terraformEnv({ CI: "true", FORCE_COLOR: "0" }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stderr.split("\n").reverse().find((l) => l.startsWith("BENCH "));
  if (result.status !== 0 || !line) {
    throw new Error(`${command.join(" ")} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  }
  const [, seconds, kib] = line.split(" ");
  return { seconds: Number(seconds), peakMiB: Number(kib) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function parseArgs(argv: string[]): { runs: number; only?: Set<string> } {
  let runs = 5;
  let only: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${argv[i]}"`);
    } else if (argv[i] === "--only") {
      only = new Set((argv[++i] ?? "").split(","));
    } else {
      throw new Error(`unknown argument "${argv[i]}"; use --runs N or --only synth,unit,integration,validate,cdktf`);
    }
  }
  return { runs, only };
}

function main(): void {
  const { runs, only } = parseArgs(process.argv.slice(2));
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  const jobs: Job[] = [
    { name: "synth", command: ["node", "dist/tools/synth.js", join(out, "synth")], runs, target: "<= 3 s, < 500 MiB" },
    // The estimate reads synth output; setup writes it when the synth job is not selected.
    { name: "cost", command: ["node", "dist/tools/cost.js", "--out", join(out, "synth")], runs, target: "<= 1 s (both environments)", setup: ["node", "dist/tools/synth.js", join(out, "synth")] },
    // The PR cost delta's price: plan-summary with and without --cost on a real (redacted) plan.
    { name: "plan-summary", command: ["node", "dist/tools/plan-summary.js", "__tests__/fixtures/plans/cost/test-aws-egress.json"], runs, target: "(baseline for plan-cost)" },
    { name: "plan-cost", command: ["node", "dist/tools/plan-summary.js", "--cost", "__tests__/fixtures/plans/cost/test-aws-egress.json"], runs, target: "<= plan-summary + 0.5 s" },
    // Reads synth output like cost; an in-process synth would add about a second.
    {
      name: "monitor-test",
      command: ["node", "dist/tools/monitor-test.js", "--out", join(out, "synth"), "--failures"],
      runs,
      target: "<= 1 s (both environments)",
      setup: ["node", "dist/tools/synth.js", join(out, "synth")],
    },
    { name: "unit", command: ["npx", "vitest", "run", "--silent"], runs: Math.min(runs, 3), target: "<= 5 s" },
    { name: "integration", command: ["npx", "vitest", "run", "--silent", "--config", "vitest.integration.mts"], runs: 1, target: "(moto_server)" },
    { name: "validate", command: ["node", "dist/tools/validate.js"], runs: 1, target: "<= 15 s" },
    { name: "cdktf", command: ["npx", "cdktf", "synth", "--output", join(out, "cdktf")], runs: 1, target: "(reference: CLI incl. build)" },
  ];
  const rows: (string | number)[][] = [];
  for (const job of jobs.filter((j) => !only || only.has(j.name))) {
    if (job.setup) measure(job.setup);
    const samples = Array.from({ length: job.runs }, () => measure(job.command));
    const wall = median(samples.map((s) => s.seconds));
    const peak = Math.max(...samples.map((s) => s.peakMiB));
    rows.push([job.name, job.command.join(" ").replace(out, "$TMP"), job.runs, wall.toFixed(2), peak.toFixed(0), job.target]);
    console.error(`measured ${job.name}`);
  }
  console.log(formatTable(["job", "command", "runs", "median s", "peak MiB", "target"], rows));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
