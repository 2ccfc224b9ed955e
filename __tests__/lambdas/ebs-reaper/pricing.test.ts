import { ebsVolumePrices, monthlyCostUsd } from "../../../lambdas/ebs-reaper/pricing";
import { shippedPriceTable } from "../../../tools/cost/price-table";

describe("reaper pricing from the price table", () => {
  it("takes every EBS volume type the table prices in the region", () => {
    const table = shippedPriceTable();
    const regional = table.entries.filter((e) => /^aws\.ebs\./.test(e.id) && e.perRegion["eu-west-1"] !== undefined);
    const prices = ebsVolumePrices("eu-west-1");
    expect(Object.keys(prices).sort()).toEqual(regional.map((e) => e.id.replace(/^aws\.ebs\.|-gb-month$/g, "")).sort());
    expect(monthlyCostUsd(100, "gp3", prices)).toBeCloseTo(100 * table.price("aws.ebs.gp3-gb-month", { resource: "t", region: "eu-west-1" }), 2);
  });
  it("leaves a region the table does not price without prices, so waste shows as unknown, not free", () => {
    const prices = ebsVolumePrices("mars-north-1");
    expect(prices).toEqual({});
    expect(monthlyCostUsd(100, "gp3", prices)).toBeNull();
  });
});
