/**
 * Monthly cost before and after a terraform plan, for the pull-request comment (`plan-summary
 * --cost`). Before = the plan's `prior_state`, after = its `planned_values`, both priced by the same
 * rules as `npm run cost`. Works on redacted plans: a value replaced by "(sensitive)" that a rule
 * needs makes that resource "not priced" (listed), never free.
 */
import { ConfigError } from "../../constructs/errors";
import { environmentOf, PricingEnvironment, priceStack, StackCost } from "./estimate";
import { baseAddress, cents, ResourceInstance } from "./model";
import { PriceTable } from "./price-table";

interface StateModule {
  readonly resources?: readonly { address: string; mode: string; type: string; values?: Record<string, unknown> }[];
  readonly child_modules?: readonly StateModule[];
}

interface ConfigModule {
  readonly resources?: readonly { address: string; expressions?: unknown }[];
  readonly module_calls?: Readonly<Record<string, { module?: ConfigModule }>>;
}

/** The parts of `terraform show -json` the cost reads. */
export interface PlanForCost {
  readonly prior_state?: { values?: { root_module?: StateModule } };
  readonly planned_values?: { root_module?: StateModule };
  readonly configuration?: { root_module?: ConfigModule };
}

/** Every `references` entry under an expressions tree, as resource addresses. */
function collectRefs(expressions: unknown, into: Set<string>, prefix: string): void {
  if (Array.isArray(expressions)) {
    for (const item of expressions) collectRefs(item, into, prefix);
  } else if (expressions !== null && typeof expressions === "object") {
    for (const [key, value] of Object.entries(expressions)) {
      if (key === "references" && Array.isArray(value)) {
        for (const ref of value) {
          const [type, name] = String(ref).split(".");
          if (type && name && !["data", "var", "local", "module", "each", "count", "path", "self"].includes(type)) into.add(`${prefix}${type}.${name.replace(/\[.*$/, "")}`);
        }
      } else {
        collectRefs(value, into, prefix);
      }
    }
  }
}

/** Config address -> addresses it refers to, across modules. */
function configRefs(module: ConfigModule | undefined, prefix = "", into = new Map<string, string[]>()): Map<string, string[]> {
  for (const resource of module?.resources ?? []) {
    const refs = new Set<string>();
    collectRefs(resource.expressions, refs, prefix);
    into.set(`${prefix}${resource.address}`, [...refs]);
  }
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) configRefs(call.module, `${prefix}module.${name}.`, into);
  return into;
}

function stateResources(module: StateModule | undefined, refs: Map<string, string[]>, into: ResourceInstance[] = []): ResourceInstance[] {
  for (const r of module?.resources ?? []) {
    if (r.mode !== "managed") continue;
    into.push({ address: r.address, type: r.type, values: r.values ?? {}, refs: refs.get(baseAddress(r.address)) ?? [] });
  }
  for (const child of module?.child_modules ?? []) stateResources(child, refs, into);
  return into;
}

/** Managed resources of the plan's prior state ("before") or planned values ("after"). */
export function planResources(plan: PlanForCost, side: "before" | "after"): ResourceInstance[] {
  const root = side === "before" ? plan.prior_state?.values?.root_module : plan.planned_values?.root_module;
  return stateResources(root, configRefs(plan.configuration?.root_module));
}

/** A resource whose monthly cost the plan changes. */
export interface CostContributor {
  readonly address: string;
  readonly beforeUsd: number;
  readonly afterUsd: number;
  readonly deltaUsd: number;
}

/** One stack's cost change. */
export interface StackCostDelta {
  readonly stack: string;
  readonly beforeUsd: number;
  readonly afterUsd: number;
  readonly deltaUsd: number;
  /** The largest changes by absolute amount, at most three. */
  readonly top: CostContributor[];
  /** Resources not priced after the change (redacted values, types without a rule). */
  readonly unpriced: StackCost["unpriced"];
  /** Why no estimate could be made (e.g. no environment for the stack); the numbers are then 0. */
  readonly error?: string;
}

const TOP = 3;

function byAddress(cost: StackCost): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of cost.rows) totals.set(row.address, (totals.get(row.address) ?? 0) + row.monthlyUsd);
  return totals;
}

/** Cost before and after one stack's plan, with its top contributors. */
export function planCostDelta(stack: string, plan: PlanForCost, environments: readonly PricingEnvironment[], prices: PriceTable): StackCostDelta {
  const env = environmentOf(stack, environments);
  const empty = { stack, beforeUsd: 0, afterUsd: 0, deltaUsd: 0, top: [], unpriced: [] };
  if (!env) return { ...empty, error: `no configured environment for stack ${stack}` };
  try {
    const before = priceStack(stack, planResources(plan, "before"), env, prices);
    const after = priceStack(stack, planResources(plan, "after"), env, prices);
    const b = byAddress(before);
    const a = byAddress(after);
    const top = [...new Set([...b.keys(), ...a.keys()])]
      .map((address) => ({ address, beforeUsd: cents(b.get(address) ?? 0), afterUsd: cents(a.get(address) ?? 0), deltaUsd: cents((a.get(address) ?? 0) - (b.get(address) ?? 0)) }))
      .filter((c) => c.deltaUsd !== 0)
      .sort((x, y) => Math.abs(y.deltaUsd) - Math.abs(x.deltaUsd) || x.address.localeCompare(y.address))
      .slice(0, TOP);
    return { stack, beforeUsd: before.monthlyUsd, afterUsd: after.monthlyUsd, deltaUsd: cents(after.monthlyUsd - before.monthlyUsd), top, unpriced: after.unpriced };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ...empty, error: error.message };
  }
}

const money = (n: number) => `${n < 0 ? "-" : ""}$${Math.abs(n).toFixed(2)}`;
const signed = (n: number) => (n > 0 ? `+${money(n)}` : n < 0 ? money(n) : "$0.00");

/** The pull-request comment's cost section. */
export function renderCostMarkdown(deltas: readonly StackCostDelta[], prices: PriceTable): string {
  const lines = [
    "### Monthly cost (estimate)",
    "",
    `Offline estimate from the price table v${prices.version} of ${prices.date} and each environment's usage assumptions (docs/cost.md); USD per month.`,
    "",
    "| stack | before | after | delta | top contributors |",
    "| --- | ---: | ---: | ---: | --- |",
  ];
  for (const d of deltas) {
    const top = d.error ? `estimate failed: ${d.error}` : d.top.map((c) => `\`${c.address}\` ${signed(c.deltaUsd)}`).join("<br>") || "-";
    lines.push(`| ${d.stack} | ${money(d.beforeUsd)} | ${money(d.afterUsd)} | ${signed(d.deltaUsd)} | ${top} |`);
  }
  const total = cents(deltas.reduce((t, d) => t + d.deltaUsd, 0));
  lines.push("", `Total change: **${signed(total)}** per month.`);
  const unpriced = deltas.flatMap((d) => d.unpriced.map((u) => `${d.stack} \`${u.address}\``));
  if (unpriced.length > 0) lines.push("", `Not priced (not in the totals): ${unpriced.join(", ")}.`);
  return lines.join("\n") + "\n";
}
