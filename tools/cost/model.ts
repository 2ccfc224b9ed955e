/**
 * The shapes the cost estimate works on: resources as read from a synthesized stack or a plan,
 * and what pricing them yields.
 */
import { AwsCostUsage, AzureCostUsage } from "../../environments/schema";
import { PriceTable } from "./price-table";

/** One resource instance, whether from cdktf.out or from a plan's prior_state/planned_values. */
export interface ResourceInstance {
  /** Terraform address, e.g. `aws_eks_cluster.cluster_A4C38409`. */
  readonly address: string;
  readonly type: string;
  /** Attribute values; unknown or redacted ones are absent, `(sensitive)` or `${...}` tokens. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Addresses (`type.name`) of the resources its configuration refers to. */
  readonly refs: readonly string[];
}

/** One priced line: what is charged, how much of it, and why that much. */
export interface CostRow {
  readonly stack: string;
  readonly address: string;
  /** What is priced, e.g. "EC2 m6i.large on-demand". */
  readonly item: string;
  readonly quantity: number;
  /** Unit of the quantity, e.g. "instance-hours", "GB". */
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  /** Where the quantity comes from: config, a usage assumption, the schedule. */
  readonly basis: string;
  /** For scaling resources: the monthly cost at their maximum size, always on. */
  readonly maxMonthlyUsd?: number;
  /** What an off-hours schedule takes off this row's always-on cost. */
  readonly scheduleSavingUsd?: number;
}

/** A resource the estimate cannot price, listed so it is never mistaken for free. */
export interface Unpriced {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly reason: string;
}

/** Everything a pricing rule may consult. */
export interface PricingContext {
  readonly stack: string;
  readonly region: string;
  readonly prices: PriceTable;
  readonly usage: Partial<AwsCostUsage & AzureCostUsage>;
  /** Every resource of the same stack (and state), by address. */
  readonly resources: ReadonlyMap<string, ResourceInstance>;
}

/** Thrown by a rule when a value it needs is unknown (e.g. redacted in a plan). */
export class CannotPrice extends Error {}

/** What a rule returns for a row, before the stack and address are added. */
export type RowDraft = Omit<CostRow, "stack" | "address">;

/** Price one resource. */
export type PricingRule = (resource: ResourceInstance, ctx: PricingContext) => RowDraft[];

/** Round to cents for display and totals. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** `aws_x.y[0]` -> `aws_x.y`; `module.m.aws_x.y["k"]` -> `module.m.aws_x.y`: what configuration refers to. */
export function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, "");
}

/** Whether `from`'s configuration refers to `to` (by its address or, for an instance, its base address). */
export function refersTo(from: ResourceInstance, to: ResourceInstance): boolean {
  return from.refs.includes(to.address) || from.refs.includes(baseAddress(to.address));
}
