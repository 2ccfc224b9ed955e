import { TerraformStack, Testing } from "cdktf";
import { VpcNetwork, VpcNetworkProps } from "../../../../constructs/aws/network/vpc-network";
import { emptyStack, synthJson } from "../../../helpers/synth";

const base: VpcNetworkProps = { name: "t", cidr: "10.40.0.0/16", flowLogKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k" };

function build(props: Partial<VpcNetworkProps> = {}): { stack: TerraformStack; net: VpcNetwork } {
  const stack = emptyStack();
  const net = new VpcNetwork(stack, "vpc", { ...base, ...props });
  return { stack, net };
}

const byType = (stack: TerraformStack, type: string) => Object.values(synthJson(stack).resource[type] ?? {}) as any[];

describe("VpcNetwork", () => {
  describe("default config", () => {
    const { stack, net } = build();

    it("carves three private /20 and three public /24 subnets without overlap", () => {
      expect(net.subnetPlan).toEqual({
        private: ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"],
        public: ["10.40.48.0/24", "10.40.49.0/24", "10.40.50.0/24"],
      });
      const subnets = byType(stack, "aws_subnet");
      expect(subnets.map((s) => s.cidr_block).sort()).toEqual([...net.subnetPlan.private, ...net.subnetPlan.public].sort());
      expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    });

    it("tags subnets for EKS load balancer discovery", () => {
      const subnets = byType(stack, "aws_subnet");
      expect(subnets.filter((s) => s.tags["kubernetes.io/role/elb"] === "1")).toHaveLength(3);
      expect(subnets.filter((s) => s.tags["kubernetes.io/role/internal-elb"] === "1")).toHaveLength(3);
    });

    it("uses a single NAT gateway for every private route table", () => {
      expect(byType(stack, "aws_nat_gateway")).toHaveLength(1);
      const routes = byType(stack, "aws_route").filter((r) => r.nat_gateway_id);
      expect(routes).toHaveLength(3);
      expect(new Set(routes.map((r) => r.nat_gateway_id)).size).toBe(1);
    });

    it("logs ALL traffic to a KMS-encrypted log group with retention", () => {
      expect(byType(stack, "aws_flow_log")[0]).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
      expect(byType(stack, "aws_cloudwatch_log_group")[0]).toMatchObject({ kms_key_id: base.flowLogKmsKeyArn, retention_in_days: 365 });
    });

    it("lets VPC flow logs assume its role only for this account (confused-deputy guard)", () => {
      const trust = Object.values(synthJson(stack).data.aws_iam_policy_document as Record<string, any>).find((d) =>
        d.statement[0].principals?.[0].identifiers.includes("vpc-flow-logs.amazonaws.com"),
      );
      expect(trust.statement[0].condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/data\.aws_caller_identity\..*\.account_id/)] }]);
    });

    it("locks down the default security group (no ingress, no egress)", () => {
      const sg = byType(stack, "aws_default_security_group")[0];
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    });
  });

  it("adds one NAT gateway per AZ when asked", () => {
    const { stack } = build({ natGateways: "per-az", azCount: 2 });
    expect(byType(stack, "aws_nat_gateway")).toHaveLength(2);
  });

  it("adds the cluster ownership tag for each EKS cluster", () => {
    const { stack } = build({ eksClusterNames: ["c1"] });
    expect(byType(stack, "aws_subnet").every((s) => s.tags["kubernetes.io/cluster/c1"] === "shared")).toBe(true);
  });

  it("accepts explicit subnet CIDRs inside the VPC", () => {
    const { net } = build({ azCount: 2, subnetCidrs: { public: ["10.40.100.0/24", "10.40.101.0/24"], private: ["10.40.0.0/20", "10.40.16.0/20"] } });
    expect(net.subnetPlan.public).toEqual(["10.40.100.0/24", "10.40.101.0/24"]);
  });

  describe("rejects", () => {
    it("overlapping subnets", () => {
      expect(() => build({ azCount: 2, subnetCidrs: { public: ["10.40.0.0/24", "10.40.1.0/24"], private: ["10.40.0.0/20", "10.40.16.0/20"] } })).toThrow(
        /s\/vpc: subnetCidrs.public\[0\] 10.40.0.0\/24 overlaps subnetCidrs.private\[0\] 10.40.0.0\/20; give each subnet its own range/,
      );
    });
    it("a VPC CIDR too small for the AZ count", () => {
      expect(() => build({ cidr: "10.40.0.0/20", azCount: 3 })).toThrow(
        /VPC 10.40.0.0\/20 cannot hold 3 private \/20 and 3 public \/24 subnets .*use a larger VPC CIDR, smaller subnets or fewer AZs/,
      );
    });
    it("a subnet outside the VPC", () => {
      expect(() => build({ azCount: 2, subnetCidrs: { public: ["10.41.0.0/24", "10.40.101.0/24"], private: ["10.40.0.0/20", "10.40.16.0/20"] } })).toThrow(
        /subnetCidrs.public\[0\] 10.41.0.0\/24 is outside the VPC 10.40.0.0\/16; choose a range inside it/,
      );
    });
    it("a subnet count that does not match the AZ count", () => {
      expect(() => build({ azCount: 3, subnetCidrs: { public: ["10.40.100.0/24"], private: ["10.40.0.0/20"] } })).toThrow(
        /subnetCidrs.public has 1 entries but azCount is 3; give one CIDR per AZ/,
      );
    });
    it("a single AZ", () => {
      expect(() => build({ azCount: 1 })).toThrow(/azCount must be an integer from 2 to 6 \(EKS needs two AZs\), got 1/);
    });
    it("a CIDR that is not a network address", () => {
      expect(() => build({ cidr: "10.40.1.0/16" })).toThrow(/cidr "10.40.1.0\/16" is not a network address; use 10.40.0.0\/16/);
    });
    it("a malformed CIDR", () => {
      expect(() => build({ cidr: "10.400.0.0/16" })).toThrow(/cidr must be an IPv4 CIDR like 10.0.0.0\/16, got "10.400.0.0\/16"/);
    });
  });

  it("is deterministic: the same config synthesizes the same JSON", () => {
    expect(Testing.synth(build().stack)).toEqual(Testing.synth(build().stack));
  });
});
