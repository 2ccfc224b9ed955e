/**
 * `npm run --silent plan-summary -- [--format md|json] [--fail-on-destroy] [--stack name=path]... <plan.json>...`
 *
 * Pull-request review summary of `terraform show -json` plans. The logic is in
 * tools/review/plan-changes.ts (changes, attribute paths) and tools/review/data-loss-risk.ts
 * (the curated per-type risk table); this file only parses arguments and prints.
 */
import { basename } from "path";
import { loadEnvironments } from "../environments";
import { CliIo, CliSpec, processIo, runCli, UsageError } from "./cli";
import { pricingEnvironments } from "./cost/estimate";
import { PlanForCost, planCostDelta, renderCostMarkdown, StackCostDelta } from "./cost/plan-cost";
import { shippedPriceTable } from "./cost/price-table";
import { buildSummary, hasBlockingChange, readPlan, renderMarkdown, STACK_NAME } from "./review/plan-changes";

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "plan-summary",
  usage: "npm run --silent plan-summary -- [options] <plan.json>...",
  summary: [
    'Summarizes terraform plans (the output of "terraform show -json <planfile>", also after',
    "plan-redact) for review, per environment and stack:",
    "  - a table per environment: add / change / destroy / replace counts per stack, production first",
    '    (environments whose name starts with "prod");',
    "  - every delete and replacement, with the attributes forcing a replacement, terraform's reason",
    "    and its data-loss risk from a curated per-type table (tools/review/data-loss-risk.ts):",
    "      stateless  policies, lifecycle rules, role attachments, alarms, routes, Kubernetes objects...",
    "                 re-created from code, nothing is lost;",
    "      stateful   clusters, node groups, buckets, repositories, keys, key vaults, gateways, public",
    "                 IPs, log groups, queues, databases, namespaces... and every type not in the table;",
    "  - every change per stack: creates, in-place updates with the changing attribute paths (values",
    '    are never printed; sensitive attributes are marked "sensitive"), replacements, deletes.',
    "The stack name comes from the file name (test-aws-network.json, test-aws-network.plan.json) or",
    "from --stack; it must be <env>-<cloud>-<unit>.",
  ].join("\n"),
  options: {
    format: { type: "string", description: "output format: md is a pull-request comment", valueName: "md|json", default: "md", choices: ["md", "json"] },
    "fail-on-destroy": {
      type: "boolean",
      description: "exit 2 when a resource is deleted or a stateful resource is replaced (stateless replacements are listed with a note and do not fail)",
    },
    stack: { type: "string", description: "a plan file whose name is not the stack name", valueName: "name=path", multiple: true },
    cost: { type: "boolean", description: "add each stack's monthly cost before and after, the delta and the top 3 contributors (offline estimate, docs/cost.md)" },
  },
  positionals: [{ name: "plan.json", description: "terraform show -json output, named <stack>.json", optional: true, variadic: true }],
  exitCodes: {
    0: "summary printed",
    1: "bad arguments, or a file that is not terraform plan JSON (one line on stderr)",
    2: "with --fail-on-destroy: a delete or a stateful replacement (the summary is printed too)",
  },
  examples: ["npm run --silent plan-summary -- --fail-on-destroy plans/*.json > summary.md", "npm run --silent plan-summary -- --format json --stack prod-azure-vpn=vpn.json"],
  usageExitCode: 1,
} as const satisfies CliSpec;

/** Stack name from a plan file name: `test-aws-network.json`, `test-aws-network.plan.json` -> `test-aws-network`. */
export function stackFromFileName(path: string): string {
  return basename(path).replace(/\.json$/, "").replace(/\.(tf)?plan$/, "");
}

/** Stack name -> plan file, in the order given; throws UsageError on a bad or repeated name. */
export function planFiles(stackSpecs: readonly string[], paths: readonly string[]): { stack: string; path: string }[] {
  const plans: { stack: string; path: string }[] = [];
  for (const spec of stackSpecs) {
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--stack must be name=path, got "${spec}"`);
    plans.push({ stack: spec.slice(0, eq), path: spec.slice(eq + 1) });
  }
  plans.push(...paths.map((path) => ({ stack: stackFromFileName(path), path })));
  if (plans.length === 0) throw new UsageError("no plan files given (see --help)");
  const seen = new Set<string>();
  for (const { stack } of plans) {
    if (!STACK_NAME.test(stack)) throw new UsageError(`stack name "${stack}" is not <env>-<cloud>-<unit> (e.g. test-aws-network); name the file so, or pass --stack name=path`);
    if (seen.has(stack)) throw new UsageError(`stack "${stack}" is given twice`);
    seen.add(stack);
  }
  return plans;
}

/** Monthly cost before/after per stack (tools/cost/plan-cost.ts). */
function costDeltas(plans: readonly { stack: string; plan: unknown }[]): StackCostDelta[] {
  const environments = pricingEnvironments(loadEnvironments());
  return plans.map(({ stack, plan }) => planCostDelta(stack, plan as PlanForCost, environments, shippedPriceTable()));
}

/** Run the tool; returns the exit code. Output goes through `io` so tests can capture it. */
export function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    SPEC,
    argv,
    (values, positionals) => {
      const plans = planFiles(values.stack, positionals);
      const read = plans.map(({ stack, path }) => ({ stack, plan: readPlan(path) }));
      const summary = buildSummary(read);
      const cost = values.cost ? costDeltas(read) : undefined;
      if (values.format === "json") io.stdout(JSON.stringify(cost ? { ...summary, cost } : summary, null, 2) + "\n");
      else io.stdout(renderMarkdown(summary) + (cost ? `\n${renderCostMarkdown(cost, shippedPriceTable())}` : ""));
      return values["fail-on-destroy"] && hasBlockingChange(summary) ? 2 : 0;
    },
    io,
  );
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
