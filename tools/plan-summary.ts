/**
 * `npm run --silent plan-summary -- [--format md|json] [--fail-on-destroy] [--stack name=path]... <plan.json>...`
 *
 * Pull-request review summary of `terraform show -json` plans. The logic is in
 * tools/review/plan-changes.ts (changes, attribute paths) and tools/review/data-loss-risk.ts
 * (the curated per-type risk table); this file only parses arguments and prints.
 */
import { basename } from "path";
import { parseArgs as parseNodeArgs } from "util";
import { buildSummary, hasBlockingChange, PlanInputError, readPlan, renderMarkdown, STACK_NAME } from "./review/plan-changes";

export const HELP = `usage: npm run --silent plan-summary -- [options] <plan.json>...

Summarizes terraform plans (the output of "terraform show -json <planfile>", also after
plan-redact) for review, per environment and stack:
  - a table per environment: add / change / destroy / replace counts per stack, production first;
  - every delete and replacement, with the attributes forcing a replacement, terraform's reason
    and its data-loss risk from a curated per-type table (tools/review/data-loss-risk.ts):
      stateless  policies, lifecycle rules, role attachments, alarms, routes, Kubernetes objects...
                 re-created from code, nothing is lost;
      stateful   clusters, node groups, buckets, repositories, keys, key vaults, gateways, public
                 IPs, log groups, queues, databases, namespaces... and every type not in the table;
  - every change per stack: creates, in-place updates with the changing attribute paths (values
    are never printed; sensitive attributes are marked "sensitive"), replacements, deletes.

The stack name comes from the file name (test-aws-network.json, test-aws-network.plan.json) or
from --stack; it must be <env>-<cloud>-<unit>. Environments starting with "prod" are production.

options:
  --format md|json     output format (default md: a pull-request comment)
  --fail-on-destroy    exit 2 when a resource is deleted or a stateful resource is replaced;
                       stateless replacements are listed with a note and do not fail
  --stack name=path    a plan file whose name is not the stack name (repeatable)
  -h, --help           this help

exit codes: 0 summary printed; 2 blocking deletes/replacements with --fail-on-destroy;
            1 bad arguments or a file that is not terraform plan JSON (one line on stderr)
`;

/** Parsed command line. */
export interface Options {
  readonly format: "md" | "json";
  readonly failOnDestroy: boolean;
  /** Stack name -> plan file, in the order given. */
  readonly plans: { stack: string; path: string }[];
  readonly help: boolean;
}

/** Stack name from a plan file name: `test-aws-network.json`, `test-aws-network.plan.json` -> `test-aws-network`. */
export function stackFromFileName(path: string): string {
  return basename(path).replace(/\.json$/, "").replace(/\.(tf)?plan$/, "");
}

/** Parse argv (without node and script). Throws PlanInputError on any mistake. */
export function parseArgs(argv: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string", default: "md" },
        "fail-on-destroy": { type: "boolean", default: false },
        stack: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new PlanInputError(`${(error as Error).message.split("\n")[0]} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { format: "md", failOnDestroy: false, plans: [], help: true };
  if (values.format !== "md" && values.format !== "json") throw new PlanInputError(`--format must be md or json, got "${values.format}"`);
  const plans: Options["plans"] = [];
  for (const spec of values.stack) {
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1) throw new PlanInputError(`--stack must be name=path, got "${spec}"`);
    plans.push({ stack: spec.slice(0, eq), path: spec.slice(eq + 1) });
  }
  plans.push(...positionals.map((path) => ({ stack: stackFromFileName(path), path })));
  if (plans.length === 0) throw new PlanInputError("no plan files given (see --help)");
  const seen = new Set<string>();
  for (const { stack } of plans) {
    if (!STACK_NAME.test(stack)) throw new PlanInputError(`stack name "${stack}" is not <env>-<cloud>-<unit> (e.g. test-aws-network); name the file so, or pass --stack name=path`);
    if (seen.has(stack)) throw new PlanInputError(`stack "${stack}" is given twice`);
    seen.add(stack);
  }
  return { format: values.format, failOnDestroy: values["fail-on-destroy"], plans, help: false };
}

/** Run the tool; returns the exit code. Output goes through `out`/`err` so tests can capture it. */
export function run(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  try {
    const options = parseArgs(argv);
    if (options.help) {
      out(HELP);
      return 0;
    }
    const summary = buildSummary(options.plans.map(({ stack, path }) => ({ stack, plan: readPlan(path) })));
    out(options.format === "json" ? JSON.stringify(summary, null, 2) + "\n" : renderMarkdown(summary));
    return options.failOnDestroy && hasBlockingChange(summary) ? 2 : 0;
  } catch (error) {
    if (error instanceof PlanInputError) {
      err(`plan-summary: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), (t) => process.stdout.write(t), (t) => process.stderr.write(t));
}
