/**
 * Estimated monthly storage cost of a volume, in USD rounded to cents; null when the price table
 * has no entry for the type, so an unknown type is shown as unknown rather than as free.
 */
export function monthlyCostUsd(sizeGiB: number, volumeType: string, prices: Readonly<Record<string, number>>): number | null {
  const price = prices[volumeType];
  if (price === undefined) return null;
  return Math.round(sizeGiB * price * 100) / 100;
}
