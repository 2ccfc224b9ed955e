/**
 * A synth-time reachability model of the Azure network: from the synthesized Virtual WAN hub (its
 * routing intent and the firewall policy's network rules), the spoke's NSG rules (with Azure's
 * default rules and service tags), the customers' VPN sites and the point-to-site pool, compute
 * which flows can start between every pair of address groups — spoke subnets, each customer, the
 * P2S pool, the internet — and compare them with what config allows. Any other flow fails synth.
 *
 * Paths: routing intent sends every private flow from or to a branch (a customer or a VPN client)
 * through the hub firewall, so branch-to-branch is decided by the firewall alone, branch-to-spoke
 * by the firewall and then the destination subnet's inbound NSG, spoke-to-branch by the source
 * subnet's outbound NSG and then the firewall. Nothing is trusted about a customer's device: no
 * traffic selectors (a tunnel may carry anything to anywhere), and no advertised routes: the hub's
 * routes to a customer are its VPN site's address ranges only, because no customer runs BGP (a
 * site link with BGP or a connection that enables it is refused). Without a PrivateTraffic routing
 * intent whose next hop is the hub's firewall, isolation is not guaranteed and the model refuses
 * to build.
 *
 * Conservative where it approximates: an Allow rule counts when it overlaps a group (part of the
 * group gets through), a Deny only when it covers the whole group. Ports are exact: every rule's
 * range boundaries cut 0-65535 into intervals no rule splits, and each interval is decided once,
 * for every protocol. What the model cannot evaluate — a source port, an application security
 * group, an unknown service tag, firewall application or NAT rules, IP groups, FQDNs, a parent
 * policy — is refused at synth rather than guessed.
 */
import { Netmask } from "netmask";
import { ConfigError } from "../../errors";
import { CUSTOMER_BGP_REFUSED } from "../vpn/static-routing";
import { vpnConnectionsIn } from "../vpn/vpn-connection-template";
import { DatabaseTarget, GrantedAccess, HubIsolation } from "./isolation";

/** The kinds of address group the model knows. */
export type GroupKind = "spoke" | "customer" | "point-to-site" | "internet";

/** A set of addresses flows start from or go to. */
export interface AddressGroup {
  /** "snet-aks-nodes", "customer acme-bank", "point-to-site", "internet". */
  readonly name: string;
  /** What the group is: a spoke subnet, a customer, the P2S pool or the internet. */
  readonly kind: GroupKind;
  /** IPv4 ranges; empty for the internet, which is every public address and no range of ours. */
  readonly cidrs: readonly string[];
}

/** One NSG rule, normalized (singular and plural attributes merged). */
export interface ModelRule {
  /** Rule name. */
  readonly name: string;
  /** Azure priority: the lowest number that matches decides. */
  readonly priority: number;
  /** Which traffic the rule sees, relative to the subnet. */
  readonly direction: "Inbound" | "Outbound";
  /** What a match does. */
  readonly access: "Allow" | "Deny";
  /** "*" or one of PROTOCOLS. */
  readonly protocol: string;
  /** CIDRs or service tags ("VirtualNetwork", "Internet", "*"). */
  readonly sources: readonly string[];
  /** CIDRs or service tags the rule admits or refuses traffic to. */
  readonly destinations: readonly string[];
  /** Destination ports: "*", "443", "1000-2000". */
  readonly ports: readonly string[];
}

/** One network rule of the hub firewall's policy, normalized. */
export interface FirewallRuleModel {
  /** `firewall policy "<policy>" <group>/<collection>/<rule>`, for messages. */
  readonly name: string;
  /** What a match does (the rule collection's action). */
  readonly action: "Allow" | "Deny";
  /** Protocols matched ("Any" expands to every protocol). */
  readonly protocols: readonly Protocol[];
  /** Source CIDRs or "*". */
  readonly sources: readonly string[];
  /** Destination CIDRs or "*". */
  readonly destinations: readonly string[];
  /** Destination ports: "*", "443", "1000-2000". */
  readonly ports: readonly string[];
}

/** The secured hub every branch flow passes. */
export interface HubModel {
  /** The firewall's network rules in evaluation order (group priority, then collection priority); no match is denied. */
  readonly firewallRules: readonly FirewallRuleModel[];
}

/** Everything the model is computed from, read from the synthesized stacks. */
export interface NetworkModel {
  /** The spoke VNet's address space (part of the VirtualNetwork tag). */
  readonly vnetCidrs: readonly string[];
  /** Every address group, spoke subnets first. */
  readonly groups: readonly AddressGroup[];
  /** NSG rules per spoke group name (custom rules only; Azure's defaults are added by the model). */
  readonly nsgRules: Readonly<Record<string, readonly ModelRule[]>>;
  /** The secured hub. */
  readonly hub: HubModel;
}

/** Every protocol an NSG rule can name ("*" stands for all of them). */
export const PROTOCOLS = ["Tcp", "Udp", "Icmp", "Esp", "Ah"] as const;
/** A protocol an NSG rule can name. */
export type Protocol = (typeof PROTOCOLS)[number];
/** Protocols without ports: a flow of these is always port "*". */
const PORTLESS: readonly Protocol[] = ["Icmp", "Esp", "Ah"];

/**
 * One flow that can start. `port` is a single port some rule names, a "low-high" range of ports no
 * rule names singly, or "*": every port but the single ones the rules name (those that are open are
 * listed as flows of their own), and every port of a protocol without ports.
 */
export interface Flow {
  /** Source group name. */
  readonly from: string;
  /** Destination group name. */
  readonly to: string;
  /** IP protocol. */
  readonly protocol: Protocol;
  /** Destination port, range of ports, or "*" (see above). */
  readonly port: number | "*" | `${number}-${number}`;
  /** The destination range the allowing rule names, when narrower than the group. */
  readonly via?: string;
  /** The rules that let it through (hub firewall, then NSG), for messages. */
  readonly by?: string;
}

/** What config allows: per customer its grants, for the P2S pool its databases. */
export interface ExpectedFlows {
  /** Grants per customer group name. */
  readonly customers: Readonly<Record<string, readonly GrantedAccess[]>>;
  /** Database endpoints (address and port) the P2S pool may reach. */
  readonly pointToSite: readonly DatabaseTarget[];
}

/** Name of the internet group. */
export const INTERNET = "internet";
/** Name of the point-to-site pool's group. */
export const POINT_TO_SITE = "point-to-site";
/** Customer group name for a customer. */
export const customerGroup = (name: string): string => `customer ${name}`;

/** Azure's default NSG rules (they cannot be removed, only preceded). */
const DEFAULT_RULES: readonly ModelRule[] = [
  { name: "AllowVnetInBound", priority: 65000, direction: "Inbound", access: "Allow", protocol: "*", sources: ["VirtualNetwork"], destinations: ["VirtualNetwork"], ports: ["*"] },
  { name: "AllowAzureLoadBalancerInBound", priority: 65001, direction: "Inbound", access: "Allow", protocol: "*", sources: ["AzureLoadBalancer"], destinations: ["*"], ports: ["*"] },
  { name: "DenyAllInBound", priority: 65500, direction: "Inbound", access: "Deny", protocol: "*", sources: ["*"], destinations: ["*"], ports: ["*"] },
  { name: "AllowVnetOutBound", priority: 65000, direction: "Outbound", access: "Allow", protocol: "*", sources: ["VirtualNetwork"], destinations: ["VirtualNetwork"], ports: ["*"] },
  { name: "AllowInternetOutBound", priority: 65001, direction: "Outbound", access: "Allow", protocol: "*", sources: ["*"], destinations: ["Internet"], ports: ["*"] },
  { name: "DenyAllOutBound", priority: 65500, direction: "Outbound", access: "Deny", protocol: "*", sources: ["*"], destinations: ["*"], ports: ["*"] },
];

const MAX_PORT = 65535;
/** Service tags the model resolves (case as Azure spells them); any other tag is refused. */
const KNOWN_PREFIXES = ["*", "Any", "VirtualNetwork", "Internet", "AzureLoadBalancer"];
const IPV4 = /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/;
const PORT_RANGE = /^(\d+)(?:-(\d+))?$/;

/** A contiguous range of destination ports. */
interface PortSpan {
  readonly low: number;
  readonly high: number;
}

function parsePortRange(range: string): PortSpan | undefined {
  if (range === "*") return { low: 0, high: MAX_PORT };
  const m = PORT_RANGE.exec(range);
  if (!m) return undefined;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return low <= high && high <= MAX_PORT ? { low, high } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading the synthesized JSON
// ---------------------------------------------------------------------------------------------

type Json = Record<string, any>;
const list = (value: unknown): any[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const resources = (stack: Json, type: string): [string, Json][] => Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>);
const refTo = (type: string, value: unknown): string | undefined => new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.id\\}$`).exec(String(value))?.[1];

/**
 * Every BGP session with a customer the VPN stack defines: a VPN site link with a bgp block, a
 * connection link that does not set enableBgp false (ARM template or azurerm_vpn_gateway_connection).
 */
function customerBgpSessions(vpn: Json): string[] {
  const sites = resources(vpn, "azurerm_vpn_site").flatMap(([, site]) =>
    list(site.link).filter((link) => list(link.bgp).length > 0).map((link) => `VPN site "${site.name}" link "${link.name}" has a bgp block`),
  );
  const templates = resources(vpn, "azurerm_resource_group_template_deployment").flatMap(([, deployment]) =>
    vpnConnectionsIn(deployment.template_content).flatMap((connection) =>
      list(connection.properties?.vpnLinkConnections)
        .filter((link) => link.properties?.enableBgp !== false)
        .map((link) => `connection "${connection.name}" link "${link.name}" has enableBgp ${JSON.stringify(link.properties?.enableBgp)} (must be false)`),
    ),
  );
  const connections = resources(vpn, "azurerm_vpn_gateway_connection").flatMap(([, connection]) =>
    list(connection.vpn_link).filter((link) => link.bgp_enabled === true).map((link) => `connection "${connection.name}" vpn_link "${link.name}" has bgp_enabled true`),
  );
  return [...sites, ...templates, ...connections];
}

const pick = (one: unknown, many: unknown) => (list(many).length > 0 ? list(many).map(String) : list(one).map(String));
const field = (raw: Json, one: string, many: string) => (list(raw[many]).length > 0 ? many : one);

/**
 * Refuse a rule the model cannot evaluate exactly: a source port other than "*" (Azure matches it,
 * the model does not, so a Deny on one source port would look like a Deny on all), application
 * security groups (membership is not in the synthesized network), a service tag the model does not
 * resolve, a protocol NSGs do not have, or a malformed or port-bearing range on a protocol without ports.
 */
function checkModellable(nsg: string, raw: Json): void {
  const where = `reachability model: NSG "${nsg}" rule "${raw.name}"`;
  const sourcePorts = field(raw, "source_port_range", "source_port_ranges");
  const odd = pick(raw.source_port_range, raw.source_port_ranges).find((p) => p !== "*");
  if (odd !== undefined) {
    throw new ConfigError(`${where}: ${sourcePorts} "${odd}" is not "*"; the model evaluates destination ports only, so it cannot prove what this rule lets through. Restrict the destination port instead and use source_port_range "*"`);
  }
  for (const asg of ["source_application_security_group_ids", "destination_application_security_group_ids"]) {
    if (list(raw[asg]).length > 0) {
      throw new ConfigError(`${where}: ${asg} ${JSON.stringify(list(raw[asg]))} names application security groups, whose members the model cannot see; name the addresses (CIDRs) instead`);
    }
  }
  for (const [one, many] of [["source_address_prefix", "source_address_prefixes"], ["destination_address_prefix", "destination_address_prefixes"]]) {
    const unknown = pick(raw[one], raw[many]).find((p) => !KNOWN_PREFIXES.includes(p) && !IPV4.test(p));
    if (unknown !== undefined) {
      throw new ConfigError(`${where}: ${field(raw, one, many)} "${unknown}" is a service tag the reachability model does not know (it resolves ${KNOWN_PREFIXES.join(", ")} and IPv4 CIDRs); use IPv4 CIDRs or one of those tags, spelled as shown`);
    }
  }
  const protocol = String(raw.protocol ?? "*");
  if (protocol !== "*" && !PROTOCOLS.some((p) => p === protocol)) {
    throw new ConfigError(`${where}: protocol "${protocol}" is not one Azure NSGs accept; use one of ${PROTOCOLS.join(", ")} or "*"`);
  }
  const ports = field(raw, "destination_port_range", "destination_port_ranges");
  const destination = pick(raw.destination_port_range, raw.destination_port_ranges);
  if (destination.length === 0) throw new ConfigError(`${where}: no destination_port_range; set one ("*" for every port)`);
  const bad = destination.find((p) => parsePortRange(p) === undefined);
  if (bad !== undefined) throw new ConfigError(`${where}: ${ports} "${bad}" is not "*", a port or a "low-high" range within 0-${MAX_PORT}`);
  const portless = PORTLESS.find((p) => p === protocol);
  const ported = destination.find((p) => p !== "*");
  if (portless && ported !== undefined) {
    throw new ConfigError(`${where}: ${ports} "${ported}" on protocol ${portless}, which has no ports; use destination_port_range "*"`);
  }
}

function normalizeRule(raw: Json): ModelRule {
  return {
    name: String(raw.name),
    priority: Number(raw.priority),
    direction: raw.direction,
    access: raw.access,
    protocol: String(raw.protocol ?? "*"),
    sources: pick(raw.source_address_prefix, raw.source_address_prefixes),
    destinations: pick(raw.destination_address_prefix, raw.destination_address_prefixes),
    ports: pick(raw.destination_port_range, raw.destination_port_ranges),
  };
}

/** Firewall protocol names -> model protocols. */
const FIREWALL_PROTOCOLS: Record<string, readonly Protocol[]> = { TCP: ["Tcp"], UDP: ["Udp"], ICMP: ["Icmp"], ANY: PROTOCOLS };
const isIpv4OrAny = (p: string) => p === "*" || IPV4.test(p);

/** Why isolation is not guaranteed by Azure itself in this hub, or [] when routing intent covers it. */
function routingIntentProblems(network: Json): string[] {
  const firewalls = resources(network, "azurerm_firewall").filter(([, f]) => f.sku_name === "AZFW_Hub" && list(f.virtual_hub).length > 0);
  const hubs = resources(network, "azurerm_virtual_hub");
  if (hubs.length !== 1) return [`expected one azurerm_virtual_hub in the network stack, found ${hubs.length}`];
  const [hubId] = hubs[0];
  const inHub = firewalls.filter(([, f]) => refTo("azurerm_virtual_hub", list(f.virtual_hub)[0]?.virtual_hub_id) === hubId);
  if (inHub.length === 0) return ["the virtual hub has no Azure Firewall (sku_name AZFW_Hub with virtual_hub)"];
  const intents = resources(network, "azurerm_virtual_hub_routing_intent").filter(([, r]) => refTo("azurerm_virtual_hub", r.virtual_hub_id) === hubId);
  if (intents.length === 0) return ["the virtual hub has no azurerm_virtual_hub_routing_intent: branch-to-branch and branch-to-VNet traffic bypass the firewall"];
  const policies = intents.flatMap(([, r]) => list(r.routing_policy));
  const privateTraffic = policies.filter((p) => list(p.destinations).includes("PrivateTraffic"));
  if (privateTraffic.length === 0) return ["the routing intent has no routing_policy with destinations [\"PrivateTraffic\"]: private traffic bypasses the firewall"];
  const toFirewall = privateTraffic.filter((p) => inHub.some(([id]) => refTo("azurerm_firewall", p.next_hop) === id));
  if (toFirewall.length === 0) return [`the PrivateTraffic routing policy's next_hop ${JSON.stringify(privateTraffic[0].next_hop)} is not the hub's firewall`];
  return [];
}

/** The hub firewall's network rules, in the order Azure evaluates them; refuses what the model cannot evaluate. */
function firewallRulesFrom(network: Json): FirewallRuleModel[] {
  const where = (policy: string) => `reachability model: firewall policy "${policy}"`;
  const policies = new Map(resources(network, "azurerm_firewall_policy").map(([id, p]) => [id, p]));
  const used = new Set(resources(network, "azurerm_firewall").map(([, f]) => refTo("azurerm_firewall_policy", f.firewall_policy_id)).filter((id): id is string => id !== undefined));
  for (const [id, policy] of policies) {
    if (used.has(id) && policy.base_policy_id !== undefined) {
      throw new ConfigError(`${where(policy.name)}: base_policy_id ${JSON.stringify(policy.base_policy_id)} inherits rules the model cannot see; put every rule in this policy`);
    }
  }
  for (const type of ["azurerm_firewall_network_rule_collection", "azurerm_firewall_application_rule_collection", "azurerm_firewall_nat_rule_collection"]) {
    const [first] = resources(network, type);
    if (first) throw new ConfigError(`reachability model: ${type} "${first[1].name}" is a classic firewall rule the hub firewall (managed by its policy) does not use; put the rule in the firewall policy's rule collection group`);
  }
  const groups = resources(network, "azurerm_firewall_policy_rule_collection_group")
    .map(([, g]) => ({ g, policyId: refTo("azurerm_firewall_policy", g.firewall_policy_id) ?? "" }))
    // Only the policy a firewall enforces decides anything.
    .filter(({ policyId }) => used.has(policyId))
    .map(({ g, policyId }) => ({ g, policy: policies.get(policyId) }))
    .sort((a, b) => Number(a.g.priority) - Number(b.g.priority));
  const rules: FirewallRuleModel[] = [];
  for (const { g, policy } of groups) {
    const policyName = String(policy!.name);
    for (const kind of ["application_rule_collection", "nat_rule_collection"]) {
      const first = list(g[kind])[0];
      if (first) throw new ConfigError(`${where(policyName)} group "${g.name}": ${kind} "${first.name}" is not evaluated by the reachability model (network rules only); express the flow as a network rule`);
    }
    const collections = list(g.network_rule_collection).sort((a, b) => Number(a.priority) - Number(b.priority));
    for (const collection of collections) {
      for (const rule of list(collection.rule)) {
        const name = `firewall policy "${policyName}" ${g.name}/${collection.name}/${rule.name}`;
        for (const unsupported of ["source_ip_groups", "destination_ip_groups", "destination_fqdns"]) {
          if (list(rule[unsupported]).length > 0) throw new ConfigError(`reachability model: ${name}: ${unsupported} ${JSON.stringify(list(rule[unsupported]))} cannot be evaluated; name IPv4 CIDRs in source_addresses / destination_addresses`);
        }
        const addresses = [...list(rule.source_addresses), ...list(rule.destination_addresses)].map(String);
        const odd = addresses.find((a) => !isIpv4OrAny(a));
        if (odd !== undefined) throw new ConfigError(`reachability model: ${name}: address "${odd}" is not an IPv4 CIDR or "*"`);
        const ports = list(rule.destination_ports).map(String);
        const bad = ports.find((p) => parsePortRange(p) === undefined);
        if (bad !== undefined || ports.length === 0) throw new ConfigError(`reachability model: ${name}: destination_ports ${JSON.stringify(ports)} must be "*", ports or "low-high" ranges`);
        const protocols = list(rule.protocols).flatMap((p) => FIREWALL_PROTOCOLS[String(p).toUpperCase()] ?? []);
        rules.push({ name, action: collection.action === "Deny" ? "Deny" : "Allow", protocols: [...new Set(protocols)], sources: list(rule.source_addresses).map(String), destinations: list(rule.destination_addresses).map(String), ports });
      }
    }
  }
  return rules;
}

/**
 * Build the model from the synthesized network and VPN stacks (`stack.toTerraform()` or
 * cdk.tf.json): spoke subnets and the NSGs associated with them, the hub's routing intent and
 * firewall rules, the customers' VPN sites and the point-to-site gateway's client pool. Throws a
 * ConfigError when branches exist but Azure does not route them through the firewall.
 */
export function modelFromSynth(network: Json, vpn: Json): NetworkModel {
  const vnetCidrs = resources(network, "azurerm_virtual_network").flatMap(([, v]) => list(v.address_space).map(String));
  const raw = new Map(resources(network, "azurerm_network_security_group").map(([id, nsg]) => [id, { name: String(nsg.name), rules: [...list(nsg.security_rule)] as Json[] }]));
  // Rules may also be separate resources attached by the NSG's name.
  for (const [, rule] of resources(network, "azurerm_network_security_rule")) {
    const nsg = new RegExp("^\\$\\{azurerm_network_security_group\\.([^.}]+)\\.name\\}$").exec(String(rule.network_security_group_name))?.[1];
    if (nsg && raw.has(nsg)) raw.get(nsg)!.rules.push(rule);
  }
  const nsgs = new Map<string, ModelRule[]>();
  const modelled = (id: string): ModelRule[] => {
    const nsg = raw.get(id);
    if (!nsg) return [];
    if (!nsgs.has(id)) {
      for (const rule of nsg.rules) checkModellable(nsg.name, rule);
      nsgs.set(id, nsg.rules.map(normalizeRule));
    }
    return nsgs.get(id)!;
  };
  const subnets = resources(network, "azurerm_subnet");
  const nsgOfSubnet = new Map<string, ModelRule[]>();
  for (const [, association] of resources(network, "azurerm_subnet_network_security_group_association")) {
    const subnet = refTo("azurerm_subnet", association.subnet_id);
    const nsg = refTo("azurerm_network_security_group", association.network_security_group_id);
    if (subnet && nsg) nsgOfSubnet.set(subnet, modelled(nsg));
  }
  const groups: AddressGroup[] = subnets.map(([, s]) => ({ name: String(s.name), kind: "spoke", cidrs: list(s.address_prefixes).map(String) }));
  const nsgRules: Record<string, ModelRule[]> = Object.fromEntries(subnets.map(([id, s]) => [String(s.name), nsgOfSubnet.get(id) ?? []]));

  for (const [, site] of resources(vpn, "azurerm_vpn_site")) {
    groups.push({ name: customerGroup(String(site.name).replace(/^vst-/, "")), kind: "customer", cidrs: list(site.address_cidrs).map(String) });
  }
  const pool = resources(vpn, "azurerm_point_to_site_vpn_gateway").flatMap(([, g]) =>
    list(g.connection_configuration).flatMap((c) => list(c.vpn_client_address_pool).flatMap((p) => list(p.address_prefixes).map(String))),
  );
  if (pool.length > 0) groups.push({ name: POINT_TO_SITE, kind: "point-to-site", cidrs: pool });
  groups.push({ name: INTERNET, kind: "internet", cidrs: [] });

  const branches = groups.filter((g) => g.kind === "customer" || g.kind === "point-to-site");
  const problems = branches.length > 0 ? routingIntentProblems(network) : [];
  if (problems.length > 0) {
    throw new ConfigError(
      `reachability model: isolation not guaranteed: ${problems.join("; ")}. ${branches.map((b) => b.name).join(", ")} would reach each other without the firewall deciding; ` +
        "give the hub a PrivateTraffic routing intent whose next hop is its Azure Firewall (SecuredHub does)",
    );
  }
  const bgp = customerBgpSessions(vpn);
  if (bgp.length > 0) {
    throw new ConfigError(`reachability model: isolation not guaranteed: ${bgp.join("; ")}. The model trusts no route a customer advertises: ${CUSTOMER_BGP_REFUSED}`);
  }
  const bypassed = branches.length > 0 ? subnets.filter(([, s]) => s.private_endpoint_network_policies !== PRIVATE_ENDPOINT_POLICIES) : [];
  if (bypassed.length > 0) {
    const [, subnet] = bypassed[0];
    throw new ConfigError(
      `reachability model: subnet "${subnet.name}" has private_endpoint_network_policies ${JSON.stringify(subnet.private_endpoint_network_policies ?? "Disabled")}: ` +
        "traffic from the hub's branches to a private endpoint in it would bypass the routing intent's firewall (Azure routes it straight to the endpoint unless route-table policies apply) " +
        `and the subnet's NSG; set private_endpoint_network_policies "${PRIVATE_ENDPOINT_POLICIES}" on every spoke subnet (SpokeNetwork does)`,
    );
  }
  return { vnetCidrs, groups, nsgRules, hub: { firewallRules: firewallRulesFrom(network) } };
}

/**
 * What every spoke subnet must set so the model's paths hold for private endpoints too: both the
 * route-table policy (on-premises traffic to a private endpoint in a spoke otherwise bypasses the
 * routing intent's next hop, learn.microsoft.com/azure/virtual-wan/how-to-routing-policies,
 * "Troubleshooting data path") and the NSG policy (NSGs otherwise skip private endpoints).
 */
export const PRIVATE_ENDPOINT_POLICIES = "Enabled";

// ---------------------------------------------------------------------------------------------
// Evaluating flows
// ---------------------------------------------------------------------------------------------

const block = (cidr: string) => new Netmask(cidr);
const overlap = (a: string, b: string) => {
  const x = block(a);
  const y = block(b);
  return x.contains(y.base) || y.contains(x.base);
};
const covers = (outer: string, inner: string) => {
  const o = block(outer);
  const i = block(inner);
  return o.bitmask <= i.bitmask && o.contains(i.base);
};

/** One side of a flow: a range of a group, or the internet. */
type Endpoint = { readonly cidr: string } | { readonly internet: true };

/** What a prefix in a rule stands for: a CIDR, "*", or a service tag resolved against the model. */
function prefixMatches(prefix: string, endpoint: Endpoint, model: NetworkModel, mode: "overlap" | "cover"): boolean {
  if (prefix === "*" || prefix === "Any") return true;
  if ("internet" in endpoint) return prefix === "Internet";
  if (prefix === "Internet" || prefix === "AzureLoadBalancer") return false;
  if (prefix === "VirtualNetwork") {
    // The tag Azure uses for "our network": the VNet, every connected on-premises range and the P2S pool.
    const tag = [...model.vnetCidrs, ...model.groups.filter((g) => g.kind !== "spoke" && g.kind !== "internet").flatMap((g) => g.cidrs)];
    return tag.some((cidr) => (mode === "overlap" ? overlap(cidr, endpoint.cidr) : covers(cidr, endpoint.cidr)));
  }
  if (!IPV4.test(prefix)) return false;
  const cidr = prefix.includes("/") ? prefix : `${prefix}/32`;
  return mode === "overlap" ? overlap(cidr, endpoint.cidr) : covers(cidr, endpoint.cidr);
}

/**
 * Whether a rule's destination ports match `port`; undefined is a protocol without ports, which a
 * "*" rule with ports may or may not match in Azure: conservatively an Allow does, a Deny does not.
 */
function portMatches(rule: Pick<ModelRule, "ports"> & { readonly access?: string; readonly action?: string }, port: number | undefined): boolean {
  if (port === undefined) return rule.ports.includes("*") || (rule.access ?? rule.action) === "Allow";
  return rule.ports.some((range) => {
    const span = parsePortRange(range)!;
    return port >= span.low && port <= span.high;
  });
}

/** The first rule that decides (src, dst, protocol, port), Azure's way: lowest priority number first. */
function decide(rules: readonly ModelRule[], direction: ModelRule["direction"], src: Endpoint, dst: Endpoint, protocol: Protocol, port: number | undefined, model: NetworkModel): ModelRule {
  const ordered = [...rules, ...DEFAULT_RULES].filter((r) => r.direction === direction).sort((a, b) => a.priority - b.priority);
  for (const rule of ordered) {
    if (rule.protocol !== "*" && rule.protocol !== protocol) continue;
    if (!portMatches(rule, port)) continue;
    const mode = rule.access === "Allow" ? "overlap" : "cover";
    if (rule.sources.some((p) => prefixMatches(p, src, model, mode)) && rule.destinations.some((p) => prefixMatches(p, dst, model, mode))) return rule;
  }
  throw new Error("unreachable: Azure's DenyAll rules match everything");
}

/**
 * 0-65535 cut at every rule's range boundaries (low, and high + 1), across all NSGs: no rule starts
 * or ends inside a span, so one probe per span decides every port in it.
 */
function portSpans(model: NetworkModel): PortSpan[] {
  const cuts = new Set([0, MAX_PORT + 1]);
  for (const rule of [...Object.values(model.nsgRules).flat(), ...model.hub.firewallRules]) {
    for (const span of rule.ports.map((range) => parsePortRange(range)!)) cuts.add(span.low).add(span.high + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((low, i) => ({ low, high: sorted[i + 1] - 1 }));
}

/**
 * The open spans of one (from, to, protocol, via) as flow ports: a single-port span as its number;
 * the spans of several ports as "*" when all of them are open, else merged into "low-high" ranges.
 */
function portsOf(open: readonly PortSpan[], spans: readonly PortSpan[]): Flow["port"][] {
  const wide = (s: PortSpan) => s.high > s.low;
  const singles = open.filter((s) => !wide(s)).map((s) => s.low);
  const ranges = open.filter(wide);
  if (ranges.length > 0 && ranges.length === spans.filter(wide).length) return [...singles, "*"];
  const merged: { low: number; high: number }[] = [];
  for (const s of ranges) {
    const last = merged[merged.length - 1];
    if (last && last.high + 1 === s.low) last.high = s.high;
    else merged.push({ ...s });
  }
  return [...singles, ...merged.map((s) => `${s.low}-${s.high}` as const)];
}

const endpoints = (group: AddressGroup): Endpoint[] => (group.kind === "internet" ? [{ internet: true }] : group.cidrs.map((cidr) => ({ cidr })));

/** The firewall rule that decides (src, dst, protocol, port), or undefined: the firewall's default deny. */
function firewallDecides(model: NetworkModel, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number | undefined): FirewallRuleModel | undefined {
  for (const rule of model.hub.firewallRules) {
    if (!rule.protocols.includes(protocol)) continue;
    if (!portMatches(rule, port)) continue;
    const mode = rule.action === "Allow" ? "overlap" : "cover";
    if (rule.sources.some((p) => prefixMatches(p, src, model, mode)) && rule.destinations.some((p) => prefixMatches(p, dst, model, mode))) return rule;
  }
  return undefined;
}

const isBranch = (g: AddressGroup) => g.kind === "customer" || g.kind === "point-to-site";

/**
 * Every flow that can start between two different groups. A branch (customer or VPN client) flow
 * passes the hub firewall (routing intent), then, into the spoke, the destination subnet's inbound
 * NSG; a spoke subnet's flow passes its outbound NSG, then the firewall when it goes to a branch.
 * The internet reaches the spoke only through the subnets' NSGs and never a branch through this hub.
 */
export function computeFlows(model: NetworkModel): Flow[] {
  const flows: Flow[] = [];
  const spans = portSpans(model);
  const add = (from: AddressGroup, to: AddressGroup, protocol: Protocol, port: Flow["port"], via?: string, by?: string) => {
    if (!flows.some((f) => f.from === from.name && f.to === to.name && f.protocol === protocol && f.port === port && f.via === via)) {
      flows.push({ from: from.name, to: to.name, protocol, port, ...(via ? { via } : {}), ...(by ? { by } : {}) });
    }
  };
  for (const from of model.groups) {
    for (const to of model.groups) {
      if (from === to) continue;
      if ((from.kind === "internet" && to.kind !== "spoke") || (to.kind === "internet" && from.kind !== "spoke")) continue;
      const throughFirewall = isBranch(from) || isBranch(to);
      for (const protocol of PROTOCOLS) {
        const probes: (PortSpan | undefined)[] = PORTLESS.includes(protocol) ? [undefined] : spans;
        // Open spans per narrowing destination ("" when none), in port order, and the rules that opened them.
        const open = new Map<string, { spans: PortSpan[]; by: string }>();
        for (const span of probes) {
          const port = span?.low;
          for (const src of endpoints(from)) {
            for (const dst of endpoints(to)) {
              const out = from.kind === "spoke" ? decide(model.nsgRules[from.name] ?? [], "Outbound", src, dst, protocol, port, model) : undefined;
              if (out && out.access === "Deny") continue;
              const firewall = throughFirewall ? firewallDecides(model, src, dst, protocol, port) : undefined;
              if (throughFirewall && (!firewall || firewall.action === "Deny")) continue;
              const into = to.kind === "spoke" ? decide(model.nsgRules[to.name] ?? [], "Inbound", src, dst, protocol, port, model) : undefined;
              if (into && into.access === "Deny") continue;
              const narrowing = [...(into?.destinations ?? []), ...(firewall?.destinations ?? []), ...(out?.destinations ?? [])].find(
                (p) => /^\d/.test(p) && "cidr" in dst && !covers(p.includes("/") ? p : `${p}/32`, dst.cidr),
              );
              const by = [firewall?.name, into && `NSG rule "${into.name}"`, out && `NSG rule "${out.name}"`].filter(Boolean).join(", ");
              const seen = open.get(narrowing ?? "") ?? { spans: [], by };
              if (span && !seen.spans.includes(span)) seen.spans.push(span);
              else if (!span && seen.spans.length === 0) seen.spans.push({ low: 0, high: MAX_PORT });
              open.set(narrowing ?? "", seen);
            }
          }
        }
        for (const [via, seen] of open) {
          const ports = PORTLESS.includes(protocol) ? (["*"] as const) : portsOf(seen.spans, spans);
          for (const port of ports) add(from, to, protocol, port, via || undefined, seen.by || undefined);
        }
      }
    }
  }
  return flows;
}

// ---------------------------------------------------------------------------------------------
// Comparing with config, and the matrix
// ---------------------------------------------------------------------------------------------

/** Why a flow is allowed by config, or undefined when config does not allow it. */
export function allowedBy(flow: Flow, model: NetworkModel, expected: ExpectedFlows): string | undefined {
  const from = model.groups.find((g) => g.name === flow.from)!;
  const to = model.groups.find((g) => g.name === flow.to)!;
  if (from.kind === "spoke" && (to.kind === "spoke" || to.kind === "internet")) return "spoke traffic (not restricted by this model)";
  const within = (cidr: string) => flow.via !== undefined && covers(cidr, flow.via.includes("/") ? flow.via : `${flow.via}/32`);
  if (from.kind === "customer" && to.kind === "spoke" && typeof flow.port === "number") {
    const port = flow.port;
    const grants = expected.customers[from.name] ?? [];
    const grant = grants.find((g) => (g.protocol ?? "Tcp") === flow.protocol && g.ports.includes(port) && within(g.cidr));
    if (grant) return `granted: ${grant.cidr} ${flow.protocol.toLowerCase()}/${flow.port}`;
  }
  if (from.kind === "point-to-site" && to.kind === "spoke" && flow.protocol === "Tcp") {
    const db = expected.pointToSite.find((d) => d.port === flow.port && within(d.cidr));
    if (db) return `database ${db.cidr}:${db.port}`;
  }
  return undefined;
}

/** The flows config does not allow. */
export function unexpectedFlows(flows: readonly Flow[], model: NetworkModel, expected: ExpectedFlows): Flow[] {
  return flows.filter((flow) => allowedBy(flow, model, expected) === undefined);
}

/** What config allows, from the same isolation settings the firewall policy and NSGs are built from. */
export function expectedFrom(isolation: HubIsolation): ExpectedFlows {
  return {
    customers: Object.fromEntries(isolation.customers.map((c) => [customerGroup(c.name), c.access])),
    pointToSite: isolation.pointToSiteDatabases,
  };
}

/** One line naming an unexpected flow and the rules that let it through. */
export const describeUnexpected = (f: Flow): string => `${f.from} -> ${f.to}: ${describeFlow(f)}${f.by ? ` (allowed by ${f.by})` : ""}`;

const describeFlow = (f: Flow) => `${f.protocol.toLowerCase()}${PORTLESS.includes(f.protocol) ? "" : `/${f.port === "*" ? "any" : f.port}`}${f.via ? ` to ${f.via}` : ""}`;

/** What the matrix rests on, and what it does not cover (docs/network-isolation.md, Residual risks). */
export const MODEL_ASSUMPTIONS =
  "Branch flows (customers, VPN clients) are routed through the hub firewall by the hub's PrivateTraffic routing intent, which this model requires; " +
  "nothing a customer's device proposes (traffic selectors, advertised routes) is trusted. Not modelled: a customer sending from another customer's " +
  "source addresses (it reaches at most that customer's grants, one way). No customer runs BGP (refused at synth): the hub routes to each customer exactly its VPN site's ranges. " +
  "See docs/network-isolation.md, Residual risks.";

/** The matrix as markdown: one row per source group, one column per destination; unexpected flows marked. */
export function renderMatrix(model: NetworkModel, flows: readonly Flow[], expected: ExpectedFlows): string {
  const names = model.groups.map((g) => g.name);
  const cell = (from: string, to: string) => {
    if (from === to) return "·";
    const here = flows.filter((f) => f.from === from && f.to === to);
    if (here.length === 0) return "none";
    if (here.every((f) => allowedBy(f, model, expected)?.startsWith("spoke traffic"))) return here.some((f) => f.port === "*") ? "open (spoke)" : here.map(describeFlow).join(", ");
    return here.map((f) => (allowedBy(f, model, expected) ? describeFlow(f) : `**UNEXPECTED ${describeFlow(f)}**`)).join("<br>");
  };
  const unexpected = unexpectedFlows(flows, model, expected);
  return [
    "# Network reachability",
    "",
    "Flows that can start from the row's group to the column's group, computed at synth from the synthesized Virtual WAN hub",
    "(routing intent and firewall policy network rules, default deny), the spoke's NSG rules (plus Azure's default rules and service tags),",
    "the customers' VPN sites and the point-to-site pool. Replies to an allowed flow are not listed (the firewall and NSGs are stateful).",
    "",
    `> ${MODEL_ASSUMPTIONS}`,
    "",
    `${unexpected.length === 0 ? "No flow outside what config allows." : `${unexpected.length} flow(s) config does not allow.`}`,
    "",
    "| from \\ to | " + names.join(" | ") + " |",
    "|" + " --- |".repeat(names.length + 1),
    ...names.map((from) => `| **${from}** | ${names.map((to) => cell(from, to)).join(" | ")} |`),
    "",
    "## Groups",
    "",
    ...model.groups.map((g) => `- **${g.name}** (${g.kind}): ${g.cidrs.join(", ") || "every public address"}`),
    "",
    "## Hub firewall network rules (in evaluation order; anything else is denied)",
    "",
    ...(model.hub.firewallRules.length === 0 ? ["- none"] : model.hub.firewallRules.map((r) => `- ${r.action} ${r.name}: ${r.protocols.join("/")} ${r.sources.join(", ")} -> ${r.destinations.join(", ")} ports ${r.ports.join(", ")}`)),
    "",
  ].join("\n");
}
