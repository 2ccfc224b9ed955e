/**
 * The config edge: strict objects and the one message format for every config mistake,
 *
 *   <file>: <field path> <problem> (got <value>)
 *
 * one line per problem, every problem at once, before any construct runs.
 */
import { z } from "zod";
import { didYouMean } from "../constructs/core/did-you-mean";
import { ConfigError } from "../constructs/errors";

/**
 * An object that rejects fields it does not know, naming each with the closest known field: a
 * misspelt optional field (`flowLogRetentionDay`) would otherwise be dropped silently and its
 * default used. `hint` adds advice for a given unknown key (e.g. "keys never go in config").
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, hint?: (key: string) => string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? // One line per key, in issue.keys order: formatIssue splits them again.
          issue.keys.map((key) => `is not a known field${didYouMean(key, known)}${hint?.(key) ?? ""}`).join("\n")
        : undefined,
  });
}

type Issue = z.core.$ZodIssue;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `eks.nodeGroups[0].maxSize` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join("");
}

const MAX_VALUE_CHARS = 80;
/** A one- or two-letter value is within two edits of every short option: no hint for those. */
const MIN_HINT_LENGTH = 3;

function got(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return `got ${text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text}`;
}

/** zod's own English messages ("Invalid input: …", "Too small: …") are replaced; ours are kept. */
const ZOD_DEFAULT = /^(Invalid (input|option|discriminator)|Too (small|big)|Unrecognized key)/;

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function bound(issue: Issue & { code: "too_small" | "too_big" }): string {
  const limit = issue.code === "too_small" ? issue.minimum : issue.maximum;
  const exclusive = issue.inclusive === false;
  switch (issue.origin) {
    case "array":
    case "set":
      return issue.code === "too_small" ? `needs at least ${limit} item(s)` : `takes at most ${limit} item(s)`;
    case "string":
      return issue.code === "too_small" ? `must be at least ${limit} character(s) long` : `must be at most ${limit} character(s) long`;
    default:
      return `must be ${issue.code === "too_small" ? (exclusive ? ">" : ">=") : exclusive ? "<" : "<="} ${limit}`;
  }
}

function problem(issue: Issue, value: unknown): string {
  const custom = !ZOD_DEFAULT.test(issue.message);
  switch (issue.code) {
    case "invalid_type":
      if (custom) return issue.message;
      return value === undefined ? "is required" : `must be ${article(issue.expected)}`;
    case "invalid_value": {
      const hint = typeof value === "string" && value.length >= MIN_HINT_LENGTH ? didYouMean(value, issue.values.map(String)) : "";
      const base = custom ? issue.message : `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.join(", ")}`}`;
      return `${base}${hint}`;
    }
    case "too_small":
    case "too_big":
      return custom ? issue.message : bound(issue);
    default:
      return custom ? issue.message : "is not valid";
  }
}

/** Lines for one issue found at `prefix` (the path of an enclosing union, if any). */
function formatIssue(source: string, raw: unknown, issue: Issue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const reasons = ZOD_DEFAULT.test(issue.message) ? [] : issue.message.split("\n");
    return issue.keys.map((key, i) => `${source}: ${formatPath([...path, key])} ${reasons[i] ?? "is not a known field"} (${got(valueAt(raw, [...path, key]))})`);
  }
  if (issue.code === "invalid_union") {
    if (issue.errors.length === 0) {
      const value = valueAt(raw, path);
      const options = "options" in issue ? (issue.options as unknown[]).map(String) : [];
      const hint = typeof value === "string" && value.length >= MIN_HINT_LENGTH ? didYouMean(value, options) : "";
      const reason = options.length ? `must be one of ${options.join(", ")}${hint}` : problem(issue, value);
      return [`${source}: ${formatPath(path) || "(root)"} ${reason} (${got(value)})`];
    }
    if (!ZOD_DEFAULT.test(issue.message)) return [`${source}: ${formatPath(path) || "(root)"} ${issue.message} (${got(valueAt(raw, path))})`];
    // The alternative the value came closest to (fewest problems) explains the mistake best.
    const closestBranch = [...issue.errors].sort((a, b) => a.length - b.length)[0];
    return closestBranch.flatMap((inner) => formatIssue(source, raw, inner, path));
  }
  const value = valueAt(raw, path);
  return [`${source}: ${formatPath(path) || "(root)"} ${problem(issue, value)} (${got(value)})`];
}

/** Every problem of `raw` against `schema`, one line each; none means `data` is the parsed config. */
export function checkConfig<S extends z.ZodType>(schema: S, source: string, raw: unknown): { data?: z.output<S>; problems: string[] } {
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data, problems: [] };
  return { problems: result.error.issues.flatMap((issue) => formatIssue(source, raw, issue, [])) };
}

/**
 * Parse raw environment config with a schema. Every problem found is reported at once, each as
 * `<file>: <field> <problem> (got <value>)`, so a typo is fixed in one round trip.
 */
export function parseEnvironment<S extends z.ZodType>(schema: S, source: string, raw: unknown): z.output<S> {
  const { data, problems } = checkConfig(schema, source, raw);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return data as z.output<S>;
}
