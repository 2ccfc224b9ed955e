import { PRICE_TABLE } from "../../../tools/cost/prices";
import { PriceTable, shippedPriceTable } from "../../../tools/cost/price-table";

const table = (patch: (t: any) => void) => {
  const raw = structuredClone(PRICE_TABLE) as any;
  patch(raw);
  return () => new PriceTable(raw);
};
const use = { resource: "test-aws-eks aws_eks_cluster.c", region: "eu-west-1" };

describe("price table", () => {
  it("ships a parseable table whose every entry names a source page, a day and a unit", () => {
    const prices = shippedPriceTable();
    expect(prices.entries.length).toBeGreaterThan(0);
    for (const entry of prices.entries) {
      expect(entry.source).toMatch(/^https:\/\//);
      expect(entry.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.unit).not.toBe("");
      if (!entry.confirmed) expect(entry.note).toBeTruthy();
    }
  });
  it("rejects an entry without a source, naming the entry", () => {
    expect(table((t) => delete t.entries[0].source)).toThrow(new RegExp(`entry "${PRICE_TABLE.entries[0].id}" source must be the URL of the public page`));
  });
  it("rejects an entry without a date, naming the entry", () => {
    expect(table((t) => delete t.entries[1].date)).toThrow(new RegExp(`entry "${PRICE_TABLE.entries[1].id.replace(/\./g, "\\.")}" date must be the day the price was read`));
  });
  it("rejects a negative price and an entry listed twice", () => {
    expect(table((t) => (t.entries[0].perRegion = { "eu-west-1": -1 }))).toThrow(/perRegion.eu-west-1 must be a number >= 0/);
    expect(table((t) => t.entries.push(t.entries[0]))).toThrow(/appears twice/);
  });
  it("names the resource and the region when a region is missing", () => {
    const prices = table((t) => t.entries.push({ id: "aws.test.regional", description: "d", unit: "USD per hour", perRegion: { "us-east-1": 1 }, source: "https://example.com/p", date: "2026-01-01", confirmed: true }))();
    expect(() => prices.price("aws.test.regional", use)).toThrow(/"aws.test.regional" has no price for region eu-west-1 \(needed by test-aws-eks aws_eks_cluster.c\); add "eu-west-1"/);
  });
  it("falls back to the global * price and names a missing entry", () => {
    expect(shippedPriceTable().price("aws.eks.cluster-hour", { ...use, region: "ap-south-1" })).toBe(0.1);
    expect(() => shippedPriceTable().price("aws.nope", use)).toThrow(/no entry "aws.nope" \(needed by test-aws-eks aws_eks_cluster.c\)/);
  });
});
