/**
 * `npm run --silent cost -- [--env test-aws|prod-azure] [--format table|json] [--out DIR]`
 *
 * Offline monthly estimate of every synthesized stack from the price table in the repository
 * (tools/cost/prices.ts) and each environment's usage assumptions (`cost.usage` in environments/).
 * It reads cdktf.out and does not synthesize: run `npm run synth` first (synth takes seconds, the
 * estimate milliseconds, and CI already has the output). See docs/cost.md.
 */
import { resolve } from "path";
import { loadEnvironments } from "../environments";
import { CliSpec, main, UsageError } from "./cli";
import { estimate, pricingEnvironments, readSynthesized } from "./cost/estimate";
import { shippedPriceTable } from "./cost/price-table";
import { renderJson, renderTable } from "./cost/render";

/** The command line. */
export const COST_CLI = {
  name: "cost",
  usage: "npm run --silent cost -- [--env ENV] [--format table|json] [--out DIR]",
  summary:
    "Monthly cost estimate of every synthesized stack, offline: one row per priced resource, totals per stack and environment, and every resource it cannot price. Reads cdktf.out (run `npm run synth` first).",
  options: {
    env: { type: "string", description: "only this environment, <env>-<cloud> (e.g. test-aws, prod-azure)", valueName: "ENV" },
    format: { type: "string", description: "output format", choices: ["table", "json"], default: "table" },
    out: { type: "string", description: "synth output directory", valueName: "DIR", default: "cdktf.out" },
  },
  exitCodes: { 0: "estimate printed", 1: "no synth output, bad config or price table, or a price missing for a region", 2: "bad command line" },
  examples: ["npm run --silent cost", "npm run --silent cost -- --env test-aws --format json"],
} as const satisfies CliSpec;

/** Run the tool with parsed values; returns the exit code. */
export function runCost(values: { env?: string; format: string; out: string }, write: (text: string) => void): number {
  const environments = pricingEnvironments(loadEnvironments());
  const ids = environments.map((e) => e.id);
  if (values.env !== undefined && !ids.includes(values.env)) throw new UsageError(`--env "${values.env}" is not an environment; use one of ${ids.join(", ")}`);
  const report = estimate(readSynthesized(resolve(values.out)), environments, shippedPriceTable(), values.env);
  write(values.format === "json" ? renderJson(report) : renderTable(report));
  return 0;
}

if (require.main === module) {
  main(COST_CLI, (values) => runCost(values, (text) => process.stdout.write(text)));
}
