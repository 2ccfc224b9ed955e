/**
 * The price table: list prices of everything the stacks create, per region where prices differ,
 * each with its unit, the public page it came from and the day it was read. Values only: the
 * schema and the checks live in price-table.ts; how to update it is in docs/cost.md.
 *
 * Honesty rule: `confirmed: true` only when the figure was read on the source page (or an
 * official AWS/Microsoft page quoting it); otherwise `confirmed: false` and the note says where the
 * figure comes from. `npm run cost` counts unconfirmed prices in its output.
 *
 * No imports on purpose: the EBS reaper's Lambda bundles this file (lambdas/ebs-reaper/pricing.ts).
 */

/** One price (or one pricing assumption) of the table. */
export interface PriceEntryInput {
  /** Stable id the pricing rules look up, e.g. `aws.eks.cluster-hour`. */
  readonly id: string;
  readonly description: string;
  /** What one value is, e.g. "USD per hour", "USD per GB-month", "fraction of on-demand". */
  readonly unit: string;
  /** Region -> value; `*` applies to every region (the provider publishes one global price). */
  readonly perRegion: Readonly<Record<string, number>>;
  /** Public page the figure was read from. */
  readonly source: string;
  /** Day the figure was read, YYYY-MM-DD. */
  readonly date: string;
  /** Read on the source page itself (true) or not confirmed there (false: see note). */
  readonly confirmed: boolean;
  readonly note?: string;
}

/** The whole table. */
export interface PriceTableInput {
  /** Bumped on every change of a figure, so estimates can say which table they used. */
  readonly version: number;
  /** Day of the newest figure, YYYY-MM-DD. */
  readonly date: string;
  readonly currency: "USD";
  /** Hours in the billing month AWS and Azure use for monthly estimates (8760 / 12). */
  readonly hoursPerMonth: number;
  readonly entries: readonly PriceEntryInput[];
}

const READ = "2026-12-02";
const UNCONFIRMED = "Not read on the source page in this session (no internet here); figure from the public list price as remembered and cross-checked with secondary pages. Verify before relying on it.";

const AWS_EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const AWS_VPC = "https://aws.amazon.com/vpc/pricing/";
const AWS_EBS = "https://aws.amazon.com/ebs/pricing/";
const AZURE_VM = "https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/";
const AZURE_VPN = "https://azure.microsoft.com/en-us/pricing/details/vpn-gateway/";
const AZURE_VWAN = "https://azure.microsoft.com/en-us/pricing/details/virtual-wan/";
const AZURE_FIREWALL = "https://azure.microsoft.com/en-us/pricing/details/azure-firewall/";
const AZURE_BLOB = "https://azure.microsoft.com/en-us/pricing/details/storage/blobs/";

/** A Virtual WAN list price (same in every region the table prices). */
function vwan(id: string, description: string, unit: string, price: number, note: string): PriceEntryInput {
  return { id, description, unit, perRegion: { "*": price }, source: AZURE_VWAN, date: READ, confirmed: false, note: `${UNCONFIRMED} ${note}` };
}

/** On-demand Linux EC2 instance-hour prices, eu-west-1 and us-east-1. */
function ec2(type: string, euWest1: number, usEast1: number): PriceEntryInput {
  return {
    id: `aws.ec2.${type}`,
    description: `EC2 ${type} on-demand, Linux`,
    unit: "USD per instance-hour",
    perRegion: { "eu-west-1": euWest1, "us-east-1": usEast1 },
    source: AWS_EC2,
    date: READ,
    confirmed: false,
    note: UNCONFIRMED,
  };
}

/** EBS volume-type storage price per GiB-month (storage only; provisioned IOPS/throughput extra). */
function ebs(type: string, euWest1: number, usEast1: number): PriceEntryInput {
  return {
    id: `aws.ebs.${type}-gb-month`,
    description: `EBS ${type} storage`,
    unit: "USD per GB-month",
    perRegion: { "eu-west-1": euWest1, "us-east-1": usEast1 },
    source: AWS_EBS,
    date: READ,
    confirmed: false,
    note: `${UNCONFIRMED} The eu-west-1 figures match the ones the EBS reaper shipped with.`,
  };
}

/** Azure Linux pay-as-you-go VM hour, West Europe. */
function azureVm(size: string, westeurope: number, note: string): PriceEntryInput {
  return {
    id: `azure.vm.${size}`,
    description: `Azure VM ${size}, Linux pay-as-you-go`,
    unit: "USD per VM-hour",
    perRegion: { westeurope },
    source: AZURE_VM,
    date: READ,
    confirmed: false,
    note: `${UNCONFIRMED} ${note}`,
  };
}

/** Azure VPN gateway SKU hour (every SKU the gateway construct accepts). */
function vpnSku(sku: string, hour: number): PriceEntryInput {
  return {
    id: `azure.vpn.${sku}-hour`,
    description: `VPN gateway ${sku}`,
    unit: "USD per gateway-hour",
    perRegion: { "*": hour },
    source: AZURE_VPN,
    date: READ,
    confirmed: false,
    note: `${UNCONFIRMED} Priced per gateway, active-active included.`,
  };
}

/** Blob storage (hot, general purpose v2) per GB-month by redundancy. */
function blob(redundancy: string, westeurope: number): PriceEntryInput {
  return {
    id: `azure.storage.blob-hot-${redundancy.toLowerCase()}-gb-month`,
    description: `Blob storage, hot tier, ${redundancy}`,
    unit: "USD per GB-month",
    perRegion: { westeurope },
    source: AZURE_BLOB,
    date: READ,
    confirmed: false,
    note: `${UNCONFIRMED} First 50 TB tier; transactions not counted (state files see a few thousand a month).`,
  };
}

/** The table every estimate uses. Change a figure: edit it, set its date, bump `version` (docs/cost.md). */
export const PRICE_TABLE: PriceTableInput = {
  version: 2,
  date: READ,
  currency: "USD",
  hoursPerMonth: 730,
  entries: [
    // ----- AWS ------------------------------------------------------------------------------
    {
      id: "aws.eks.cluster-hour",
      description: "EKS control plane, Kubernetes version in standard support",
      unit: "USD per cluster-hour",
      perRegion: { "*": 0.1 },
      source: "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/",
      date: READ,
      confirmed: true,
      note: "AWS: \"clusters running Kubernetes versions in standard support ... continue to pay $0.10 per cluster per hour\"; extended support is $0.60 (not modelled: EKS_VERSIONS are in standard support). Price page: https://aws.amazon.com/eks/pricing/",
    },
    ec2("m6i.large", 0.107, 0.096),
    ec2("m6i.xlarge", 0.214, 0.192),
    ec2("m6a.xlarge", 0.1926, 0.1728),
    ec2("m5.xlarge", 0.214, 0.192),
    ec2("m7i.xlarge", 0.2247, 0.2016),
    {
      id: "aws.ec2.spot-discount",
      description: "Average Spot discount off on-demand (assumption)",
      unit: "fraction of on-demand saved",
      perRegion: { "*": 0.6 },
      source: "https://aws.amazon.com/ec2/spot/pricing/",
      date: READ,
      confirmed: false,
      note: "An assumption, not a price: AWS states Spot is \"up to 90%\" off on-demand and the price moves with supply; 60% is a typical long-run figure for m-family pools in EU regions. Replace with the pool's Spot price history when precision matters.",
    },
    {
      id: "aws.vpc.nat-gateway-hour",
      description: "NAT gateway, per gateway-hour",
      unit: "USD per hour",
      perRegion: { "eu-west-1": 0.048, "us-east-1": 0.045 },
      source: AWS_VPC,
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} us-east-1 0.045 is quoted by several secondary pages; EU regions 0.048-0.052.`,
    },
    {
      id: "aws.vpc.nat-gateway-gb",
      description: "NAT gateway data processed (both directions; internet egress is billed on top)",
      unit: "USD per GB",
      perRegion: { "eu-west-1": 0.048, "us-east-1": 0.045 },
      source: AWS_VPC,
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "aws.vpc.public-ipv4-hour",
      description: "Public IPv4 address (in use or idle), e.g. a NAT gateway's Elastic IP",
      unit: "USD per address-hour",
      perRegion: { "*": 0.005 },
      source: AWS_VPC,
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} Charged since February 2024 for every public IPv4 address.`,
    },
    ebs("gp3", 0.088, 0.08),
    ebs("gp2", 0.11, 0.1),
    ebs("io1", 0.138, 0.125),
    ebs("io2", 0.138, 0.125),
    ebs("st1", 0.05, 0.045),
    ebs("sc1", 0.0168, 0.015),
    ebs("standard", 0.055, 0.05),
    {
      id: "aws.kms.key-month",
      description: "KMS customer managed key",
      unit: "USD per key-month",
      perRegion: { "*": 1 },
      source: "https://aws.amazon.com/kms/pricing/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} Each of the first two automatic rotations adds $1/month (not counted); requests beyond the free tier are $0.03 per 10,000.`,
    },
    {
      id: "aws.logs.ingest-gb",
      description: "CloudWatch Logs ingestion (standard log class)",
      unit: "USD per GB",
      perRegion: { "eu-west-1": 0.57, "us-east-1": 0.5 },
      source: "https://aws.amazon.com/cloudwatch/pricing/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} VPC flow logs delivered to CloudWatch are "vended logs", tiered from the same starting price. Storage ($0.03/GB-month) is not counted.`,
    },
    {
      id: "aws.ecr.storage-gb-month",
      description: "ECR private repository storage",
      unit: "USD per GB-month",
      perRegion: { "*": 0.1 },
      source: "https://aws.amazon.com/ecr/pricing/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} Pulls inside the region are free.`,
    },
    {
      id: "aws.lambda.requests-million",
      description: "Lambda requests",
      unit: "USD per million requests",
      perRegion: { "*": 0.2 },
      source: "https://aws.amazon.com/lambda/pricing/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} The monthly free tier (1M requests, 400,000 GB-s) is not subtracted.`,
    },
    {
      id: "aws.lambda.gb-second-arm64",
      description: "Lambda compute, arm64",
      unit: "USD per GB-second",
      perRegion: { "*": 0.0000133334 },
      source: "https://aws.amazon.com/lambda/pricing/",
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "aws.lambda.gb-second-x86_64",
      description: "Lambda compute, x86_64",
      unit: "USD per GB-second",
      perRegion: { "*": 0.0000166667 },
      source: "https://aws.amazon.com/lambda/pricing/",
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "aws.s3.standard-gb-month",
      description: "S3 Standard storage, first 50 TB",
      unit: "USD per GB-month",
      perRegion: { "eu-west-1": 0.023, "us-east-1": 0.023 },
      source: "https://aws.amazon.com/s3/pricing/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} Requests not counted (state reads/writes are a few thousand a month).`,
    },
    {
      id: "aws.ssm.advanced-parameter-month",
      description: "SSM Parameter Store Advanced parameter (Standard parameters have no charge)",
      unit: "USD per parameter-month",
      perRegion: { "*": 0.05 },
      source: "https://aws.amazon.com/systems-manager/pricing/",
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    // ----- Azure ----------------------------------------------------------------------------
    {
      id: "azure.aks.standard-cluster-hour",
      description: "AKS Standard tier (uptime SLA), per cluster",
      unit: "USD per cluster-hour",
      perRegion: { "*": 0.1 },
      source: "https://azure.microsoft.com/en-us/pricing/details/kubernetes-service/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} The Free tier costs nothing; Premium (long-term support) is $0.60.`,
    },
    azureVm("Standard_D4ds_v5", 0.252, "East US lists 0.226; West Europe is about 10% higher."),
    azureVm("Standard_D8ds_v5", 0.504, "East US lists 0.452; West Europe is about 10% higher."),
    vpnSku("VpnGw1AZ", 0.361),
    vpnSku("VpnGw2AZ", 0.564),
    vpnSku("VpnGw3AZ", 1.316),
    vpnSku("VpnGw4AZ", 2.331),
    vpnSku("VpnGw5AZ", 3.925),
    vwan("azure.vwan.standard-hub-hour", "Virtual WAN Standard hub (deployment hour)", "USD per hub-hour", 0.25, "Data processed by the hub router (VNet-to-VNet) is extra and not counted."),
    vwan("azure.vwan.s2s-scale-unit-hour", "Virtual WAN site-to-site VPN scale unit (500 Mbps)", "USD per scale-unit-hour", 0.361, "Billed per scale unit of the hub's VPN gateway."),
    vwan("azure.vwan.s2s-connection-unit-hour", "Virtual WAN site-to-site VPN connection unit", "USD per connection-hour", 0.05, "One per site link connection."),
    vwan("azure.vwan.p2s-scale-unit-hour", "Virtual WAN point-to-site (User VPN) scale unit", "USD per scale-unit-hour", 0.361, "Per-user connection units are extra and not counted (a handful of DB admins)."),
    {
      id: "azure.firewall.standard-hub-hour",
      description: "Azure Firewall Standard in a secured virtual hub (AZFW_Hub)",
      unit: "USD per firewall-hour",
      perRegion: { "*": 1.25 },
      source: AZURE_FIREWALL,
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "azure.firewall.premium-hub-hour",
      description: "Azure Firewall Premium in a secured virtual hub (AZFW_Hub)",
      unit: "USD per firewall-hour",
      perRegion: { "*": 1.75 },
      source: AZURE_FIREWALL,
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "azure.firewall.processed-gb",
      description: "Azure Firewall data processed (Standard and Premium)",
      unit: "USD per GB",
      perRegion: { "*": 0.016 },
      source: AZURE_FIREWALL,
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "azure.vpn.s2s-tunnels-included",
      description: "Site-to-site tunnels included in the VpnGw1-5 (AZ) gateway price",
      unit: "tunnels",
      perRegion: { "*": 10 },
      source: AZURE_VPN,
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "azure.vpn.s2s-tunnel-hour",
      description: "Site-to-site tunnel beyond the included count",
      unit: "USD per tunnel-hour",
      perRegion: { "*": 0.015 },
      source: AZURE_VPN,
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} Outbound data transfer over the tunnels is billed separately (not estimated).`,
    },
    {
      id: "azure.network.public-ip-standard-hour",
      description: "Standard static public IPv4 address",
      unit: "USD per address-hour",
      perRegion: { "*": 0.005 },
      source: "https://azure.microsoft.com/en-us/pricing/details/ip-addresses/",
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    {
      id: "azure.monitor.log-analytics-ingest-gb",
      description: "Log Analytics ingestion, Analytics logs, pay-as-you-go",
      unit: "USD per GB",
      perRegion: { westeurope: 2.99 },
      source: "https://azure.microsoft.com/en-us/pricing/details/monitor/",
      date: READ,
      confirmed: false,
      note: `${UNCONFIRMED} East US lists 2.30; the first 5 GB a month per billing account are free (not subtracted); 31 days of retention included.`,
    },
    {
      id: "azure.keyvault.operations-10k",
      description: "Key Vault Standard, secret and key operations",
      unit: "USD per 10,000 operations",
      perRegion: { "*": 0.03 },
      source: "https://azure.microsoft.com/en-us/pricing/details/key-vault/",
      date: READ,
      confirmed: false,
      note: UNCONFIRMED,
    },
    blob("LRS", 0.0196),
    blob("ZRS", 0.0246),
    blob("GZRS", 0.0448),
    blob("RAGZRS", 0.0559),
  ],
};
