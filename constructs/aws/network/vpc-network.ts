import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { assertNoOverlaps, carveSubnets, parseCidr, within } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { ServiceRole } from "../iam/service-role";
import { EncryptedLogGroup } from "../logs/encrypted-log-group";

/** Props of {@link VpcNetwork}. */
export interface VpcNetworkProps {
  /** Name prefix for every resource, e.g. "test". */
  readonly name: string;
  /** VPC CIDR, e.g. "10.40.0.0/16". */
  readonly cidr: string;
  /**
   * Availability zones to spread subnets over (EKS needs at least 2).
   * @default 3
   */
  readonly azCount?: number;
  /** Prefix length of each public subnet. @default 24 */
  readonly publicSubnetPrefix?: number;
  /** Prefix length of each private subnet. @default 20 */
  readonly privateSubnetPrefix?: number;
  /**
   * "single": one NAT gateway for all AZs (cheap, fine for test); "per-az": one per AZ, so
   * losing an AZ does not cut the others' egress.
   * @default "single"
   */
  readonly natGateways?: "single" | "per-az";
  /**
   * Explicit subnet CIDRs, one per AZ, instead of carving them from the VPC automatically
   * (for adopting an existing plan). Must lie inside the VPC and must not overlap.
   * @default carved from the VPC CIDR
   */
  readonly subnetCidrs?: SubnetPlan;
  /** EKS cluster names whose load balancers may use these subnets (adds the discovery tags). @default none */
  readonly eksClusterNames?: string[];
  /** KMS key ARN for the flow-log group; its policy must let CloudWatch Logs use it. */
  readonly flowLogKmsKeyArn: string;
  /** Days to keep flow logs. @default 365 */
  readonly flowLogRetentionDays?: number;
}

/** Subnet CIDRs, one per availability zone, in AZ order. */
export interface SubnetPlan {
  /** Public subnets: load balancers and NAT gateways. */
  readonly public: string[];
  /** Private subnets: nodes and pods. */
  readonly private: string[];
}

const DEFAULTS = { azCount: 3, publicSubnetPrefix: 24, privateSubnetPrefix: 20, natGateways: "single", flowLogRetentionDays: 365 } as const;

/**
 * A VPC over N availability zones: public subnets (load balancers, NAT) and private subnets
 * (nodes), NAT egress, EKS discovery tags, flow logs of ALL traffic to an encrypted log group,
 * and a default security group with no rules so nothing can use it by accident.
 */
export class VpcNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: Vpc;
  /** Public subnet ids, one per AZ. */
  public readonly publicSubnetIds: string[];
  /** Private subnet ids, one per AZ. */
  public readonly privateSubnetIds: string[];
  /** The CIDRs the subnets got, public then private, in AZ order. */
  public readonly subnetPlan: SubnetPlan;

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const azCount = props.azCount ?? DEFAULTS.azCount;
    const publicPrefix = props.publicSubnetPrefix ?? DEFAULTS.publicSubnetPrefix;
    const privatePrefix = props.privateSubnetPrefix ?? DEFAULTS.privateSubnetPrefix;
    const natMode = props.natGateways ?? DEFAULTS.natGateways;
    if (!Number.isInteger(azCount) || azCount < 2 || azCount > 6) {
      throw new ConfigError(`azCount must be an integer from 2 to 6 (EKS needs two AZs), got ${azCount}`, this);
    }
    this.subnetPlan = props.subnetCidrs
      ? this.checkExplicitSubnets(props.cidr, azCount, props.subnetCidrs)
      : this.planSubnets(props.cidr, azCount, publicPrefix, privatePrefix);

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.vpc.id, tags: { Name: `${props.name}-default-unused` } });

    const zones = new DataAwsAvailabilityZones(this, "zones", { state: "available" });
    const clusterTags = Object.fromEntries((props.eksClusterNames ?? []).map((c) => [`kubernetes.io/cluster/${c}`, "shared"]));
    const subnet = (kind: "public" | "private", cidr: string, az: number) =>
      new Subnet(this, `${kind}-${az}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: Fn.element(zones.names, az),
        mapPublicIpOnLaunch: false,
        tags: {
          Name: `${props.name}-${kind}-${az}`,
          tier: kind,
          [kind === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
          ...clusterTags,
        },
      });
    const publicSubnets = this.subnetPlan.public.map((cidr, az) => subnet("public", cidr, az));
    const privateSubnets = this.subnetPlan.private.map((cidr, az) => subnet("private", cidr, az));
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, "public-rt", { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, "public-default", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    publicSubnets.forEach((s, az) => new RouteTableAssociation(this, `public-rta-${az}`, { subnetId: s.id, routeTableId: publicRoutes.id }));

    const natCount = natMode === "per-az" ? azCount : 1;
    const nats = Array.from({ length: natCount }, (_, az) => {
      const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${az}` } });
      return new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[az].id,
        tags: { Name: `${props.name}-nat-${az}` },
        dependsOn: [igw],
      });
    });
    privateSubnets.forEach((s, az) => {
      const table = new RouteTable(this, `private-rt-${az}`, { vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${az}` } });
      new Route(this, `private-default-${az}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[Math.min(az, natCount - 1)].id,
      });
      new RouteTableAssociation(this, `private-rta-${az}`, { subnetId: s.id, routeTableId: table.id });
    });

    this.addFlowLogs(props);
  }

  private planSubnets(cidr: string, azCount: number, publicPrefix: number, privatePrefix: number) {
    const vpc = parseCidr("cidr", cidr);
    for (const [field, prefix] of [["publicSubnetPrefix", publicPrefix], ["privateSubnetPrefix", privatePrefix]] as const) {
      if (!Number.isInteger(prefix) || prefix < vpc.bitmask || prefix > 28) {
        throw new ConfigError(`${field} must be from /${vpc.bitmask} (the VPC) to /28, got /${prefix}`, this);
      }
    }
    try {
      // Private subnets (large, for pods) first from the bottom of the range; public ones take
      // the blocks right after them, so the plan is stable when the AZ count grows.
      const privateCidrs = carveSubnets("cidr", cidr, privatePrefix, azCount);
      const usedByPrivate = (2 ** (32 - privatePrefix) * azCount) / 2 ** (32 - publicPrefix);
      const publicCidrs = carveSubnets("cidr", cidr, publicPrefix, azCount, Math.ceil(usedByPrivate));
      assertNoOverlaps(
        [...privateCidrs.map((c, i) => ({ name: `private[${i}]`, cidr: c })), ...publicCidrs.map((c, i) => ({ name: `public[${i}]`, cidr: c }))],
        "choose other subnet prefixes",
      );
      return { public: publicCidrs, private: privateCidrs };
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new ConfigError(
          `VPC ${cidr} cannot hold ${azCount} private /${privatePrefix} and ${azCount} public /${publicPrefix} subnets (${error.message}); use a larger VPC CIDR, smaller subnets or fewer AZs`,
          this,
        );
      }
      throw error;
    }
  }

  private checkExplicitSubnets(cidr: string, azCount: number, plan: SubnetPlan): SubnetPlan {
    const vpc = parseCidr("cidr", cidr);
    const named = [
      ...plan.private.map((c, i) => ({ name: `subnetCidrs.private[${i}]`, cidr: c })),
      ...plan.public.map((c, i) => ({ name: `subnetCidrs.public[${i}]`, cidr: c })),
    ];
    for (const kind of ["public", "private"] as const) {
      if (plan[kind].length !== azCount) {
        throw new ConfigError(`subnetCidrs.${kind} has ${plan[kind].length} entries but azCount is ${azCount}; give one CIDR per AZ`, this);
      }
    }
    for (const subnet of named) {
      if (!within(vpc, parseCidr(subnet.name, subnet.cidr))) {
        throw new ConfigError(`${subnet.name} ${subnet.cidr} is outside the VPC ${cidr}; choose a range inside it`, this);
      }
    }
    try {
      assertNoOverlaps(named, "give each subnet its own range");
    } catch (error) {
      throw error instanceof ConfigError ? new ConfigError(error.message, this) : error;
    }
    return { public: [...plan.public], private: [...plan.private] };
  }

  private addFlowLogs(props: VpcNetworkProps): void {
    const logGroup = new EncryptedLogGroup(this, "flow-logs", {
      name: `/vpc/${props.name}/flow-logs`,
      kmsKeyArn: props.flowLogKmsKeyArn,
      retentionDays: props.flowLogRetentionDays ?? DEFAULTS.flowLogRetentionDays,
    });
    const caller = new DataAwsCallerIdentity(this, "caller");
    const role = new ServiceRole(this, "flow-logs-role", {
      name: `${props.name}-vpc-flow-logs`,
      service: "vpc-flow-logs.amazonaws.com",
      sourceAccount: caller.accountId,
    });
    const write = new DataAwsIamPolicyDocument(this, "flow-logs-write", {
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "flow-logs-policy", { role: role.role.id, policy: write.json });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}
