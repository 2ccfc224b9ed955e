/**
 * `npm run synth`: check every environment's config, build every stack, run every check (construct
 * validations, workload consistency, policy packs), and only then replace cdktf.out as a whole
 * (tools/atomic-synth.ts). Prints a summary (stack, backend key, resource count). A config mistake
 * is reported as `<file>: <field> <problem> (got <value>)`, every one at once, before any
 * construct runs; after any failure cdktf.out is exactly as the last successful synth left it.
 */
import { resolve } from "path";
import { CONFIG_DIR_ENV } from "../environments/config-dir";
import type { Environments } from "../environments";
import { CliIo, CliSpec, processIo, runCli } from "./cli";
import { leanCdktf } from "./lean-cdktf";
import { formatTable, summarizeStacks } from "./stack-summary";

const DEFAULT_OUTDIR = "cdktf.out";

/** The command line of `npm run synth`. */
export const SYNTH_CLI = {
  name: "synth",
  usage: "npm run --silent synth -- [options] [outdir]",
  summary:
    "Check the config of every environment, synthesize every stack and run every check; replace the output folder only when all passed.",
  options: {
    "config-dir": {
      type: "string",
      valueName: "DIR",
      description: `read test-aws.ts and prod-azure.ts from DIR instead of environments/ (also ${CONFIG_DIR_ENV})`,
    },
  },
  positionals: [{ name: "outdir", description: `where the stacks go (default: ${DEFAULT_OUTDIR})`, optional: true }],
  env: { [CONFIG_DIR_ENV]: "same as --config-dir; the option wins" },
  exitCodes: { 0: "synthesized, outdir replaced", 1: "a config mistake or a failed check; nothing written", 2: "bad command line" },
  examples: ["npm run --silent synth", `${CONFIG_DIR_ENV}=/tmp/try npm run --silent synth -- /tmp/try/cdktf.out`],
} as const satisfies CliSpec;

/** Run synth with `argv` (what follows `npm run synth --`); returns the exit code. */
export function runSynth(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(SYNTH_CLI, argv, async (values, positionals) => {
    const outdir = resolve(positionals[0] ?? DEFAULT_OUTDIR);
    const started = process.hrtime.bigint();
    // Loaded here, not at the top: --help and usage errors answer without loading cdktf.
    leanCdktf();
    // zod compiles a parser per object schema on first use; synth parses each config once, so
    // interpreting is cheaper (config check 50 -> 25 ms).
    (await import("zod")).config({ jitless: true });
    const { loadEnvironments } = await import("../environments");
    const { SynthFailed, synthAtomically } = await import("./atomic-synth");
    // Config first: its mistakes are reported before any construct runs.
    let environments: Environments;
    try {
      environments = loadEnvironments(values["config-dir"] ?? process.env[CONFIG_DIR_ENV]);
    } catch (error) {
      throw new SynthFailed(outdir, error);
    }
    const { buildApp } = await import("../main");
    synthAtomically(outdir, (app) => buildApp(app, environments));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const stacks = summarizeStacks(outdir);
    io.stdout(
      formatTable(
        ["stack", "backend", "resources", "data", "outputs"],
        stacks.map((s) => [s.stack, s.backend, s.resources, s.dataSources, s.outputs]),
      ),
    );
    const resources = stacks.reduce((sum, s) => sum + s.resources, 0);
    io.stdout(`\n${stacks.length} stacks, ${resources} resources synthesized into ${outdir} in ${elapsedMs.toFixed(0)} ms`);
    const { readReport, summaryLine } = await import("../constructs/policy/report");
    const policy = readReport(outdir);
    io.stdout(policy ? `policy: ${summaryLine(policy)}` : "policy: no report written (policy packs not applied)");
    return 0;
  }, io);
}

if (require.main === module) {
  runSynth(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
