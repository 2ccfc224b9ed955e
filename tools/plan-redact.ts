/**
 * `npm run --silent plan-redact -- <plan.json>`: print the plan with every sensitive value replaced
 * by "(sensitive)" (logic and what counts as sensitive: tools/plan-redaction.ts). CI uploads only
 * this output; the unredacted plan JSON and the binary plan never leave the job that made them.
 */
import { readFileSync } from "fs";
import { CliIo, CliSpec, processIo, runCli } from "./cli";
import { NotAPlanError, REDACTED, redactPlan } from "./plan-redaction";

export const SPEC = {
  name: "plan-redact",
  usage: "npm run --silent plan-redact -- <plan.json>",
  summary: [
    `Prints the plan JSON (the output of "terraform show -json <planfile>") with every sensitive value`,
    `replaced by "${REDACTED}": values terraform marks sensitive in resource changes, planned values and`,
    "prior state (data sources too), sensitive outputs, input variables declared sensitive, literals",
    "written for sensitive attributes and in provider blocks, and any copy of a redacted value",
    "elsewhere in the plan. The output is plan JSON of the same shape: plan-summary reads it.",
  ].join("\n"),
  options: {},
  positionals: [{ name: "plan.json", description: 'terraform show -json output ("-" reads stdin)' }],
  exitCodes: {
    0: "redacted plan printed on stdout",
    1: "the file is missing, not JSON, or not terraform plan JSON (one line on stderr, nothing on stdout)",
    2: "bad arguments",
  },
  examples: ["terraform show -json tfplan > plan.json && npm run --silent plan-redact -- plan.json > plans/test-aws-network.json"],
} as const satisfies CliSpec;

/** Read and parse a plan file, with one-line errors naming the file. */
function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new NotAPlanError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the input, which may be a secret: name the file only.
    throw new NotAPlanError(`${path} is not JSON: pass the output of "terraform show -json <planfile>"`);
  }
}

/** Run the tool; returns the exit code. Output goes through `io` so tests can capture it. */
export function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    SPEC,
    argv,
    (_values, [path]) => {
      io.stdout(JSON.stringify(redactPlan(readJson(path), path)) + "\n");
      return 0;
    },
    io,
  );
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
