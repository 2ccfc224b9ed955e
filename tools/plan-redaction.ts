/**
 * Redaction of `terraform show -json <planfile>` output: the same plan JSON with every value
 * terraform knows to be sensitive replaced by {@link REDACTED}, so the result may be uploaded as a
 * CI artifact, posted, or diffed without handing its readers a secret.
 *
 * What terraform marks, and where this looks:
 * - resource and data source values: `before_sensitive` / `after_sensitive` masks in
 *   `resource_changes`, `resource_drift` and `deferred_changes`; `sensitive_values` masks in
 *   `planned_values` and `prior_state` (data source results live there too), child modules included;
 * - outputs: `sensitive: true` in `planned_values` / `prior_state`, masks in `output_changes`;
 * - input variables declared `sensitive = true` in `configuration` (root and child modules): their
 *   value in `variables`, their `default`, and the value a module call passes them.
 * Masks mirror the value's shape (objects, lists, sets as lists, maps), so a nested sensitive
 * attribute is redacted alone and its siblings stay readable. In a change, a redacted value that
 * differs between before and after shows as {@link REDACTED_CHANGED} on the after side.
 *
 * What terraform does not mark, redacted anyway:
 * - copies made by the provider: terraform loses the mark when a provider derives one attribute
 *   from another (measured with hashicorp/aws 5.100.0: `tags.token` from a sensitive variable is
 *   marked, the same value in `tags_all` is not). So every string a mask redacted (at least
 *   {@link MIN_SCRUB_LENGTH} characters) is then scrubbed wherever else it occurs in the plan, also
 *   inside longer strings;
 * - literal values written in the configuration for an attribute that is sensitive in the plan, and
 *   every literal in a `provider_config` (credentials are often written there; the region goes too).
 *   These heuristic redactions do not feed the scrub: only values terraform marked do, so a region
 *   or a tag value is not blanked out across the plan.
 */

/** What a sensitive value is replaced with. */
export const REDACTED = "(sensitive)";

/**
 * What the `after` side of a change shows where a sensitive value differs from `before`: a reviewer
 * (and the apply-time digest) still sees that a secret changes, never what it is, as in terraform's
 * own plan output.
 */
export const REDACTED_CHANGED = "(sensitive, changed)";

/**
 * Shortest redacted string scrubbed from the rest of the plan; shorter ones ("1", "true") would
 * blank out unrelated values, and are still redacted where terraform marks them.
 */
export const MIN_SCRUB_LENGTH = 4;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The input is not `terraform show -json <planfile>` output. */
export class NotAPlanError extends Error {}

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Check that `value` is a saved plan rendered by `terraform show -json` (a state file or any other
 * JSON is rejected), naming `source` in the error.
 */
export function assertPlanJson(value: unknown, source: string): asserts value is JsonObject {
  if (!isObject(value)) throw new NotAPlanError(`${source} is not a terraform plan in JSON (not a JSON object): pass the output of "terraform show -json <planfile>"`);
  const missing = ["format_version", "terraform_version", "planned_values", "configuration"].filter((key) => !(key in value));
  if (missing.length > 0 || typeof value.format_version !== "string" || !isObject(value.planned_values)) {
    throw new NotAPlanError(`${source} is not a terraform plan in JSON (missing ${missing.join(", ") || "a valid format_version/planned_values"}): pass the output of "terraform show -json <planfile>"`);
  }
}

/**
 * Replace the parts of `value` that `mask` marks `true`; `mask` mirrors `value`'s shape. Every
 * string leaf replaced is added to `seen` (when given), for the scrub of unmarked copies.
 */
export function applyMask(value: Json | undefined, mask: Json | undefined, seen?: Set<string>): Json | undefined {
  if (value === undefined) return undefined;
  if (mask === true) {
    collectStrings(value, seen);
    return REDACTED;
  }
  if (Array.isArray(value) && Array.isArray(mask)) return value.map((item, i) => applyMask(item, mask[i], seen) as Json);
  if (isObject(value) && isObject(mask)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, applyMask(item, mask[key], seen) as Json]));
  }
  return value;
}

/** Replace `value` with {@link REDACTED}, remembering its strings for the scrub. */
function hide(value: Json, seen: Set<string>): Json {
  collectStrings(value, seen);
  return REDACTED;
}

function collectStrings(value: Json, seen: Set<string> | undefined): void {
  if (!seen) return;
  if (typeof value === "string") seen.add(value);
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, seen));
  else if (isObject(value)) Object.values(value).forEach((item) => collectStrings(item, seen));
}

/**
 * In every change of `redacted`, mark where a redacted `after` hides a value that differs from
 * `before` in `raw` (both plans have the same shape: `redacted` was made from `raw`).
 */
function markChangedSecrets(raw: JsonObject, redacted: JsonObject): JsonObject {
  const markChange = (rawChange: Json, change: Json): Json => {
    if (!isObject(rawChange) || !isObject(change) || !("before" in change) || !("after" in change)) return change;
    return { ...change, after: markChanged(rawChange.before, rawChange.after, change.before, change.after) as Json };
  };
  const markEntry = (rawEntry: Json, entry: Json): Json => {
    if (!isObject(rawEntry) || !isObject(entry)) return entry;
    const out: JsonObject = { ...entry };
    if ("change" in entry) out.change = markChange(rawEntry.change, entry.change);
    if ("resource_change" in entry) out.resource_change = markEntry(rawEntry.resource_change, entry.resource_change);
    return out;
  };
  const out: JsonObject = { ...redacted };
  for (const key of ["resource_changes", "resource_drift", "deferred_changes"]) {
    const rawList = raw[key];
    const list = redacted[key];
    if (Array.isArray(rawList) && Array.isArray(list)) out[key] = list.map((entry, i) => markEntry(rawList[i], entry));
  }
  if (isObject(raw.output_changes) && isObject(redacted.output_changes)) {
    const rawOutputs = raw.output_changes;
    out.output_changes = Object.fromEntries(Object.entries(redacted.output_changes).map(([name, change]) => [name, markChange(rawOutputs[name], change)]));
  }
  return out;
}

function markChanged(rawBefore: Json | undefined, rawAfter: Json | undefined, before: Json | undefined, after: Json | undefined): Json | undefined {
  if (typeof after === "string" && after !== rawAfter && before === after && JSON.stringify(rawBefore) !== JSON.stringify(rawAfter)) return REDACTED_CHANGED;
  if (Array.isArray(after)) {
    return after.map((item, i) => markChanged(Array.isArray(rawBefore) ? rawBefore[i] : undefined, Array.isArray(rawAfter) ? rawAfter[i] : undefined, Array.isArray(before) ? before[i] : undefined, item) as Json);
  }
  if (isObject(after)) {
    const pick = (value: Json | undefined, key: string) => (isObject(value) ? value[key] : undefined);
    return Object.fromEntries(Object.entries(after).map(([key, item]) => [key, markChanged(pick(rawBefore, key), pick(rawAfter, key), pick(before, key), item) as Json]));
  }
  return after;
}

/** Replace every occurrence of a `secrets` string in any string leaf of `value`. */
function scrub(value: Json, secrets: readonly string[]): Json {
  if (typeof value === "string") {
    let out = value;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, secrets)]));
  return value;
}

/** Does `mask` mark anything sensitive? */
function marksAnything(mask: Json | undefined): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(marksAnything);
  if (isObject(mask)) return Object.values(mask).some(marksAnything);
  return false;
}

/** A `{before, after, before_sensitive, after_sensitive}` change, redacted. */
function redactChange(change: JsonObject, seen: Set<string>): JsonObject {
  const out: JsonObject = { ...change };
  for (const side of ["before", "after"] as const) {
    if (side in change) out[side] = applyMask(change[side], change[`${side}_sensitive`], seen) as Json;
  }
  return out;
}

/** One resource change (or a deferred entry wrapping one), redacted. */
function redactResourceChange(entry: Json, seen: Set<string>): Json {
  if (!isObject(entry)) return entry;
  const out: JsonObject = { ...entry };
  if (isObject(entry.change)) out.change = redactChange(entry.change, seen);
  if (isObject(entry.resource_change)) out.resource_change = redactResourceChange(entry.resource_change, seen);
  return out;
}

/** A `planned_values` / `prior_state.values` module tree, redacted. */
function redactModule(module: Json | undefined, seen: Set<string>): Json | undefined {
  if (!isObject(module)) return module;
  const out: JsonObject = { ...module };
  if (Array.isArray(module.resources)) {
    out.resources = module.resources.map((resource) =>
      isObject(resource) ? { ...resource, values: applyMask(resource.values, resource.sensitive_values, seen) as Json } : resource,
    );
  }
  if (Array.isArray(module.child_modules)) out.child_modules = module.child_modules.map((child) => redactModule(child, seen) as Json);
  return out;
}

/** `{ outputs, root_module }` of planned values or prior state, redacted. */
function redactValues(values: Json | undefined, seen: Set<string>): Json | undefined {
  if (!isObject(values)) return values;
  const out: JsonObject = { ...values };
  if (isObject(values.outputs)) {
    out.outputs = Object.fromEntries(
      Object.entries(values.outputs).map(([name, output]) => [
        name,
        isObject(output) && output.sensitive === true && "value" in output ? { ...output, value: hide(output.value, seen) } : output,
      ]),
    );
  }
  if ("root_module" in values) out.root_module = redactModule(values.root_module, seen) as Json;
  return out;
}

/** Every sensitivity mask recorded for each resource address (without instance keys). */
function masksByConfigAddress(plan: JsonObject): Map<string, Json[]> {
  const masks = new Map<string, Json[]>();
  const add = (address: Json | undefined, mask: Json | undefined) => {
    if (typeof address !== "string" || mask === undefined) return;
    const key = address.replace(/\[[^\]]*\]/g, "");
    masks.set(key, [...(masks.get(key) ?? []), mask]);
  };
  for (const entry of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (isObject(entry) && isObject(entry.change)) {
      add(entry.address, entry.change.before_sensitive);
      add(entry.address, entry.change.after_sensitive);
    }
  }
  return masks;
}

/**
 * Redact literal expressions in a configuration `expressions` block: `maskOf(name)` is the
 * sensitivity mask of that argument (`true`, a nested mask, or undefined when not sensitive).
 */
function redactExpressions(expressions: Json | undefined, maskOf: (name: string) => Json | undefined): Json | undefined {
  if (!isObject(expressions)) return expressions;
  return Object.fromEntries(
    Object.entries(expressions).map(([name, expression]) => {
      const mask = maskOf(name);
      if (mask === undefined || !isObject(expression) || !("constant_value" in expression)) return [name, expression];
      return [name, { ...expression, constant_value: applyMask(expression.constant_value, mask) as Json }];
    }),
  );
}

/** Redact literal expressions of every block (nested blocks are lists of expression maps). */
function redactAllLiterals(expressions: Json | undefined): Json | undefined {
  if (Array.isArray(expressions)) return expressions.map((item) => redactAllLiterals(item) as Json);
  if (!isObject(expressions)) return expressions;
  if ("constant_value" in expressions) return { ...expressions, constant_value: REDACTED };
  return Object.fromEntries(Object.entries(expressions).map(([key, item]) => [key, redactAllLiterals(item) as Json]));
}

/** Names of the variables a configuration module declares sensitive. */
function sensitiveVariables(module: JsonObject): Set<string> {
  const variables = isObject(module.variables) ? module.variables : {};
  return new Set(Object.entries(variables).filter(([, v]) => isObject(v) && v.sensitive === true).map(([name]) => name));
}

/** A configuration module, redacted: sensitive defaults, literals of sensitive attributes, module-call arguments. */
function redactConfigModule(module: Json | undefined, prefix: string, masks: Map<string, Json[]>, seen: Set<string>): Json | undefined {
  if (!isObject(module)) return module;
  const out: JsonObject = { ...module };
  const secretVariables = sensitiveVariables(module);
  if (isObject(module.variables)) {
    out.variables = Object.fromEntries(
      Object.entries(module.variables).map(([name, variable]) => [
        name,
        secretVariables.has(name) && isObject(variable) && "default" in variable ? { ...variable, default: hide(variable.default, seen) } : variable,
      ]),
    );
  }
  if (isObject(module.outputs)) {
    out.outputs = Object.fromEntries(
      Object.entries(module.outputs).map(([name, output]) => [
        name,
        isObject(output) && output.sensitive === true ? { ...output, expression: redactAllLiterals(output.expression) as Json } : output,
      ]),
    );
  }
  if (Array.isArray(module.resources)) {
    out.resources = module.resources.map((resource) => {
      if (!isObject(resource) || typeof resource.address !== "string") return resource;
      const recorded = masks.get(`${prefix}${resource.address}`) ?? [];
      const maskOf = (name: string): Json | undefined => {
        if (recorded.some((mask) => mask === true)) return true;
        const marked = recorded.map((mask) => (isObject(mask) ? mask[name] : undefined)).filter(marksAnything);
        // Instances whose masks differ in shape: redact the whole argument.
        return marked.length === 0 ? undefined : marked.every((m) => JSON.stringify(m) === JSON.stringify(marked[0])) ? marked[0] : true;
      };
      return { ...resource, expressions: redactExpressions(resource.expressions, maskOf) as Json };
    });
  }
  if (isObject(module.module_calls)) {
    out.module_calls = Object.fromEntries(
      Object.entries(module.module_calls).map(([name, call]) => {
        if (!isObject(call)) return [name, call];
        const child = isObject(call.module) ? call.module : {};
        const childSecrets = sensitiveVariables(child);
        return [
          name,
          {
            ...call,
            expressions: redactExpressions(call.expressions, (variable) => (childSecrets.has(variable) ? true : undefined)) as Json,
            module: redactConfigModule(call.module, `${prefix}module.${name}.`, masks, seen) as Json,
          },
        ];
      }),
    );
  }
  return out;
}

/** The whole `configuration` block, redacted. */
function redactConfiguration(configuration: Json | undefined, masks: Map<string, Json[]>, seen: Set<string>): Json | undefined {
  if (!isObject(configuration)) return configuration;
  const out: JsonObject = { ...configuration, root_module: redactConfigModule(configuration.root_module, "", masks, seen) as Json };
  if (isObject(configuration.provider_config)) {
    out.provider_config = Object.fromEntries(
      Object.entries(configuration.provider_config).map(([name, provider]) => [
        name,
        isObject(provider) ? { ...provider, expressions: redactAllLiterals(provider.expressions) as Json } : provider,
      ]),
    );
  }
  return out;
}

/**
 * The plan with every sensitive value replaced by {@link REDACTED}. The input is not modified; the
 * output has the same shape, so every tool reading plan JSON (plan-summary) reads it unchanged.
 */
export function redactPlan(plan: unknown, source = "plan"): JsonObject {
  assertPlanJson(plan, source);
  const root = isObject(plan.configuration) && isObject(plan.configuration.root_module) ? plan.configuration.root_module : {};
  const secretVariables = sensitiveVariables(root);
  const seen = new Set<string>();
  const out: JsonObject = { ...plan };
  if (isObject(plan.variables)) {
    out.variables = Object.fromEntries(
      Object.entries(plan.variables).map(([name, variable]) => [
        name,
        secretVariables.has(name) && isObject(variable) && "value" in variable ? { ...variable, value: hide(variable.value, seen) } : variable,
      ]),
    );
  }
  out.planned_values = redactValues(plan.planned_values, seen) as Json;
  if (isObject(plan.prior_state)) out.prior_state = { ...plan.prior_state, values: redactValues(plan.prior_state.values, seen) as Json };
  for (const key of ["resource_changes", "resource_drift", "deferred_changes"]) {
    const list = plan[key];
    if (Array.isArray(list)) out[key] = list.map((entry) => redactResourceChange(entry, seen));
  }
  if (isObject(plan.output_changes)) {
    out.output_changes = Object.fromEntries(
      Object.entries(plan.output_changes).map(([name, change]) => [name, isObject(change) ? redactChange(change, seen) : change]),
    );
  }
  out.configuration = redactConfiguration(plan.configuration, masksByConfigAddress(plan), seen) as Json;
  const secrets = [...seen].filter((secret) => secret.length >= MIN_SCRUB_LENGTH && secret !== REDACTED && secret !== REDACTED_CHANGED).sort((a, b) => b.length - a.length);
  const scrubbed = secrets.length > 0 ? (scrub(out, secrets) as JsonObject) : out;
  return markChangedSecrets(plan, scrubbed);
}
