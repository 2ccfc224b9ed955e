/**
 * `npm run bench`: wall time, CPU time (user + sys) and peak RSS of the project's main jobs on this
 * machine, each measured with /usr/bin/time over several runs (medians, max RSS), with its floor
 * beside it: what the same job cannot go below (`node -e 0`, writing the same JSON, loading the aws
 * provider's schema once). Prints figures and whether each target is met; asserts nothing.
 * CPU time is the steadier figure on a shared machine: wall time includes waiting for a core.
 *
 *   npm run bench -- [--runs N] [--only synth,tools,unit,validate,...]
 *   npm run bench -- --only env-up,env-down     (opt-in: the test environment on moto, in that order)
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { availableParallelism, tmpdir } from "os";
import { join } from "path";
import { CliSpec, CliValues, main as runMain, wholeNumber } from "./cli";
import { formatTable } from "./stack-summary";
import { PROJECT_ROOT, terraform, terraformEnv } from "./terraform";

interface Job {
  readonly name: string;
  readonly command: string[];
  readonly runs: number;
  readonly target: string;
  /** Met when the median wall time is at most this many seconds (and peak RSS at most maxMiB). */
  readonly maxSeconds?: number;
  readonly maxMiB?: number;
  /** Run once, unmeasured, before the samples (e.g. synth output the job reads). */
  readonly setup?: string[];
  /** Run unmeasured before every sample (e.g. emptying a cache, to measure a cold start). */
  readonly beforeEach?: string[];
  /** The same job's irreducible part, measured the same way. */
  readonly floor?: { readonly label: string; readonly command: string[] };
  /** Only measured when named in --only (slow, or needs moto_server). */
  readonly optIn?: boolean;
}

interface Sample {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMiB: number;
}

function measure(command: string[], extraEnv: Record<string, string> = {}): Sample {
  const result = spawnSync("/usr/bin/time", ["-f", "BENCH %e %U %S %M", ...command], {
    cwd: PROJECT_ROOT,
    env: terraformEnv({ CI: "true", FORCE_COLOR: "0", ...extraEnv }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stderr.split("\n").reverse().find((l) => l.startsWith("BENCH "));
  if (result.status !== 0 || !line) {
    throw new Error(`${command.join(" ")} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  }
  const [, seconds, user, sys, kib] = line.split(" ");
  return { seconds: Number(seconds), cpuSeconds: Number(user) + Number(sys), peakMiB: Number(kib) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What no unit run can go below: vitest starting, a worker loading cdktf, one small synth. */
const UNIT_FLOOR = { label: "vitest start-up, cdktf loaded, one small synth (__tests__/setup.test.ts)", command: ["npm", "run", "--silent", "unit", "--", "__tests__/setup.test.ts", "--silent"] };

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "bench",
  usage: "npm run bench -- [--runs N] [--only job,job]",
  summary: "Median wall and CPU time and peak RSS of synth, every tool's start-up, the unit tests and validate, each beside its floor and target.",
  options: {
    runs: { type: "string", valueName: "N", description: "samples per job (unit takes at most 3, validate and integration 1-2)", default: "5" },
    only: { type: "string", valueName: "job,job", description: "only these jobs, e.g. synth,tools,unit,validate" },
  },
  exitCodes: { 0: "measured (targets missed are reported, not failed)", 1: "a job failed", 2: "bad arguments" },
} as const satisfies CliSpec;

/** Scripts shaped "node tools/build.mjs dist/tools/<x>.js" (or `sh tools/with-snapshot.sh …`): every tool, as users start it. */
function toolScripts(): string[] {
  const scripts = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
  return Object.entries(scripts)
    .filter(([, command]) => /^(node tools\/build\.mjs|sh tools\/with-snapshot\.sh) dist\/tools\/\S+\.js$/.test(command))
    .map(([name]) => name)
    .sort();
}

/** A node script that writes every file of `source` to `target`: the JSON-writing part of synth. */
function writeFloorScript(out: string): string {
  const script = join(out, "write-floor.js");
  writeFileSync(
    script,
    `const fs = require("fs"), path = require("path");
const [source, target] = process.argv.slice(2);
const files = [];
(function walk(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); e.isDirectory() ? walk(p) : files.push([path.relative(source, p), fs.readFileSync(p)]); } })(source);
fs.rmSync(target, { recursive: true, force: true });
for (const [rel, data] of files) { fs.mkdirSync(path.dirname(path.join(target, rel)), { recursive: true }); fs.writeFileSync(path.join(target, rel), data); }
`,
  );
  return script;
}

/** A root module that only needs the aws provider: validating it is the schema load, nothing else. */
async function providerSchemaFloor(out: string): Promise<string> {
  const dir = join(out, "schema-floor");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } }, provider: { aws: { region: "eu-west-1" } }, data: { aws_partition: { p: {} } } }));
  const init = await terraform(["init", "-backend=false", "-input=false", "-no-color"], dir);
  if (init.code !== 0) throw new Error(`terraform init for the validate floor failed: ${init.stderr}`);
  return dir;
}

async function bench(values: CliValues<typeof SPEC.options>): Promise<number> {
  const runs = wholeNumber("runs", values.runs, 1);
  const only = values.only === undefined ? undefined : new Set(values.only.split(","));
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  const floorScript = writeFloorScript(out);
  const schemaFloor = await providerSchemaFloor(out);
  // Every tool as users start it (npm run, transpile check, --help): the fixed cost of each call.
  const tools: Job[] = toolScripts().map((tool) => ({
    name: `start ${tool}`,
    command: ["npm", "run", "--silent", tool, "--", "--help"],
    runs: Math.min(runs, 3),
    target: "<= 0.5 s",
    maxSeconds: 0.5,
    floor: { label: "npm run build: npm, node, transpile check", command: ["npm", "run", "--silent", "build"] },
  }));
  const jobs: Job[] = [
    {
      name: "synth",
      command: ["npm", "run", "--silent", "synth", "--", join(out, "synth")],
      runs,
      target: "<= 1.0 s, < 250 MiB (13 stacks)",
      maxSeconds: 1,
      maxMiB: 250,
      floor: { label: "node + write the same JSON", command: ["node", floorScript, join(out, "synth"), join(out, "floor-copy")] },
    },
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
    // The unit suite as a developer reruns it (vitest's transform cache filled by the setup run),
    // and as a fresh clone or CI first runs it (cache emptied before every sample).
    {
      name: "unit",
      command: ["npm", "run", "--silent", "unit", "--", "--silent"],
      runs: Math.min(runs, 3),
      target: "<= 5 s",
      maxSeconds: 5,
      setup: ["npm", "run", "--silent", "unit", "--", "--silent"],
      floor: UNIT_FLOOR,
    },
    {
      name: "unit-cold",
      command: ["npm", "run", "--silent", "unit", "--", "--silent"],
      runs: Math.min(runs, 2),
      target: "(fresh clone: no transform cache)",
      // vitest's transform cache and the unit run's own (tools/vitest-native-ts.cjs, tools/vitest-cjs-shims.mjs).
      beforeEach: ["sh", "-c", "npx vitest --clearCache >/dev/null && rm -rf node_modules/.cache/vitest-native-ts node_modules/.cache/vitest-cjs-shims"],
      floor: UNIT_FLOOR,
    },
    { name: "integration", command: ["npm", "run", "--silent", "integration", "--", "--silent"], runs: 1, target: "(tests that start processes: moto_server, npm, python, node)" },
    {
      name: "validate",
      command: ["npm", "run", "--silent", "validate", "--", "--all"],
      runs: Math.min(runs, 2),
      target: "<= 6 s (every AWS stack)",
      maxSeconds: 6,
      floor: { label: "aws provider schema load", command: ["terraform", `-chdir=${schemaFloor}`, "validate", "-no-color"] },
    },
    { name: "validate-unchanged", command: ["npm", "run", "--silent", "validate"], runs: Math.min(runs, 2), target: "(no stack changed: synth + hashes)" },
    { name: "cdktf", command: ["npx", "cdktf", "synth", "--output", join(out, "cdktf")], runs: 1, target: "(reference: CLI incl. build)" },
    // The operator commands on a private sandbox (opt-in: --only env-up,env-down, in that order).
    {
      name: "env-up",
      command: ["bash", "-c", 'eval "$(node dist/tools/sandbox.js up)" && node dist/tools/deploy.js test-aws --emulator --auto-approve'],
      runs: 1,
      target: "<= 90 s (sandbox up + deploy test-aws --emulator)",
      maxSeconds: 90,
      optIn: true,
    },
    {
      name: "env-down",
      command: ["bash", "-c", 'eval "$(node dist/tools/sandbox.js status)" && node dist/tools/destroy.js test-aws --emulator --auto-approve; s=$?; node dist/tools/sandbox.js down >/dev/null; exit $s'],
      runs: 1,
      target: "<= 60 s (destroy test-aws --emulator, sandbox down)",
      maxSeconds: 60,
      optIn: true,
    },
  ];
  const sandboxEnv = { SANDBOX_DIR: join(out, "sandbox") };
  const selected = [...jobs, ...tools].filter((j) => (!only && !("optIn" in j && j.optIn)) || only?.has(j.name) || (only?.has("tools") && j.name.startsWith("start ")));
  const floors = new Map<string, Sample>();
  const rows: (string | number)[][] = [];
  for (const job of selected) {
    if (job.setup) measure(job.setup);
    const samples = Array.from({ length: job.runs }, () => {
      if (job.beforeEach) measure(job.beforeEach);
      return measure(job.command, sandboxEnv);
    });
    const wall = median(samples.map((s) => s.seconds));
    const cpu = median(samples.map((s) => s.cpuSeconds));
    const peak = Math.max(...samples.map((s) => s.peakMiB));
    let floor = "";
    if (job.floor) {
      const key = job.floor.command.join(" ");
      if (!floors.has(key)) {
        const floorSamples = Array.from({ length: Math.max(3, job.runs) }, () => measure(job.floor!.command));
        floors.set(key, { seconds: median(floorSamples.map((f) => f.seconds)), cpuSeconds: median(floorSamples.map((f) => f.cpuSeconds)), peakMiB: 0 });
      }
      const f = floors.get(key)!;
      floor = `${f.seconds.toFixed(2)} s / ${f.cpuSeconds.toFixed(2)} s CPU (${job.floor.label})`;
    }
    const met =
      job.maxSeconds === undefined
        ? ""
        : wall <= job.maxSeconds && (job.maxMiB === undefined || peak < job.maxMiB)
          ? "yes"
          : `no; CPU ${cpu <= job.maxSeconds ? "within" : "over"} target`;
    rows.push([job.name, job.runs, wall.toFixed(2), cpu.toFixed(2), peak.toFixed(0), floor, job.target, met]);
    console.error(`measured ${job.name}`);
  }
  rmSync(out, { recursive: true, force: true });
  console.log(formatTable(["job", "runs", "median wall s", "median CPU s", "peak MiB", "floor (wall / CPU)", "target", "met"], rows));
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`\nload average during the run: ${load} on ${availableParallelism()} cores; wall times on a busy machine include waiting for a core`);
  return 0;
}

if (require.main === module) runMain(SPEC, bench);
