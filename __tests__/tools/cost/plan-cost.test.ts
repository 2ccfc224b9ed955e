import { readFileSync } from "fs";
import { join } from "path";
import { loadEnvironments } from "../../../environments";
import { pricingEnvironments } from "../../../tools/cost/estimate";
import { planCostDelta, planResources, renderCostMarkdown } from "../../../tools/cost/plan-cost";
import { shippedPriceTable } from "../../../tools/cost/price-table";
import { run } from "../../../tools/plan-summary";

const PLANS = join(__dirname, "..", "..", "fixtures", "plans");
const fixture = (path: string) => JSON.parse(readFileSync(join(PLANS, path), "utf8"));
const prices = shippedPriceTable();
const environments = pricingEnvironments(loadEnvironments());
const env = environments.find((e) => e.id === "test-aws")!;
const p = (id: string) => prices.price(id, { resource: "test", region: env.region });

describe("cost delta from a plan", () => {
  it("prices a real, redacted terraform plan before and after, with the top 3 contributors", () => {
    const delta = planCostDelta("test-aws-egress", fixture("cost/test-aws-egress.json"), environments, prices);
    const nat = 730 * p("aws.vpc.nat-gateway-hour") + env.usage.natGatewayGbPerMonth! * p("aws.vpc.nat-gateway-gb");
    const ip = 730 * p("aws.vpc.public-ipv4-hour");
    const logs = env.usage.logIngestGbPerMonth! * p("aws.logs.ingest-gb");
    expect(delta.beforeUsd).toBeCloseTo(nat + ip + p("aws.kms.key-month"), 2);
    expect(delta.afterUsd).toBeCloseTo(2 * p("aws.kms.key-month") + logs, 2);
    expect(delta.deltaUsd).toBeCloseTo(delta.afterUsd - delta.beforeUsd, 2);
    expect(delta.top.map((c) => c.address)).toEqual(["aws_nat_gateway.egress", "aws_eip.nat", "aws_cloudwatch_log_group.audit"]);
    expect(delta.top[0].deltaUsd).toBeCloseTo(-nat, 2);
  });

  it("reads a plan from empty state as all cost added, and a no-op plan as no change", () => {
    const created = planCostDelta("test-aws-app", fixture("create/test-aws-app.json"), environments, prices);
    expect(created.beforeUsd).toBe(0);
    expect(created.deltaUsd).toBe(created.afterUsd);
    expect(created.afterUsd).toBeGreaterThan(0);
    const noop = planCostDelta("test-aws-app", fixture("noop/test-aws-app.json"), environments, prices);
    expect(noop).toMatchObject({ deltaUsd: 0, top: [] });
  });

  it("lists a resource whose needed value is redacted as not priced", () => {
    const plan = {
      planned_values: { root_module: { resources: [{ address: "aws_eks_node_group.g", mode: "managed", type: "aws_eks_node_group", values: { instance_types: "(sensitive)", scaling_config: [{ desired_size: 2, max_size: 3, min_size: 1 }] } }] } },
    };
    const delta = planCostDelta("test-aws-eks", plan, environments, prices);
    expect(delta.afterUsd).toBe(0);
    expect(delta.unpriced).toEqual([expect.objectContaining({ address: "aws_eks_node_group.g", reason: expect.stringMatching(/redacted/) })]);
    expect(renderCostMarkdown([delta], prices)).toMatch(/Not priced \(not in the totals\): test-aws-eks `aws_eks_node_group.g`/);
  });

  it("finds configuration references of count instances (a node group's schedule)", () => {
    const group = { address: "aws_eks_node_group.g[0]", mode: "managed", type: "aws_eks_node_group", values: { instance_types: ["m6i.large"], scaling_config: [{ desired_size: 2, max_size: 2, min_size: 0 }] } };
    const sleep = { address: "aws_autoscaling_schedule.sleep", mode: "managed", type: "aws_autoscaling_schedule", values: { recurrence: "0 19 * * 1-5", desired_capacity: 0 } };
    const wake = { ...sleep, address: "aws_autoscaling_schedule.wake", values: { recurrence: "0 7 * * 1-5", desired_capacity: 2 } };
    const plan = {
      planned_values: { root_module: { resources: [group, sleep, wake] } },
      configuration: { root_module: { resources: [sleep, wake].map((s) => ({ address: s.address, expressions: { autoscaling_group_name: { references: ["aws_eks_node_group.g[0].resources[0].autoscaling_groups[0].name", "aws_eks_node_group.g"] } } })) } },
    };
    expect(planResources(plan, "after").find((r) => r.address === "aws_autoscaling_schedule.wake")?.refs).toEqual(["aws_eks_node_group.g"]);
    const delta = planCostDelta("test-aws-eks", plan, environments, prices);
    expect(delta.afterUsd).toBeLessThan(2 * 730 * p("aws.ec2.m6i.large"));
  });

  it("says why when a stack belongs to no environment", () => {
    expect(planCostDelta("staging-gcp-app", fixture("create/test-aws-app.json"), environments, prices).error).toMatch(/no configured environment for stack staging-gcp-app/);
  });

  it("plan-summary adds the cost section only with --cost", async () => {
    const out = async (argv: string[]) => {
      let text = "";
      await run(argv, { stdout: (t) => (text += t), stderr: () => undefined });
      return text;
    };
    const file = join(PLANS, "cost", "test-aws-egress.json");
    expect(await out([file])).not.toMatch(/Monthly cost/);
    expect(await out(["--cost", file])).toMatch(/### Monthly cost \(estimate\)[\s\S]*\| test-aws-egress \| \$\d+\.\d\d \| \$\d+\.\d\d \| -\$\d+\.\d\d \| `aws_nat_gateway.egress` -\$/);
    expect(JSON.parse(await out(["--cost", "--format", "json", file])).cost[0]).toMatchObject({ stack: "test-aws-egress", top: expect.any(Array) });
  });
});
