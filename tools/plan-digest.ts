/**
 * The change set of a plan, its canonical digest, and the comparison the apply job runs: what was
 * reviewed on the pull request (redacted plan JSON) against the re-plan made inside the protected
 * apply job. Applying is refused when they differ, naming the resources that do.
 *
 * A change-set entry holds what a reviewer approves: the managed resource's address, its actions,
 * the paths forcing a replacement, the attribute paths that change, and the (redacted) new values
 * of the attributes holding them. Values that merely drift between the two plans in attributes the
 * plan does not change (refreshed timestamps, ids) are left out, so they do not block an apply;
 * no-ops and data-source reads are left out too. Both sides are compared after redaction, so a
 * secret never needs to leave the apply job, and a secret that changes shows as such on both.
 *
 * Root outputs that change are entries too (address `output.<name>`): other stacks and people read
 * them (role ARNs stored as secrets, endpoints), so an output change nobody reviewed is refused
 * like a resource change. Sensitive outputs compare as their redacted placeholder.
 */
import { createHash } from "crypto";
import { changedPaths, AttributeChange, PlanChange, PlanJson, PlanResourceChange } from "./review/plan-changes";

/** One resource's reviewed change. */
export interface ChangeSetEntry {
  readonly address: string;
  readonly actions: readonly string[];
  readonly replacePaths: readonly (readonly (string | number)[])[];
  /** Changing attribute paths, e.g. "tags.team", with unknown / sensitive markers. */
  readonly paths: readonly string[];
  /** New (redacted) values of the top-level attributes that change. */
  readonly after: Readonly<Record<string, unknown>>;
}

/** A difference between the reviewed and the re-planned change set, for one resource. */
export interface ChangeSetDifference {
  readonly address: string;
  /** "only reviewed", "only re-planned" or what differs, e.g. "actions update -> replace". */
  readonly difference: string;
}

const TOP_LEVEL = /^[^.[]+/;

/** Changing paths with their unknown / sensitive markers, sorted. */
function pathsOf(changed: readonly AttributeChange[]): string[] {
  return changed.map((c) => `${c.path}${c.knownAfterApply ? " (known after apply)" : ""}${c.sensitive ? " (sensitive)" : ""}`).sort();
}

function entryOf(change: PlanResourceChange): ChangeSetEntry {
  const { actions, before, after, after_unknown, before_sensitive, after_sensitive, replace_paths } = change.change;
  const changed = changedPaths({ before, after, unknown: after_unknown, beforeSensitive: before_sensitive, afterSensitive: after_sensitive });
  const attributes = [...new Set(changed.map((c) => TOP_LEVEL.exec(c.path)?.[0] ?? c.path))].sort();
  const newValues = (after ?? {}) as Record<string, unknown>;
  return {
    address: change.address,
    actions: [...actions],
    replacePaths: [...(replace_paths ?? [])].map((p) => [...p]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    paths: pathsOf(changed),
    after: Object.fromEntries(attributes.map((name) => [name, newValues[name] ?? null])),
  };
}

const OUTPUT_VALUE = "value";

/** An output's change, as an entry whose one attribute `value` holds the whole output. */
function outputEntryOf(name: string, change: PlanChange): ChangeSetEntry {
  const wrap = (value: unknown) => (value === undefined ? undefined : { [OUTPUT_VALUE]: value });
  const changed = changedPaths({
    before: wrap(change.before ?? null),
    after: wrap(change.after ?? null),
    unknown: wrap(change.after_unknown),
    beforeSensitive: wrap(change.before_sensitive),
    afterSensitive: wrap(change.after_sensitive),
  });
  return {
    address: `output.${name}`,
    actions: [...change.actions],
    replacePaths: [],
    paths: pathsOf(changed),
    after: { [OUTPUT_VALUE]: change.after ?? null },
  };
}

const isNoOp = (actions: readonly string[]) => actions.length === 1 && actions[0] === "no-op";

/** The change set of a plan: every managed resource and root output that changes, sorted by address. */
export function changeSet(plan: PlanJson): ChangeSetEntry[] {
  const resources = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && !isNoOp(rc.change.actions)).map(entryOf);
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => !isNoOp(change.actions))
    .map(([name, change]) => outputEntryOf(name, change));
  return [...resources, ...outputs].sort((a, b) => a.address.localeCompare(b.address));
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** sha256 of the canonical change set, e.g. "sha256:3f1c...". */
export function changeSetDigest(plan: PlanJson): string {
  return `sha256:${createHash("sha256").update(canonicalJson(changeSet(plan))).digest("hex")}`;
}

/** The resources whose change differs between the reviewed plan and the re-plan (empty: same). */
export function compareChangeSets(reviewed: PlanJson, replanned: PlanJson): ChangeSetDifference[] {
  const index = (plan: PlanJson) => new Map(changeSet(plan).map((entry) => [entry.address, entry]));
  const a = index(reviewed);
  const b = index(replanned);
  const differences: ChangeSetDifference[] = [];
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const was = a.get(address);
    const now = b.get(address);
    if (!now) differences.push({ address, difference: `only in the reviewed plan (${was!.actions.join("+")})` });
    else if (!was) differences.push({ address, difference: `only in the re-plan (${now.actions.join("+")})` });
    else if (canonicalJson(was) !== canonicalJson(now)) differences.push({ address, difference: describe(was, now) });
  }
  return differences;
}

function describe(was: ChangeSetEntry, now: ChangeSetEntry): string {
  if (canonicalJson(was.actions) !== canonicalJson(now.actions)) return `actions ${was.actions.join("+")} -> ${now.actions.join("+")}`;
  const paths = [...new Set([...was.paths, ...now.paths])].filter((p) => !was.paths.includes(p) || !now.paths.includes(p));
  if (paths.length > 0) return `changed attributes differ: ${paths.join(", ")}`;
  const values = Object.keys({ ...was.after, ...now.after }).filter((k) => canonicalJson(was.after[k]) !== canonicalJson(now.after[k]));
  if (values.length > 0) return `new values differ: ${values.join(", ")}`;
  return "replacement paths differ";
}
