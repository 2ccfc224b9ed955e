/**
 * Kubernetes resource quantities ("250m", "512Mi", "1.5Gi", "2"), parsed so limits and requests
 * can be compared at synth time. Only the suffixes the API server accepts are understood; anything
 * else is `undefined` so callers can report it instead of comparing garbage.
 */
const SUFFIX_FACTORS: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a quantity in base units (cores or bytes), or `undefined` if it is not a valid quantity. */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  return Number(match[1]) * SUFFIX_FACTORS[match[2] ?? ""];
}
