import { isDeepStrictEqual } from "util";
import { KnownDrift } from "./known-gaps";

/** The parts of `terraform show -json <plan>` the drift check reads. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Record<string, { actions: readonly string[] }>;
}

/** One entry of a plan's `resource_changes`. */
export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown> | null;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

/** Outcome of comparing a post-apply plan with the known-drift list. */
export interface DriftReport {
  /** Changes explained by a known drift, e.g. "aws_kms_key.k: rotation_period_in_days (update)". */
  readonly known: string[];
  /** Changes that only follow from another change (values unknown until it is applied). */
  readonly consequences: string[];
  /** Everything else: the run fails if this is not empty. */
  readonly unexpected: string[];
}

function containsUnknown(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

function at(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), value);
}

/**
 * The attributes that cause a change, as opposed to attributes that merely become unknown because
 * something they depend on changes. For an update: attributes whose new value is known and
 * differs. For a replacement: the roots of `replace_paths` whose new value is known.
 */
export function causingAttributes(rc: ResourceChange): string[] {
  const { before, after, after_unknown: unknown, replace_paths: replacePaths } = rc.change;
  if (rc.change.actions.length === 2) {
    return [...new Set((replacePaths ?? []).filter((path) => !containsUnknown(at(unknown, path))).map((path) => String(path[0])))].sort();
  }
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...names].filter((name) => !containsUnknown(unknown?.[name]) && !isDeepStrictEqual(before?.[name], after?.[name])).sort();
}

/**
 * Check that a plan made right after apply changes nothing except the known emulator drifts of
 * `motoVersion` and what follows from them. Creates and deletes are never a known drift; data
 * source reads are not changes; changes with no cause anywhere in the plan are unexpected.
 */
export function checkPlanAgainstKnownDrifts(plan: PlanJson, drifts: readonly KnownDrift[], motoVersion: string): DriftReport {
  const known: string[] = [];
  const consequences: string[] = [];
  const unexpected: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (rc.mode === "data" || actions.every((a) => a === "no-op" || a === "read")) continue;
    const action = actions.length === 2 ? "replace" : actions[0];
    if (action !== "update" && action !== "replace") {
      unexpected.push(`${rc.address}: ${action}`);
      continue;
    }
    const causes = causingAttributes(rc);
    if (causes.length === 0) consequences.push(`${rc.address} (${action})`);
    for (const attribute of causes) {
      const drift = drifts.find((d) => d.type === rc.type && d.attribute === attribute);
      const line = `${rc.address}: ${attribute} (${action})`;
      if (!drift) unexpected.push(line);
      else if (drift.moto !== motoVersion) unexpected.push(`${line}: listed as a moto ${drift.moto} drift, but moto ${motoVersion} is running; re-measure and update tools/e2e/known-gaps.ts`);
      else known.push(line);
    }
  }
  for (const [name, output] of Object.entries(plan.output_changes ?? {})) {
    if (output.actions.some((a) => a !== "no-op")) consequences.push(`output ${name}`);
  }
  if (known.length === 0 && unexpected.length === 0 && consequences.length > 0) {
    unexpected.push(...consequences.map((c) => `${c}: changes with no causing attribute`));
    consequences.length = 0;
  }
  return { known, consequences, unexpected };
}
