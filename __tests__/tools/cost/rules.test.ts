import { PricingEnvironment, priceStack } from "../../../tools/cost/estimate";
import { ResourceInstance } from "../../../tools/cost/model";
import { shippedPriceTable } from "../../../tools/cost/price-table";
import { weeklySchedule } from "../../../tools/cost/rules";

const prices = shippedPriceTable();
const env: PricingEnvironment = { id: "test-aws", region: "eu-west-1", usage: { natGatewayGbPerMonth: 100, logIngestGbPerMonth: 2, logIngestGbPerMonthByGroup: { "/big": 40 } } };
const r = (type: string, name: string, values: Record<string, unknown>, refs: string[] = []): ResourceInstance => ({ address: `${type}.${name}`, type, values, refs });
const price = (...resources: ResourceInstance[]) => priceStack("test-aws-x", resources, env, prices);

describe("pricing rules", () => {
  it("prices one EKS control plane at 0.10 USD/h x 730 h = 73 USD/month", () => {
    const cost = price(r("aws_eks_cluster", "c", { name: "x" }));
    expect(cost.rows).toEqual([expect.objectContaining({ item: "EKS control plane", quantity: 730, unitUsd: 0.1 })]);
    expect(cost.monthlyUsd).toBe(73);
  });

  it("prices a node group at its desired size with the max-size cost beside it, root volumes from its launch template", () => {
    const template = r("aws_launch_template", "lt", { block_device_mappings: { ebs: { volume_size: 80, volume_type: "gp3" } } });
    const group = r("aws_eks_node_group", "g", { instance_types: ["m6i.large"], capacity_type: "ON_DEMAND", scaling_config: { min_size: 1, desired_size: 2, max_size: 5 } }, [template.address]);
    const [instances, volumes] = price(template, group).rows;
    const hourly = prices.price("aws.ec2.m6i.large", { resource: "t", region: "eu-west-1" });
    expect(instances).toMatchObject({ quantity: 2 * 730, unitUsd: hourly, maxMonthlyUsd: 5 * 730 * hourly });
    expect(instances.monthlyUsd).toBeCloseTo(2 * 730 * hourly);
    expect(volumes).toMatchObject({ quantity: 160, unit: "GB-months", unitUsd: prices.price("aws.ebs.gp3-gb-month", { resource: "t", region: "eu-west-1" }) });
  });

  it("applies the spot discount assumption to the mean of a spot group's instance types", () => {
    const group = r("aws_eks_node_group", "g", { instance_types: ["m6i.xlarge", "m5.xlarge"], capacity_type: "SPOT", scaling_config: [{ min_size: 1, desired_size: 1, max_size: 1 }] });
    const u = { resource: "t", region: "eu-west-1" };
    const mean = (prices.price("aws.ec2.m6i.xlarge", u) + prices.price("aws.ec2.m5.xlarge", u)) / 2;
    expect(price(group).rows[0].unitUsd).toBeCloseTo(mean * (1 - prices.price("aws.ec2.spot-discount", u)));
  });

  it("prices a scheduled node group at its weekly average and reports the saving", () => {
    const group = r("aws_eks_node_group", "g", { instance_types: ["m6i.large"], scaling_config: { min_size: 2, desired_size: 3, max_size: 6 } });
    const wake = r("aws_autoscaling_schedule", "wake", { recurrence: "0 7 * * 1,2,3,4,5", desired_capacity: 3 }, [group.address]);
    const sleep = r("aws_autoscaling_schedule", "sleep", { recurrence: "0 20 * * 1-5", desired_capacity: 0 }, [group.address]);
    const cost = price(group, wake, sleep);
    const average = (3 * 65) / 168;
    expect(cost.rows[0].quantity).toBeCloseTo(average * 730);
    expect(cost.rows[0].scheduleSavingUsd).toBeCloseTo((3 - average) * 730 * cost.rows[0].unitUsd);
    expect(cost.scheduleSavingUsd).toBeGreaterThan(0);
    expect(cost.free).toEqual([expect.objectContaining({ type: "aws_autoscaling_schedule", count: 2 })]);
  });

  it("averages a weekly schedule: Mon-Fri 07:00-20:00 is 65 h awake of 168", () => {
    const s = weeklySchedule([{ recurrence: "0 7 * * 1-5", desired: 4 }, { recurrence: "0 20 * * 1-5", desired: 1 }]);
    expect(s?.hoursAt.get(4)).toBeCloseTo(65);
    expect(s?.hoursAt.get(1)).toBeCloseTo(103);
    expect(s?.average).toBeCloseTo((4 * 65 + 103) / 168);
  });

  it("uses the per-log-group assumption when there is one, the default otherwise", () => {
    const rows = price(r("aws_cloudwatch_log_group", "a", { name: "/big" }), r("aws_cloudwatch_log_group", "b", { name: "/small" })).rows;
    expect(rows.map((x) => x.quantity)).toEqual([40, 2]);
    expect(rows[0].basis).toMatch(/logIngestGbPerMonthByGroup\["\/big"\]/);
  });

  it("uses the per-workspace Log Analytics assumption when there is one", () => {
    const azure: PricingEnvironment = { id: "prod-azure", region: "westeurope", usage: { logAnalyticsGbPerMonth: 50, logAnalyticsGbPerMonthByWorkspace: { "log-audit": 1 } } };
    const rows = priceStack("prod-azure-x", [r("azurerm_log_analytics_workspace", "a", { name: "log-audit" }), r("azurerm_log_analytics_workspace", "b", { name: "log-aks" })], azure, prices).rows;
    expect(rows.map((x) => x.quantity)).toEqual([1, 50]);
  });

  it("lists a resource with redacted values as not priced instead of counting it as 0", () => {
    const cost = price(r("aws_eks_node_group", "g", { instance_types: "(sensitive)", scaling_config: { min_size: 1, desired_size: 1, max_size: 1 } }));
    expect(cost.rows).toEqual([]);
    expect(cost.unpriced).toEqual([expect.objectContaining({ address: "aws_eks_node_group.g", reason: expect.stringMatching(/instance_types is unknown or redacted/) })]);
  });

  it("lists a resource type without a rule as not priced, and a free one as no charge", () => {
    const cost = price(r("aws_rds_cluster", "db", {}), r("aws_iam_role", "role", {}));
    expect(cost.unpriced).toEqual([expect.objectContaining({ type: "aws_rds_cluster", reason: expect.stringMatching(/no pricing rule/) })]);
    expect(cost.free).toEqual([expect.objectContaining({ type: "aws_iam_role", count: 1 })]);
  });

  it("charges only the site-to-site tunnels beyond the count included in the gateway", () => {
    const included = prices.price("azure.vpn.s2s-tunnels-included", { resource: "t", region: "westeurope" });
    const gateway = r("azurerm_virtual_network_gateway", "gw", { sku: "VpnGw2AZ" });
    const tunnels = Array.from({ length: included + 2 }, (_, i) => r("azurerm_virtual_network_gateway_connection", `c${String(i).padStart(2, "0")}`, { type: "IPsec" }, [gateway.address]));
    const cost = priceStack("prod-azure-vpn", [gateway, ...tunnels], { id: "prod-azure", region: "westeurope", usage: {} }, prices);
    const charged = cost.rows.filter((x) => x.item === "site-to-site tunnel" && x.monthlyUsd > 0);
    expect(charged.map((x) => x.address)).toEqual(tunnels.slice(included).map((t) => t.address));
  });

  it("names the resource and region when the table lacks the environment's region", () => {
    const far: PricingEnvironment = { ...env, region: "ap-south-1" };
    expect(() => priceStack("s", [r("aws_nat_gateway", "n", {})], far, prices)).toThrow(/"aws.vpc.nat-gateway-hour" has no price for region ap-south-1 \(needed by s aws_nat_gateway.n\)/);
  });
});
