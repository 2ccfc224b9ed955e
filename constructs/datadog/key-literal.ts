/**
 * Datadog API keys are 32 hex characters and application keys 40. Neither may appear in config,
 * code or synthesized JSON: terraform's datadog provider reads DD_API_KEY and DD_APP_KEY from
 * the environment (filled from the secret store by CI). This catches a pasted key before it is
 * committed or written into cdktf.out.
 */
const KEY_LITERAL = /(^|[^0-9a-f])([0-9a-f]{32}|[0-9a-f]{40})(?![0-9a-f])/i;

/** What to do instead of pasting a key; shared by every message that rejects one. */
export const KEY_LITERAL_FIX =
  "Datadog API/app keys never go in config or code: terraform reads DD_API_KEY and DD_APP_KEY from the environment (CI fills them from the secret store)";

/** True when `text` holds something shaped like a Datadog API (32 hex) or application (40 hex) key. */
export function looksLikeDatadogKey(text: string): boolean {
  return KEY_LITERAL.test(text);
}

/** Paths (as key lists) of every string inside `value` that looks like a Datadog key. */
export function findKeyLiterals(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (typeof value === "string") return looksLikeDatadogKey(value) ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => findKeyLiterals(inner, [...path, Array.isArray(value) ? Number(key) : key]));
}
