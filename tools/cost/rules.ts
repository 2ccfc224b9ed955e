/**
 * How each resource type is priced. Three kinds of entry:
 * - a pricing rule (rows with quantity, unit price, basis);
 * - FREE: the provider charges nothing for the resource itself (what runs on it is priced elsewhere);
 * - NOT_PRICED: it costs money but the table cannot price it; listed in the output, never as 0.
 * A type in none of them is listed as not priced too ("no pricing rule"), so a new resource type can
 * never slip in silently free.
 */
import { CannotPrice, PricingContext, PricingRule, refersTo, ResourceInstance, RowDraft } from "./model";

const SENSITIVE = "(sensitive)";

/** A single nested block: cdktf writes an object, plan JSON a one-element list. */
function block(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
}

/** A value that is known now: not missing, not redacted, not an unresolved `${...}` reference. */
function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null && value !== SENSITIVE && !(typeof value === "string" && value.includes("${"));
}

function known<T>(value: unknown, what: string, check: (v: unknown) => v is T): T {
  if (!isKnown(value) || !check(value)) throw new CannotPrice(`${what} is unknown or redacted (${JSON.stringify(value ?? null)})`);
  return value;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" && isKnown(x));

function use(r: ResourceInstance, ctx: PricingContext) {
  return { resource: `${ctx.stack} ${r.address}`, region: ctx.region };
}

function row(item: string, quantity: number, unit: string, unitUsd: number, basis: string, extra: Partial<RowDraft> = {}): RowDraft {
  return { item, quantity, unit, unitUsd, monthlyUsd: quantity * unitUsd, basis, ...extra };
}

/** Always-on hours of one month. */
function alwaysOn(r: ResourceInstance, ctx: PricingContext, item: string, priceId: string, unit: string): RowDraft {
  const hours = ctx.prices.hoursPerMonth;
  return row(item, hours, unit, ctx.prices.price(priceId, use(r, ctx)), `always on, ${hours} h/month`);
}

function usageOf(ctx: PricingContext, key: keyof PricingContext["usage"], r: ResourceInstance): number {
  const value = ctx.usage[key];
  if (typeof value !== "number") throw new CannotPrice(`usage assumption cost.usage.${key} is not set for this environment (needed by ${r.address})`);
  return value;
}

// ----- Off-hours schedules -------------------------------------------------------------------

const WEEK_MINUTES = 7 * 24 * 60;

/** Days of week of a cron field: "1,2,3", "1-5", "*". */
function cronDays(field: string): number[] {
  if (field === "*") return [0, 1, 2, 3, 4, 5, 6];
  return field.split(",").flatMap((part) => {
    const [from, to] = part.split("-").map(Number);
    if (!Number.isInteger(from) || (to !== undefined && !Number.isInteger(to))) throw new CannotPrice(`day-of-week "${field}" is not numeric`);
    return to === undefined ? [from % 7] : Array.from({ length: to - from + 1 }, (_, i) => (from + i) % 7);
  });
}

/** A node group's weekly desired size from the scheduled actions on its ASG, if any. */
export interface WeeklySchedule {
  /** Average desired instances over the week. */
  readonly average: number;
  /** Hours per week at each desired size. */
  readonly hoursAt: ReadonlyMap<number, number>;
}

/**
 * Average size over a week of scheduled actions (`M H * * days` recurrences). The time zone does not
 * change hours per week (daylight-saving weeks aside), so it is ignored.
 */
export function weeklySchedule(actions: readonly { recurrence: string; desired: number }[]): WeeklySchedule | undefined {
  const events: { at: number; desired: number }[] = [];
  for (const action of actions) {
    const [minute, hour, dom, month, dow] = action.recurrence.trim().split(/\s+/);
    if (dom !== "*" || month !== "*" || !/^\d+$/.test(minute) || !/^\d+$/.test(hour)) throw new CannotPrice(`recurrence "${action.recurrence}" is not a weekly "M H * * days" schedule`);
    for (const day of cronDays(dow)) events.push({ at: day * 1440 + Number(hour) * 60 + Number(minute), desired: action.desired });
  }
  if (events.length === 0) return undefined;
  events.sort((a, b) => a.at - b.at);
  const hoursAt = new Map<number, number>();
  let weighted = 0;
  events.forEach((event, i) => {
    const next = i + 1 < events.length ? events[i + 1].at : events[0].at + WEEK_MINUTES;
    const minutes = next - event.at;
    weighted += minutes * event.desired;
    hoursAt.set(event.desired, (hoursAt.get(event.desired) ?? 0) + minutes / 60);
  });
  return { average: weighted / WEEK_MINUTES, hoursAt };
}

function scheduleOf(group: ResourceInstance, ctx: PricingContext): WeeklySchedule | undefined {
  const actions = [...new Set(ctx.resources.values())]
    .filter((r) => r.type === "aws_autoscaling_schedule" && refersTo(r, group))
    .map((r) => ({
      recurrence: known(r.values.recurrence, `${r.address} recurrence`, isString),
      desired: known(r.values.desired_capacity, `${r.address} desired_capacity`, isNumber),
    }));
  return weeklySchedule(actions);
}

function describeSchedule(s: WeeklySchedule): string {
  const parts = [...s.hoursAt.entries()].sort((a, b) => b[0] - a[0]).map(([size, hours]) => `${size} nodes ${Math.round(hours)} h/week`);
  return `off-hours schedule: ${parts.join(", ")} = ${s.average.toFixed(2)} average`;
}

// ----- AWS -----------------------------------------------------------------------------------

/** Root volume of a node group: its launch template's first EBS mapping, else `disk_size` (EKS default 20 GiB). */
function rootVolume(group: ResourceInstance, ctx: PricingContext): { sizeGiB: number; type: string } {
  const template = group.refs.map((a) => ctx.resources.get(a)).find((r) => r?.type === "aws_launch_template");
  const ebs = block(block(template?.values.block_device_mappings)?.ebs);
  if (ebs) {
    return { sizeGiB: known(ebs.volume_size, `${template?.address} volume_size`, isNumber), type: known(ebs.volume_type ?? "gp3", "volume_type", isString) };
  }
  return { sizeGiB: isNumber(group.values.disk_size) ? group.values.disk_size : 20, type: "gp3" };
}

const eksNodeGroup: PricingRule = (r, ctx) => {
  const scaling = block(r.values.scaling_config);
  if (!scaling) throw new CannotPrice("scaling_config is unknown or redacted");
  const desired = known(scaling.desired_size, "scaling_config.desired_size", isNumber);
  const max = known(scaling.max_size, "scaling_config.max_size", isNumber);
  const types = known(r.values.instance_types, "instance_types", isStringList);
  const spot = r.values.capacity_type === "SPOT";
  const where = use(r, ctx);
  const onDemand = types.map((t) => {
    if (!ctx.prices.has(`aws.ec2.${t}`)) throw new CannotPrice(`instance type ${t} has no entry aws.ec2.${t} in the price table`);
    return ctx.prices.price(`aws.ec2.${t}`, where);
  });
  const mean = onDemand.reduce((a, b) => a + b, 0) / onDemand.length;
  const discount = spot ? ctx.prices.price("aws.ec2.spot-discount", where) : 0;
  const hourly = mean * (1 - discount);
  const hours = ctx.prices.hoursPerMonth;
  const schedule = scheduleOf(r, ctx);
  const average = schedule ? schedule.average : desired;
  const item = `EC2 ${types.length > 1 ? `${types.join("/")} (mean)` : types[0]} ${spot ? `spot (${Math.round(discount * 100)}% off assumed)` : "on-demand"}`;
  const basis = schedule ? `${describeSchedule(schedule)} (desired ${desired}) x ${hours} h` : `desired ${desired} x ${hours} h`;
  const saving = schedule ? (desired - average) * hours : 0;
  const volume = rootVolume(r, ctx);
  const gbMonth = ctx.prices.price(`aws.ebs.${volume.type}-gb-month`, where);
  return [
    row(item, average * hours, "instance-hours", hourly, basis, { maxMonthlyUsd: max * hours * hourly, ...(schedule ? { scheduleSavingUsd: saving * hourly } : {}) }),
    row(`EBS ${volume.type} root volumes, ${volume.sizeGiB} GiB each`, average * volume.sizeGiB, "GB-months", gbMonth, schedule ? `${average.toFixed(2)} nodes on average x ${volume.sizeGiB} GiB` : `desired ${desired} x ${volume.sizeGiB} GiB`, {
      maxMonthlyUsd: max * volume.sizeGiB * gbMonth,
      ...(schedule ? { scheduleSavingUsd: (desired - average) * volume.sizeGiB * gbMonth } : {}),
    }),
  ];
};

const natGateway: PricingRule = (r, ctx) => {
  const gb = usageOf(ctx, "natGatewayGbPerMonth", r);
  return [
    alwaysOn(r, ctx, "NAT gateway", "aws.vpc.nat-gateway-hour", "hours"),
    row("NAT gateway data processed", gb, "GB", ctx.prices.price("aws.vpc.nat-gateway-gb", use(r, ctx)), "usage assumption cost.usage.natGatewayGbPerMonth"),
  ];
};

const logGroup: PricingRule = (r, ctx) => {
  const name = typeof r.values.name === "string" ? r.values.name : undefined;
  const byGroup = ctx.usage.logIngestGbPerMonthByGroup ?? {};
  const specific = name !== undefined ? byGroup[name] : undefined;
  const gb = specific ?? usageOf(ctx, "logIngestGbPerMonth", r);
  const basis = specific !== undefined ? `usage assumption cost.usage.logIngestGbPerMonthByGroup["${name}"]` : "usage assumption cost.usage.logIngestGbPerMonth (per log group)";
  return [row(`CloudWatch Logs ingestion${name ? ` ${name}` : ""}`, gb, "GB", ctx.prices.price("aws.logs.ingest-gb", use(r, ctx)), basis)];
};

const lambdaFunction: PricingRule = (r, ctx) => {
  const invocations = usageOf(ctx, "lambdaInvocationsPerMonth", r);
  const seconds = usageOf(ctx, "lambdaAverageSeconds", r);
  const memoryMb = isNumber(r.values.memory_size) ? r.values.memory_size : 128;
  const architectures = Array.isArray(r.values.architectures) ? r.values.architectures : [];
  const arch = architectures[0] === "arm64" ? "arm64" : "x86_64";
  const gbSeconds = invocations * seconds * (memoryMb / 1024);
  return [
    row("Lambda requests", invocations / 1e6, "million requests", ctx.prices.price("aws.lambda.requests-million", use(r, ctx)), "usage assumption cost.usage.lambdaInvocationsPerMonth"),
    row(`Lambda compute ${arch}, ${memoryMb} MB`, gbSeconds, "GB-seconds", ctx.prices.price(`aws.lambda.gb-second-${arch}`, use(r, ctx)), `${invocations} invocations x ${seconds} s (cost.usage) x ${memoryMb / 1024} GB; free tier not subtracted`),
  ];
};

// ----- Azure ---------------------------------------------------------------------------------

function vmPool(r: ResourceInstance, ctx: PricingContext, pool: Record<string, unknown>, label: string): RowDraft {
  const size = known(pool.vm_size, `${label}.vm_size`, isString);
  const autoscale = pool.auto_scaling_enabled === true || pool.enable_auto_scaling === true;
  const count = known(autoscale ? pool.min_count : (pool.node_count ?? 1), `${label}.${autoscale ? "min_count" : "node_count"}`, isNumber);
  const max = autoscale ? known(pool.max_count, `${label}.max_count`, isNumber) : count;
  if (!ctx.prices.has(`azure.vm.${size}`)) throw new CannotPrice(`VM size ${size} has no entry azure.vm.${size} in the price table`);
  const hourly = ctx.prices.price(`azure.vm.${size}`, use(r, ctx));
  const hours = ctx.prices.hoursPerMonth;
  return row(`VM ${size} (${label})`, count * hours, "VM-hours", hourly, `${autoscale ? "min_count" : "node_count"} ${count} x ${hours} h; OS disk ephemeral (no charge) unless os_disk_type is Managed`, {
    maxMonthlyUsd: max * hours * hourly,
  });
}

const aksCluster: PricingRule = (r, ctx) => {
  const tier = r.values.sku_tier ?? "Free";
  const rows: RowDraft[] = [];
  if (tier === "Standard") rows.push(alwaysOn(r, ctx, "AKS Standard tier", "azure.aks.standard-cluster-hour", "cluster-hours"));
  else if (tier !== "Free") throw new CannotPrice(`sku_tier ${JSON.stringify(tier)} has no price in the table`);
  const pool = block(r.values.default_node_pool);
  if (!pool) throw new CannotPrice("default_node_pool is unknown or redacted");
  rows.push(vmPool(r, ctx, pool, `pool ${String(pool.name ?? "default")}`));
  return rows;
};

/** Connections of a gateway in a stable order, so "beyond the included count" is deterministic. */
function tunnelIndex(r: ResourceInstance, ctx: PricingContext): number {
  const gateway = r.refs.map((a) => ctx.resources.get(a)).find((x) => x?.type === "azurerm_virtual_network_gateway");
  const siblings = [...new Set(ctx.resources.values())]
    .filter((x) => x.type === "azurerm_virtual_network_gateway_connection" && x.values.type === "IPsec" && (gateway === undefined || refersTo(x, gateway)))
    .map((x) => x.address)
    .sort();
  return siblings.indexOf(r.address);
}

const s2sConnection: PricingRule = (r, ctx) => {
  if (r.values.type !== "IPsec") throw new CannotPrice(`connection type ${JSON.stringify(r.values.type)} is not priced (only IPsec site-to-site)`);
  const included = ctx.prices.price("azure.vpn.s2s-tunnels-included", use(r, ctx));
  const index = tunnelIndex(r, ctx);
  const hourly = ctx.prices.price("azure.vpn.s2s-tunnel-hour", use(r, ctx));
  const hours = ctx.prices.hoursPerMonth;
  const beyond = index >= included;
  return [row("site-to-site tunnel", beyond ? hours : 0, "tunnel-hours", hourly, beyond ? `tunnel ${index + 1}, beyond the ${included} included` : `tunnel ${index + 1} of ${included} included in the gateway price`)];
};

/** Site link connections an ARM deployment creates on a Virtual WAN VPN gateway (SiteToSiteVpn). */
const vwanConnection: PricingRule = (r, ctx) => {
  let resources: Record<string, any>[] = [];
  try {
    resources = (JSON.parse(String(r.values.template_content)) as { resources?: Record<string, any>[] }).resources ?? [];
  } catch {
    throw new CannotPrice("template_content is unknown or redacted");
  }
  const links = resources.filter((x) => x.type === "Microsoft.Network/vpnGateways/vpnConnections").flatMap((x) => x.properties?.vpnLinkConnections ?? []);
  if (links.length === 0) throw new CannotPrice("the template deploys no Virtual WAN VPN connection; nothing else is priced for template deployments");
  const hours = ctx.prices.hoursPerMonth;
  return [row("Virtual WAN site-to-site connection unit", links.length * hours, "connection-hours", ctx.prices.price("azure.vwan.s2s-connection-unit-hour", use(r, ctx)), `${links.length} link connection(s), always on`)];
};

const scaleUnits = (r: ResourceInstance, ctx: PricingContext, item: string, priceId: string): RowDraft[] => {
  const units = known(r.values.scale_unit ?? 1, "scale_unit", (v): v is number => typeof v === "number");
  const hours = ctx.prices.hoursPerMonth;
  return [row(item, units * hours, "scale-unit-hours", ctx.prices.price(priceId, use(r, ctx)), `${units} scale unit(s), always on`)];
};

const hubFirewall: PricingRule = (r, ctx) => {
  const tier = known(r.values.sku_tier, "sku_tier", isString).toLowerCase();
  if (r.values.sku_name !== "AZFW_Hub") throw new CannotPrice(`sku_name ${JSON.stringify(r.values.sku_name)} is not priced (only AZFW_Hub)`);
  const id = `azure.firewall.${tier}-hub-hour`;
  if (!ctx.prices.has(id)) throw new CannotPrice(`sku_tier ${tier} has no entry ${id} in the price table`);
  return [
    alwaysOn(r, ctx, `Azure Firewall ${tier} (secured hub)`, id, "firewall-hours"),
    row("Azure Firewall data processed", usageOf(ctx, "firewallGbPerMonth", r), "GB", ctx.prices.price("azure.firewall.processed-gb", use(r, ctx)), "usage assumption cost.usage.firewallGbPerMonth"),
  ];
};

// ----- The catalogue -------------------------------------------------------------------------

/** Pricing rules by resource type. */
export const RULES: Readonly<Record<string, PricingRule>> = {
  aws_eks_cluster: (r, ctx) => [alwaysOn(r, ctx, "EKS control plane", "aws.eks.cluster-hour", "cluster-hours")],
  aws_eks_node_group: eksNodeGroup,
  aws_nat_gateway: natGateway,
  aws_eip: (r, ctx) => [alwaysOn(r, ctx, "public IPv4 address", "aws.vpc.public-ipv4-hour", "address-hours")],
  aws_kms_key: (r, ctx) => [row("KMS key", 1, "key-months", ctx.prices.price("aws.kms.key-month", use(r, ctx)), "one key; rotations and requests not counted")],
  aws_cloudwatch_log_group: logGroup,
  aws_ecr_repository: (r, ctx) => [
    row("ECR storage", usageOf(ctx, "ecrStorageGbPerRepository", r), "GB-months", ctx.prices.price("aws.ecr.storage-gb-month", use(r, ctx)), "usage assumption cost.usage.ecrStorageGbPerRepository"),
  ],
  aws_lambda_function: lambdaFunction,
  aws_s3_bucket: (r, ctx) => [
    row("S3 Standard storage", usageOf(ctx, "s3StorageGbPerBucket", r), "GB-months", ctx.prices.price("aws.s3.standard-gb-month", use(r, ctx)), "usage assumption cost.usage.s3StorageGbPerBucket"),
  ],
  aws_ssm_parameter: (r, ctx) => {
    if ((r.values.tier ?? "Standard") === "Standard") return [row("SSM parameter, Standard tier", 1, "parameter-months", 0, "Standard parameters have no charge")];
    if (r.values.tier !== "Advanced") throw new CannotPrice(`tier ${JSON.stringify(r.values.tier)} is unknown or redacted`);
    return [row("SSM parameter, Advanced tier", 1, "parameter-months", ctx.prices.price("aws.ssm.advanced-parameter-month", use(r, ctx)), "one Advanced parameter; API interactions not counted")];
  },
  azurerm_kubernetes_cluster: aksCluster,
  azurerm_kubernetes_cluster_node_pool: (r, ctx) => [vmPool(r, ctx, r.values as Record<string, unknown>, `pool ${String(r.values.name ?? "")}`)],
  azurerm_virtual_network_gateway: (r, ctx) => {
    const sku = known(r.values.sku, "sku", isString);
    return [alwaysOn(r, ctx, `VPN gateway ${sku}`, `azure.vpn.${sku}-hour`, "gateway-hours")];
  },
  azurerm_virtual_network_gateway_connection: s2sConnection,
  azurerm_virtual_hub: (r, ctx) => [alwaysOn(r, ctx, "Virtual WAN Standard hub", "azure.vwan.standard-hub-hour", "hub-hours")],
  azurerm_firewall: hubFirewall,
  azurerm_vpn_gateway: (r, ctx) => scaleUnits(r, ctx, "Virtual WAN site-to-site VPN gateway", "azure.vwan.s2s-scale-unit-hour"),
  azurerm_point_to_site_vpn_gateway: (r, ctx) => scaleUnits(r, ctx, "Virtual WAN point-to-site VPN gateway", "azure.vwan.p2s-scale-unit-hour"),
  azurerm_resource_group_template_deployment: vwanConnection,
  azurerm_public_ip: (r, ctx) => {
    if ((r.values.sku ?? "Standard") !== "Standard") throw new CannotPrice(`public IP sku ${JSON.stringify(r.values.sku)} is not in the table (only Standard)`);
    return [alwaysOn(r, ctx, "Standard public IP", "azure.network.public-ip-standard-hour", "address-hours")];
  },
  azurerm_log_analytics_workspace: (r, ctx) => {
    const name = typeof r.values.name === "string" ? r.values.name : undefined;
    const specific = name !== undefined ? ctx.usage.logAnalyticsGbPerMonthByWorkspace?.[name] : undefined;
    const gb = specific ?? usageOf(ctx, "logAnalyticsGbPerMonth", r);
    const basis = specific !== undefined ? `usage assumption cost.usage.logAnalyticsGbPerMonthByWorkspace["${name}"]` : "usage assumption cost.usage.logAnalyticsGbPerMonth (per workspace)";
    return [row(`Log Analytics ingestion${name ? ` ${name}` : ""}`, gb, "GB", ctx.prices.price("azure.monitor.log-analytics-ingest-gb", use(r, ctx)), `${basis}; free 5 GB not subtracted`)];
  },
  azurerm_key_vault: (r, ctx) => [
    row("Key Vault operations", usageOf(ctx, "keyVaultOperationsPerMonth", r) / 10000, "10k operations", ctx.prices.price("azure.keyvault.operations-10k", use(r, ctx)), "usage assumption cost.usage.keyVaultOperationsPerMonth"),
  ],
  azurerm_storage_account: (r, ctx) => {
    const replication = known(r.values.account_replication_type, "account_replication_type", isString);
    const id = `azure.storage.blob-hot-${replication.toLowerCase()}-gb-month`;
    if (!ctx.prices.has(id)) throw new CannotPrice(`replication ${replication} has no entry ${id} in the price table`);
    return [row(`Blob storage, hot ${replication}`, usageOf(ctx, "storageGbPerAccount", r), "GB-months", ctx.prices.price(id, use(r, ctx)), "usage assumption cost.usage.storageGbPerAccount")];
  },
};

const FREE_REASONS: Readonly<Record<string, string>> = {
  iam: "IAM has no charge",
  network: "no charge for the network object itself (traffic is priced on NAT/gateways)",
  config: "configuration of a priced resource; no charge of its own",
  kubernetes: "a Kubernetes object; it runs on the cluster's nodes, which are priced",
  schedule: "no charge for the schedule; its effect is priced on the node group",
};

/** Resource types with no charge of their own, with the reason shown in the output. */
export const FREE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ["aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_openid_connect_provider", "aws_iam_policy", "aws_eks_access_entry", "aws_eks_access_policy_association", "azurerm_role_assignment", "azurerm_user_assigned_identity", "azurerm_federated_identity_credential"].map((t) => [t, FREE_REASONS.iam]),
  ),
  ...Object.fromEntries(
    ["aws_vpc", "aws_subnet", "aws_route", "aws_route_table", "aws_route_table_association", "aws_internet_gateway", "aws_default_security_group", "aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "azurerm_virtual_network", "azurerm_subnet", "azurerm_network_security_group", "azurerm_network_security_rule", "azurerm_subnet_network_security_group_association", "azurerm_local_network_gateway", "azurerm_route_table", "azurerm_subnet_route_table_association", "azurerm_virtual_wan", "azurerm_vpn_site", "azurerm_virtual_hub_routing_intent"].map((t) => [t, FREE_REASONS.network]),
  ),
  ...Object.fromEntries(
    ["aws_kms_alias", "azurerm_resource_group", "aws_launch_template", "aws_eks_addon", "aws_ecr_lifecycle_policy", "aws_ecr_repository_policy", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning", "aws_s3_bucket_logging", "aws_flow_log", "aws_lambda_permission", "aws_lambda_function_event_invoke_config", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_sqs_queue_policy", "aws_sns_topic_policy", "azurerm_management_lock", "azurerm_monitor_data_collection_rule", "azurerm_monitor_data_collection_rule_association", "azurerm_monitor_diagnostic_setting", "azurerm_storage_container", "azurerm_storage_management_policy", "azurerm_key_vault_secret", "azurerm_firewall_policy_rule_collection_group", "azurerm_vpn_server_configuration"].map((t) => [t, FREE_REASONS.config]),
  ),
  aws_autoscaling_schedule: FREE_REASONS.schedule,
  azurerm_firewall_policy: "a policy used by a single firewall has no charge of its own (Firewall Manager pricing; unconfirmed)",
};

/** Types that cost money but are not in the table, with why. */
export const NOT_PRICED: Readonly<Record<string, string>> = {
  aws_sqs_queue: "per-request pricing with no usage assumption (the reaper's few hundred requests a month are inside the free tier)",
  aws_sns_topic: "per-request/delivery pricing with no usage assumption (a few emails a week)",
  aws_sns_topic_subscription: "per-delivery pricing with no usage assumption",
  azurerm_virtual_hub_connection: "no hourly charge; hub data processing is per GB and has no usage assumption (routing intent sends the spoke's branch traffic through the firewall, priced there)",
};

/** Why a type is free, why it cannot be priced, or its rule. */
export function classify(type: string): { rule: PricingRule } | { free: string } | { notPriced: string } {
  if (Object.hasOwn(RULES, type)) return { rule: RULES[type] };
  if (Object.hasOwn(FREE, type)) return { free: FREE[type] };
  if (type.startsWith("kubernetes_")) return { free: FREE_REASONS.kubernetes };
  if (Object.hasOwn(NOT_PRICED, type)) return { notPriced: NOT_PRICED[type] };
  if (type.startsWith("datadog_")) return { notPriced: "billed under the Datadog contract (hosts, synthetic test runs), not by the cloud; not in the price table" };
  return { notPriced: "no pricing rule for this resource type; add one to tools/cost/rules.ts or list it as free (docs/cost.md)" };
}
