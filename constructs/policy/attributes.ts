/**
 * Readers for synthesized attributes. cdk.tf.json writes a nested block either as an object
 * (single blocks) or as a list (repeatable blocks), and any value may be a terraform reference
 * such as "${aws_kms_key.x.arn}" that is only known at apply time; rules go through these
 * helpers so each of them handles both shapes and references the same way.
 */
import { PolicyResource } from "./rule";

/** An attribute map of a nested block. */
export type Block = Readonly<Record<string, unknown>>;

/** True for a string holding a terraform expression (reference, function call). */
export function isReference(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** True when the attribute has a value: a reference counts as set (it resolves at apply time). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** The nested blocks under an attribute, as a list whichever shape cdk.tf.json used. */
export function blocks(value: unknown): Block[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is Block => typeof item === "object" && item !== null && !Array.isArray(item));
}

/** The first nested block under an attribute (for blocks terraform allows once). */
export function block(value: unknown): Block | undefined {
  return blocks(value)[0];
}

/** A string or list attribute as a list of strings (non-strings dropped). */
export function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

/** True for a literal or string `true`; a reference is not known to be true. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** True for a literal or string `false`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A literal number or numeric string as a number; undefined for references and absent values. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Render a value for a message: strings quoted, absent values as "unset". */
export function show(value: unknown): string {
  return value === undefined || value === null ? "unset" : JSON.stringify(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * True when `value` (anywhere inside it) references an attribute of `target`, e.g. a versioning
 * resource whose `bucket` is "${aws_s3_bucket.state_bucket_1A2B.id}".
 */
export function refersTo(value: unknown, target: PolicyResource): boolean {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  // Not preceded by an identifier character or ".", so "aws_s3_bucket.a" does not match
  // "data.aws_s3_bucket.a" and the trailing "." keeps "x" from matching "x2".
  return new RegExp(`(^|[^A-Za-z0-9_.])${escapeRegExp(target.address)}[.\\[]`).test(text);
}
