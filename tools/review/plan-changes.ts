/**
 * What a reviewer needs from `terraform show -json <planfile>` output: every change per stack
 * and environment (created, updated with the attribute paths that change, replaced with the
 * attributes forcing it, deleted), and each delete or replacement classed by data-loss risk.
 *
 * Values are never reported, only attribute paths: a plan holds sensitive values in clear, and
 * the summary ends up in a pull-request comment. Sensitive paths are marked as such. A plan that
 * went through `plan-redact` (sensitive values replaced by one placeholder) is read the same way;
 * there a sensitive attribute whose value changed looks unchanged, so it is listed only when its
 * presence or sensitivity changes.
 */
import { readFileSync } from "fs";
import { isDeepStrictEqual } from "util";
import { RiskClass, riskOf } from "./data-loss-risk";

type Path = readonly (string | number)[];

/** The parts of a `terraform show -json` plan read here. */
export interface PlanJson {
  readonly format_version?: string;
  readonly errored?: boolean;
  readonly resource_changes?: readonly PlanResourceChange[];
  /** Root module outputs that change, by name. */
  readonly output_changes?: Readonly<Record<string, PlanChange>>;
}

/** The change of one resource or root output: its actions and both sides of its value. */
export interface PlanChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

/** One entry of `resource_changes`. */
export interface PlanResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly action_reason?: string;
  readonly change: PlanChange & { readonly replace_paths?: readonly Path[] };
}

/** A problem with the input: one line on stderr, exit code 1. */
export class PlanInputError extends Error {}

/** What happens to one resource. */
export type ChangeKind = "create" | "update" | "replace" | "delete" | "forget";

/** One attribute path that changes (update) or forces a replacement (replace). */
export interface AttributeChange {
  /** e.g. `tags.team`, `access_config[0].authentication_mode`. */
  readonly path: string;
  /** Marked sensitive in the plan: shown as changed, never with a value. */
  readonly sensitive: boolean;
  /** The new value is only known after apply. */
  readonly knownAfterApply: boolean;
}

/** One resource's change. */
export interface ResourceChangeSummary {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** update: the changing attributes; replace: the attributes forcing it; otherwise empty. */
  readonly attributes: AttributeChange[];
  /** Terraform's `action_reason` in words, or "". */
  readonly reason: string;
}

/** A delete or replacement with its data-loss class. */
export interface DestructiveChange {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly action: "delete" | "replace";
  /** Attribute paths forcing a replacement. */
  readonly forcedBy: string[];
  /** Terraform's reason, in words. */
  readonly reason: string;
  readonly risk: RiskClass;
  /** What is lost (stateful) or why nothing is (stateless). */
  readonly riskReason: string;
  /** Counts for `--fail-on-destroy`: every delete, and replacements of stateful types. */
  readonly blocking: boolean;
}

/** One stack's plan. */
export interface StackSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
  /** Terraform stopped with an error while planning: the plan is incomplete. */
  readonly errored: boolean;
  readonly changes: ResourceChangeSummary[];
}

/** One environment (`<env>-<cloud>`). */
export interface EnvironmentSummary {
  readonly environment: string;
  readonly production: boolean;
  readonly stacks: StackSummary[];
}

/** The whole review. */
export interface PlanSummary {
  readonly environments: EnvironmentSummary[];
  readonly destructive: DestructiveChange[];
  /** Production stacks whose plan changes anything. */
  readonly productionAffected: string[];
}

/** `<env>-<cloud>-<unit>`, e.g. test-aws-network. */
export const STACK_NAME = /^([a-z][a-z0-9]*)-([a-z][a-z0-9]*)-([a-z0-9][a-z0-9-]*)$/;
const PRODUCTION = /^prod/;

const REASONS: Record<string, string> = {
  replace_because_cannot_update: "an attribute cannot be updated in place",
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by changed",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each changed shape",
  delete_because_count_index: "count index no longer exists",
  delete_because_each_key: "for_each key no longer exists",
  delete_because_no_move_target: "moved target does not exist",
};

const PLAN_HINT = 'pass the output of "terraform show -json <planfile>"';

/** Parse and sanity-check plan JSON text; `source` names it in errors. */
export function parsePlan(text: string, source: string): PlanJson {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new PlanInputError(`${source} is not JSON: ${PLAN_HINT}`);
  }
  const p = plan as PlanJson | null;
  if (typeof p !== "object" || p === null || Array.isArray(p) || typeof p.format_version !== "string" || !("planned_values" in p || "resource_changes" in p)) {
    throw new PlanInputError(`${source} is not a terraform plan in JSON (no format_version/resource_changes): ${PLAN_HINT}`);
  }
  const changes = p.resource_changes ?? [];
  if (!Array.isArray(changes) || changes.some((rc) => typeof rc?.address !== "string" || !Array.isArray(rc?.change?.actions))) {
    throw new PlanInputError(`${source} has malformed resource_changes (each needs address and change.actions): ${PLAN_HINT}`);
  }
  return p;
}

/** Read one plan file. */
export function readPlan(path: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PlanInputError(`cannot read plan file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parsePlan(text, path);
}

/** "access_config", 0, "x" -> "access_config[0].x". */
export function formatPath(path: Path): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function child(value: unknown, key: string | number): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whether a sensitivity mask marks `path` (or a parent of it) sensitive. */
function maskedAt(mask: unknown, path: Path): boolean {
  let node = mask;
  for (const key of path) {
    if (node === true) return true;
    node = child(node, key);
  }
  return node === true || (node !== undefined && node !== false && containsTrue(node));
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (value !== null && typeof value === "object") return Object.values(value).some(containsTrue);
  return false;
}

interface Sides {
  readonly before: unknown;
  readonly after: unknown;
  readonly unknown: unknown;
  readonly beforeSensitive: unknown;
  readonly afterSensitive: unknown;
}

/**
 * The leaf paths that differ between before and after: a value that becomes unknown, differs, or
 * appears/disappears. Lists of different lengths and sensitive subtrees are reported as a whole.
 */
export function changedPaths(sides: Sides): AttributeChange[] {
  const found: AttributeChange[] = [];
  const walk = (before: unknown, after: unknown, unknown: unknown, bs: unknown, as: unknown, path: (string | number)[]): void => {
    const sensitive = bs === true || as === true;
    if (unknown === true) {
      if (path.length > 0) found.push({ path: formatPath(path), sensitive: sensitive || containsTrue(bs) || containsTrue(as), knownAfterApply: true });
      return;
    }
    if (sensitive) {
      if (!isDeepStrictEqual(before, after) || (bs === true) !== (as === true)) found.push({ path: formatPath(path), sensitive: true, knownAfterApply: false });
      return;
    }
    if (isRecord(before) && isRecord(after)) {
      for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        walk(before[key], after[key], child(unknown, key), child(bs, key), child(as, key), [...path, key]);
      }
      return;
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      before.forEach((_, i) => walk(before[i], after[i], child(unknown, i), child(bs, i), child(as, i), [...path, i]));
      return;
    }
    if (!isDeepStrictEqual(before, after) || containsTrue(unknown)) {
      found.push({ path: formatPath(path), sensitive: containsTrue(bs) || containsTrue(as), knownAfterApply: containsTrue(unknown) });
    }
  };
  walk(sides.before ?? {}, sides.after ?? {}, sides.unknown, sides.beforeSensitive, sides.afterSensitive, []);
  return found;
}

function kindOf(actions: readonly string[]): ChangeKind | undefined {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.length !== 1) return undefined;
  const [action] = actions;
  return action === "create" || action === "update" || action === "delete" || action === "forget" ? action : undefined;
}

/** Every managed resource that changes, in plan order. No-ops and data-source reads are left out. */
export function resourceChanges(plan: PlanJson): ResourceChangeSummary[] {
  const result: ResourceChangeSummary[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const kind = kindOf(rc.change.actions);
    if (!kind) continue;
    const { before, after, after_unknown: unknown, before_sensitive: beforeSensitive, after_sensitive: afterSensitive } = rc.change;
    let attributes: AttributeChange[] = [];
    if (kind === "update") {
      attributes = changedPaths({ before, after, unknown, beforeSensitive, afterSensitive });
    } else if (kind === "replace") {
      attributes = (rc.change.replace_paths ?? []).map((path) => ({
        path: formatPath(path),
        sensitive: maskedAt(beforeSensitive, path) || maskedAt(afterSensitive, path),
        knownAfterApply: containsTrue(path.reduce<unknown>(child, unknown)),
      }));
    }
    const reason = rc.action_reason ? (REASONS[rc.action_reason] ?? rc.action_reason) : "";
    result.push({ address: rc.address, type: rc.type ?? rc.address.split(".").slice(-2)[0], kind, attributes, reason });
  }
  return result;
}

/** One stack's counts and changes. */
export function summarizeStack(stack: string, plan: PlanJson): StackSummary {
  const changes = resourceChanges(plan);
  const count = (kind: ChangeKind) => changes.filter((c) => c.kind === kind).length;
  return { stack, add: count("create"), change: count("update"), destroy: count("delete"), replace: count("replace"), errored: plan.errored === true, changes };
}

/** Deletes and replacements of one stack, classed by data-loss risk. */
export function destructiveChanges(stack: StackSummary): DestructiveChange[] {
  return stack.changes
    .filter((c): c is ResourceChangeSummary & { kind: "delete" | "replace" } => c.kind === "delete" || c.kind === "replace")
    .map((c) => {
      const { risk, reason: riskReason } = riskOf(c.type);
      return {
        stack: stack.stack,
        address: c.address,
        type: c.type,
        action: c.kind,
        forcedBy: c.attributes.map((a) => a.path),
        reason: c.reason,
        risk,
        riskReason,
        blocking: c.kind === "delete" || risk === "stateful",
      };
    });
}

/** Group stacks by environment (`<env>-<cloud>`), production first, and collect what is destructive. */
export function buildSummary(plans: readonly { stack: string; plan: PlanJson }[]): PlanSummary {
  const environments = new Map<string, EnvironmentSummary>();
  const productionAffected: string[] = [];
  for (const { stack, plan } of plans) {
    const [, env, cloud] = STACK_NAME.exec(stack) ?? [];
    if (!env) throw new PlanInputError(`stack name "${stack}" is not <env>-<cloud>-<unit> (e.g. test-aws-network)`);
    const environment = `${env}-${cloud}`;
    const production = PRODUCTION.test(env);
    const summary = environments.get(environment) ?? { environment, production, stacks: [] };
    environments.set(environment, summary);
    const stackSummary = summarizeStack(stack, plan);
    summary.stacks.push(stackSummary);
    if (production && stackSummary.changes.length > 0) productionAffected.push(stack);
  }
  const sorted = [...environments.values()].sort((a, b) => Number(b.production) - Number(a.production) || a.environment.localeCompare(b.environment));
  for (const env of sorted) env.stacks.sort((a, b) => a.stack.localeCompare(b.stack));
  const destructive = sorted.flatMap((env) => env.stacks.flatMap(destructiveChanges));
  return { environments: sorted, destructive, productionAffected };
}

/** Whether `--fail-on-destroy` fails: any delete, or a replacement of a stateful type. */
export function hasBlockingChange(summary: PlanSummary): boolean {
  return summary.destructive.some((d) => d.blocking);
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
const code = (text: string) => `\`${cell(text)}\``;

function describeAttribute(a: AttributeChange): string {
  const notes = [a.sensitive ? "sensitive" : "", a.knownAfterApply ? "known after apply" : ""].filter(Boolean);
  return `${code(a.path)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

function describeChange(c: ResourceChangeSummary): string {
  const attributes = c.attributes.map(describeAttribute).join(", ");
  switch (c.kind) {
    case "update":
      return `- update ${code(c.address)}${attributes ? `: ${attributes}` : ""}`;
    case "replace":
      return `- **replace** ${code(c.address)} (${riskOf(c.type).risk})${attributes ? ` forced by ${attributes}` : ""}${c.reason ? `: ${c.reason}` : ""}`;
    case "delete":
      return `- **delete** ${code(c.address)} (${riskOf(c.type).risk})${c.reason ? `: ${c.reason}` : ""}`;
    case "forget":
      return `- forget ${code(c.address)}: removed from state, left in the cloud`;
    default:
      return `- create ${code(c.address)}`;
  }
}

function countsLine(s: StackSummary): string {
  return `${s.add} to add, ${s.change} to change, ${s.replace} to replace, ${s.destroy} to destroy`;
}

/** Markdown for a pull-request comment. */
export function renderMarkdown(summary: PlanSummary): string {
  const lines = ["## Terraform plan summary", ""];
  lines.push(
    summary.productionAffected.length > 0 ? `**Production affected: yes** (${summary.productionAffected.join(", ")})` : "**Production affected: no**",
    "",
  );
  for (const env of summary.environments) {
    lines.push(`### ${env.environment}${env.production ? " (production)" : ""}`, "");
    lines.push("| stack | add | change | destroy | replace |", "| --- | ---: | ---: | ---: | ---: |");
    for (const s of env.stacks) lines.push(`| ${s.errored ? `${s.stack} (plan errored)` : s.stack} | ${s.add} | ${s.change} | ${s.destroy} | ${s.replace} |`);
    lines.push("");
  }
  const blocking = summary.destructive.filter((d) => d.blocking);
  const stateless = summary.destructive.filter((d) => !d.blocking);
  if (summary.destructive.length === 0) {
    lines.push("No resource is deleted or replaced.", "");
  } else {
    lines.push(`### Deletes and replacements: ${blocking.length} need approval, ${stateless.length} stateless replacement(s)`, "");
    lines.push("| stack | resource | action | data-loss risk | forced by | reason |", "| --- | --- | --- | --- | --- | --- |");
    for (const d of [...blocking, ...stateless]) {
      const forced = d.forcedBy.length > 0 ? d.forcedBy.map(code).join(", ") : "-";
      lines.push(`| ${d.stack} | ${code(d.address)} | ${d.action} | **${d.risk}**: ${cell(d.riskReason)} | ${forced} | ${cell(d.reason) || "-"} |`);
    }
    lines.push("");
    if (stateless.length > 0) {
      lines.push("Note: stateless replacements re-create configuration from code and lose no data; they do not need the destroy approval.", "");
    }
  }
  const changed = summary.environments.flatMap((env) => env.stacks).filter((s) => s.changes.length > 0);
  if (changed.length > 0) {
    lines.push("### Every change", "");
    for (const s of changed) {
      lines.push(`<details><summary>${s.stack}: ${countsLine(s)}</summary>`, "");
      lines.push(...s.changes.map(describeChange), "", "</details>", "");
    }
  }
  return lines.join("\n").replace(/\n+$/, "") + "\n";
}
