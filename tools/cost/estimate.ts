/**
 * The monthly estimate of stacks: price every resource with the rules, total per stack and per
 * environment, and list what cannot be priced. Reads synthesized stacks (cdktf.out); plan-cost.ts
 * feeds the same engine from a plan's prior and planned values.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { ConfigError } from "../../constructs/errors";
import { Environments } from "../../environments";
import { AwsTestEnvironment, AzureProdEnvironment } from "../../environments/schema";
import { baseAddress, CannotPrice, cents, CostRow, PricingContext, ResourceInstance, Unpriced } from "./model";
import { PriceTable } from "./price-table";
import { classify } from "./rules";

/** One stack's estimate. */
export interface StackCost {
  readonly stack: string;
  readonly monthlyUsd: number;
  /** With every scaling resource at its maximum size, always on. */
  readonly maxMonthlyUsd: number;
  /** What off-hours schedules take off the always-on cost. */
  readonly scheduleSavingUsd: number;
  readonly rows: CostRow[];
  readonly unpriced: Unpriced[];
  /** Resources with no charge of their own: count per type, with the reason. */
  readonly free: { type: string; count: number; reason: string }[];
}

/** What an environment contributes to pricing: its name, region and usage assumptions. */
export interface PricingEnvironment {
  /** `<env>-<cloud>`, the prefix of its stacks, e.g. `test-aws`. */
  readonly id: string;
  readonly region: string;
  readonly usage: PricingContext["usage"];
  /** Off-hours schedule, for the output's header. */
  readonly offHours?: AwsTestEnvironment["eks"]["offHours"];
}

/** The environments of the app as pricing sees them. */
export function pricingEnvironments(envs: Environments): PricingEnvironment[] {
  const aws: AwsTestEnvironment = envs.testAws;
  const azure: AzureProdEnvironment = envs.prodAzure;
  return [
    { id: `${aws.name}-aws`, region: aws.region, usage: aws.cost.usage, offHours: aws.eks.offHours },
    { id: `${azure.name}-azure`, region: azure.location, usage: azure.cost.usage },
  ];
}

/** The environment a stack belongs to (`test-aws-eks` -> `test-aws`), or undefined. */
export function environmentOf(stack: string, environments: readonly PricingEnvironment[]): PricingEnvironment | undefined {
  return environments.find((e) => stack.startsWith(`${e.id}-`));
}

/** Price every resource of one stack. */
export function priceStack(stack: string, resources: readonly ResourceInstance[], env: PricingEnvironment, prices: PriceTable): StackCost {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  // Configuration refers to `type.name`; a lone count/for_each instance is found by that too.
  for (const r of resources) if (!byAddress.has(baseAddress(r.address))) byAddress.set(baseAddress(r.address), r);
  const ctx: PricingContext = { stack, region: env.region, prices, usage: env.usage, resources: byAddress };
  const rows: CostRow[] = [];
  const unpriced: Unpriced[] = [];
  const free = new Map<string, { type: string; count: number; reason: string }>();
  for (const r of resources) {
    const kind = classify(r.type);
    if ("free" in kind) {
      const entry = free.get(r.type) ?? { type: r.type, count: 0, reason: kind.free };
      entry.count++;
      free.set(r.type, entry);
    } else if ("notPriced" in kind) {
      unpriced.push({ stack, address: r.address, type: r.type, reason: kind.notPriced });
    } else {
      try {
        for (const draft of kind.rule(r, ctx)) rows.push({ stack, address: r.address, ...draft });
      } catch (error) {
        if (!(error instanceof CannotPrice)) throw error;
        unpriced.push({ stack, address: r.address, type: r.type, reason: error.message });
      }
    }
  }
  const sum = (f: (row: CostRow) => number) => cents(rows.reduce((total, row) => total + f(row), 0));
  return {
    stack,
    monthlyUsd: sum((r) => r.monthlyUsd),
    maxMonthlyUsd: sum((r) => r.maxMonthlyUsd ?? r.monthlyUsd),
    scheduleSavingUsd: sum((r) => r.scheduleSavingUsd ?? 0),
    rows,
    unpriced,
    free: [...free.values()].sort((a, b) => a.type.localeCompare(b.type)),
  };
}

// ----- Synthesized stacks (cdktf.out) --------------------------------------------------------

const REFERENCE = /\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)/g;

/** Resource addresses a synthesized block refers to through `${type.name...}` tokens. */
function synthRefs(config: unknown): string[] {
  const refs = new Set<string>();
  for (const match of JSON.stringify(config).matchAll(REFERENCE)) {
    if (!match[1].startsWith("data.") && !match[1].startsWith("var.") && !match[1].startsWith("local.")) refs.add(match[1]);
  }
  return [...refs];
}

/** The resources of a synthesized stack (cdk.tf.json). */
export function synthResources(stackJson: { resource?: Record<string, Record<string, Record<string, unknown>>> }): ResourceInstance[] {
  return Object.entries(stackJson.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, values]) => ({ address: `${type}.${name}`, type, values, refs: synthRefs(values) })),
  );
}

/** Every stack of cdktf.out with its resources. Throws with the fix when there is no synth output. */
export function readSynthesized(outdir: string): { stack: string; resources: ResourceInstance[] }[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new ConfigError(`${manifestPath} not found: run "npm run synth" first (the estimate prices what was synthesized)`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks)
    .map(([stack, entry]) => ({ stack, resources: synthResources(JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"))) }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
}

/** One environment's estimate. */
export interface EnvironmentCost {
  readonly environment: string;
  readonly region: string;
  readonly usage: PricingContext["usage"];
  readonly offHours?: PricingEnvironment["offHours"];
  readonly monthlyUsd: number;
  readonly maxMonthlyUsd: number;
  readonly scheduleSavingUsd: number;
  readonly stacks: StackCost[];
}

/** The whole estimate. */
export interface CostReport {
  readonly priceTable: { version: number; date: string; hoursPerMonth: number; entries: number; unconfirmed: number };
  readonly environments: EnvironmentCost[];
  /** Stacks that belong to no configured environment (not priced). */
  readonly unknownStacks: string[];
}

/** Estimate every synthesized stack, grouped by environment; `only` limits it to one environment. */
export function estimate(
  stacks: readonly { stack: string; resources: readonly ResourceInstance[] }[],
  environments: readonly PricingEnvironment[],
  prices: PriceTable,
  only?: string,
): CostReport {
  const result: EnvironmentCost[] = [];
  const unknownStacks: string[] = [];
  for (const env of environments.filter((e) => only === undefined || e.id === only)) {
    const costs = stacks.filter((s) => environmentOf(s.stack, [env])).map((s) => priceStack(s.stack, s.resources, env, prices));
    const sum = (f: (s: StackCost) => number) => cents(costs.reduce((t, s) => t + f(s), 0));
    result.push({
      environment: env.id,
      region: env.region,
      usage: env.usage,
      offHours: env.offHours,
      monthlyUsd: sum((s) => s.monthlyUsd),
      maxMonthlyUsd: sum((s) => s.maxMonthlyUsd),
      scheduleSavingUsd: sum((s) => s.scheduleSavingUsd),
      stacks: costs,
    });
  }
  if (only === undefined) unknownStacks.push(...stacks.filter((s) => !environmentOf(s.stack, environments)).map((s) => s.stack));
  return {
    priceTable: { version: prices.version, date: prices.date, hoursPerMonth: prices.hoursPerMonth, entries: prices.entries.length, unconfirmed: prices.unconfirmed.length },
    environments: result,
    unknownStacks,
  };
}
