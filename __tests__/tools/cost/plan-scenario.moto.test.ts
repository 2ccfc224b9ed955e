import { readFileSync } from "fs";
import { loadEnvironments } from "../../../environments";
import { pricingEnvironments } from "../../../tools/cost/estimate";
import { planCostDelta } from "../../../tools/cost/plan-cost";
import { costScenarioPlan, SCENARIO_FIXTURE, SCENARIO_STACK } from "../../../tools/cost/plan-scenario";
import { shippedPriceTable } from "../../../tools/cost/price-table";
import { MotoServer, startMoto } from "../../../tools/moto-server";
import { redactPlan } from "../../../tools/plan-redaction";

const shape = (plan: any) => plan.resource_changes.map((c: any) => ({ address: c.address, actions: c.change.actions }));

describe("plan-summary --cost on a plan terraform makes now (terraform 1.11 + hashicorp/aws 5.100.0 against moto)", () => {
  let moto: MotoServer;
  let plan: any;
  beforeAll(async () => {
    moto = await startMoto();
    plan = await costScenarioPlan(moto.endpoint, "eu-west-1");
  }, 180_000);
  afterAll(() => moto?.stop());

  it("prices the plan the same before and after redaction, and the committed fixture still matches it", () => {
    const environments = pricingEnvironments(loadEnvironments());
    const raw = planCostDelta(SCENARIO_STACK, plan, environments, shippedPriceTable());
    expect(raw.deltaUsd).toBeLessThan(0);
    expect(planCostDelta(SCENARIO_STACK, redactPlan(plan), environments, shippedPriceTable())).toEqual(raw);
    const committed = JSON.parse(readFileSync(SCENARIO_FIXTURE, "utf8"));
    expect(shape(plan)).toEqual(shape(committed));
    expect(planCostDelta(SCENARIO_STACK, committed, environments, shippedPriceTable())).toEqual(raw);
  });
});
