import { PRICE_TABLE } from "../../tools/cost/prices";

/**
 * USD per GiB-month by volume type in `region`, from the repository's price table, so the reaper's
 * waste figure and `npm run cost` use the same prices. Types the table has no price for in that
 * region are left out, and the report then shows their cost as unknown rather than as free.
 */
export function ebsVolumePrices(region: string): Record<string, number> {
  const prices: Record<string, number> = {};
  for (const entry of PRICE_TABLE.entries) {
    const volumeType = /^aws\.ebs\.(.+)-gb-month$/.exec(entry.id)?.[1];
    const price = entry.perRegion[region] ?? entry.perRegion["*"];
    if (volumeType !== undefined && price !== undefined) prices[volumeType] = price;
  }
  return prices;
}

/**
 * Estimated monthly storage cost of a volume, in USD rounded to cents; null when the price table
 * has no entry for the type, so an unknown type is shown as unknown rather than as free.
 */
export function monthlyCostUsd(sizeGiB: number, volumeType: string, prices: Readonly<Record<string, number>>): number | null {
  const price = prices[volumeType];
  if (price === undefined) return null;
  return Math.round(sizeGiB * price * 100) / 100;
}
