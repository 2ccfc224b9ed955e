/**
 * A synth-time reachability model of the Azure hub: from the synthesized NSG rules (with Azure's
 * default rules and service tags), the subnets they guard, the customers' tunnels (their traffic
 * selectors) and the point-to-site pool, compute which flows can start between every pair of
 * address groups — hub subnets, each customer, the P2S pool, the internet — and compare them with
 * what config allows. Any other flow fails synth.
 *
 * The model is deliberately conservative where it approximates: an Allow rule counts when it
 * overlaps a group (part of the group gets through), a Deny only when it covers the whole group;
 * a tunnel without traffic selectors carries anything (Azure's route-based default, any-to-any),
 * and the VPN gateway forwards between any two of its connections whose selectors admit the flow.
 */
import { Netmask } from "netmask";
import { DatabaseTarget, GrantedAccess, HubIsolation } from "./isolation";

/** The kinds of address group the model knows. */
export type GroupKind = "hub" | "customer" | "point-to-site" | "internet";

/** A set of addresses flows start from or go to. */
export interface AddressGroup {
  /** "snet-aks-nodes", "customer acme-bank", "point-to-site", "internet". */
  readonly name: string;
  /** What the group is: a hub subnet, a customer, the P2S pool or the internet. */
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
  /** "*", "Tcp", "Udp", "Icmp". */
  readonly protocol: string;
  /** CIDRs or service tags ("VirtualNetwork", "Internet", "*"). */
  readonly sources: readonly string[];
  /** CIDRs or service tags the rule admits or refuses traffic to. */
  readonly destinations: readonly string[];
  /** "*", "443", "1000-2000". */
  readonly ports: readonly string[];
}

/** A customer tunnel's traffic selectors; undefined local = any-to-any (no selectors). */
export interface TunnelModel {
  /** Customer group name. */
  readonly customer: string;
  /** Hub-side traffic selectors; undefined when the connection has none (any-to-any). */
  readonly local?: readonly string[];
}

/** Everything the model is computed from, read from the synthesized stacks. */
export interface NetworkModel {
  /** The hub VNet's address space (part of the VirtualNetwork tag). */
  readonly vnetCidrs: readonly string[];
  /** Every address group, hub subnets first. */
  readonly groups: readonly AddressGroup[];
  /** NSG rules per hub group name (custom rules only; Azure's defaults are added by the model). */
  readonly nsgRules: Readonly<Record<string, readonly ModelRule[]>>;
  /** Tunnel per customer group name. */
  readonly tunnels: Readonly<Record<string, TunnelModel>>;
}

/** One flow that can start: `port` "*" means every port of the protocol. */
export interface Flow {
  /** Source group name. */
  readonly from: string;
  /** Destination group name. */
  readonly to: string;
  /** Transport protocol. */
  readonly protocol: "Tcp" | "Udp";
  /** Destination port, or "*" for every port. */
  readonly port: number | "*";
  /** The destination range the allowing rule names, when narrower than the group. */
  readonly via?: string;
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

const PROTOCOLS = ["Tcp", "Udp"] as const;

// ---------------------------------------------------------------------------------------------
// Reading the synthesized JSON
// ---------------------------------------------------------------------------------------------

type Json = Record<string, any>;
const list = (value: unknown): any[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const resources = (stack: Json, type: string): [string, Json][] => Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>);
const refTo = (type: string, value: unknown): string | undefined => new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.id\\}$`).exec(String(value))?.[1];

function normalizeRule(raw: Json): ModelRule {
  const pick = (one: unknown, many: unknown) => (list(many).length > 0 ? list(many).map(String) : list(one).map(String));
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

/**
 * Build the model from the synthesized network and VPN stacks (`stack.toTerraform()` or
 * cdk.tf.json): subnets and the NSGs associated with them, local network gateways and their
 * connections' traffic selectors, and the gateway's point-to-site pool. GatewaySubnet is transit
 * only (the gateway itself) and is not a group.
 */
export function modelFromSynth(network: Json, vpn: Json): NetworkModel {
  const vnetCidrs = resources(network, "azurerm_virtual_network").flatMap(([, v]) => list(v.address_space).map(String));
  const nsgs = new Map(resources(network, "azurerm_network_security_group").map(([id, nsg]) => [id, list(nsg.security_rule).map(normalizeRule)]));
  // Rules may also be separate resources attached by the NSG's name.
  for (const [, rule] of resources(network, "azurerm_network_security_rule")) {
    const nsg = new RegExp("^\\$\\{azurerm_network_security_group\\.([^.}]+)\\.name\\}$").exec(String(rule.network_security_group_name))?.[1];
    if (nsg && nsgs.has(nsg)) nsgs.get(nsg)!.push(normalizeRule(rule));
  }
  const subnets = resources(network, "azurerm_subnet").filter(([, s]) => s.name !== "GatewaySubnet");
  const nsgOfSubnet = new Map<string, ModelRule[]>();
  for (const [, association] of resources(network, "azurerm_subnet_network_security_group_association")) {
    const subnet = refTo("azurerm_subnet", association.subnet_id);
    const nsg = refTo("azurerm_network_security_group", association.network_security_group_id);
    if (subnet && nsg) nsgOfSubnet.set(subnet, nsgs.get(nsg) ?? []);
  }
  const groups: AddressGroup[] = subnets.map(([, s]) => ({ name: String(s.name), kind: "hub", cidrs: list(s.address_prefixes).map(String) }));
  const nsgRules: Record<string, ModelRule[]> = Object.fromEntries(subnets.map(([id, s]) => [String(s.name), nsgOfSubnet.get(id) ?? []]));

  const tunnels: Record<string, TunnelModel> = {};
  const gateways = new Map(resources(vpn, "azurerm_local_network_gateway").map(([id, lgw]) => [id, lgw]));
  for (const [, connection] of resources(vpn, "azurerm_virtual_network_gateway_connection")) {
    const lgw = gateways.get(refTo("azurerm_local_network_gateway", connection.local_network_gateway_id) ?? "");
    if (!lgw) continue;
    const name = customerGroup(String(lgw.name).replace(/^lgw-/, ""));
    groups.push({ name, kind: "customer", cidrs: list(lgw.address_space).map(String) });
    const selectors = list(connection.traffic_selector_policy);
    tunnels[name] = { customer: name, local: selectors.length > 0 ? selectors.flatMap((s) => list(s.local_address_cidrs).map(String)) : undefined };
  }
  const pool = resources(vpn, "azurerm_virtual_network_gateway").flatMap(([, g]) => list(g.vpn_client_configuration).flatMap((c) => list(c.address_space).map(String)));
  if (pool.length > 0) groups.push({ name: POINT_TO_SITE, kind: "point-to-site", cidrs: pool });
  groups.push({ name: INTERNET, kind: "internet", cidrs: [] });
  return { vnetCidrs, groups, nsgRules, tunnels };
}

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
    const tag = [...model.vnetCidrs, ...model.groups.filter((g) => g.kind !== "hub" && g.kind !== "internet").flatMap((g) => g.cidrs)];
    return tag.some((cidr) => (mode === "overlap" ? overlap(cidr, endpoint.cidr) : covers(cidr, endpoint.cidr)));
  }
  if (!/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(prefix)) return false;
  const cidr = prefix.includes("/") ? prefix : `${prefix}/32`;
  return mode === "overlap" ? overlap(cidr, endpoint.cidr) : covers(cidr, endpoint.cidr);
}

function portMatches(ranges: readonly string[], port: number): boolean {
  return ranges.some((range) => {
    if (range === "*") return true;
    const [low, high] = range.split("-").map(Number);
    return port >= low && port <= (high ?? low);
  });
}

/** The first rule that decides (src, dst, protocol, port), Azure's way: lowest priority number first. */
function decide(rules: readonly ModelRule[], direction: ModelRule["direction"], src: Endpoint, dst: Endpoint, protocol: string, port: number, model: NetworkModel): ModelRule {
  const ordered = [...rules, ...DEFAULT_RULES].filter((r) => r.direction === direction).sort((a, b) => a.priority - b.priority);
  for (const rule of ordered) {
    if (rule.protocol !== "*" && rule.protocol.toLowerCase() !== protocol.toLowerCase()) continue;
    if (!portMatches(rule.ports, port)) continue;
    const mode = rule.access === "Allow" ? "overlap" : "cover";
    if (rule.sources.some((p) => prefixMatches(p, src, model, mode)) && rule.destinations.some((p) => prefixMatches(p, dst, model, mode))) return rule;
  }
  throw new Error("unreachable: Azure's DenyAll rules match everything");
}

/** Ports worth probing: every port a rule names, then one no rule names (last; it stands for "any other"). */
function probePorts(model: NetworkModel): number[] {
  const named = new Set<number>();
  for (const rules of Object.values(model.nsgRules)) {
    for (const rule of rules) for (const range of rule.ports) if (range !== "*") named.add(Number(range.split("-")[0]));
  }
  let other = 1;
  const all = Object.values(model.nsgRules).flat();
  while (all.some((r) => r.ports.some((range) => range !== "*" && portMatches([range], other)))) other++;
  return [...[...named].sort((a, b) => a - b), other];
}

const endpoints = (group: AddressGroup): Endpoint[] => (group.kind === "internet" ? [{ internet: true }] : group.cidrs.map((cidr) => ({ cidr })));

/** Whether a customer's tunnel carries traffic between its ranges and `cidr` (on our side). */
function tunnelCarries(model: NetworkModel, customer: string, cidr: string): boolean {
  const local = model.tunnels[customer]?.local;
  return local === undefined || local.some((selector) => overlap(selector, cidr));
}

/**
 * Every flow that can start between two different groups. Customers and VPN clients reach the hub
 * through the gateway (a customer only within its tunnel's selectors), then the destination
 * subnet's inbound NSG; hub subnets go out through their outbound NSG; the gateway forwards between
 * its connections when both tunnels admit the flow. Nothing routes between the internet and a
 * customer or VPN client through this hub.
 */
export function computeFlows(model: NetworkModel): Flow[] {
  const flows: Flow[] = [];
  const ports = probePorts(model);
  const other = ports[ports.length - 1];
  const add = (from: AddressGroup, to: AddressGroup, protocol: "Tcp" | "Udp", port: number, via?: string) => {
    const shown = port === other ? "*" : port;
    if (!flows.some((f) => f.from === from.name && f.to === to.name && f.protocol === protocol && f.port === shown && f.via === via)) {
      flows.push({ from: from.name, to: to.name, protocol, port: shown, ...(via ? { via } : {}) });
    }
  };
  for (const from of model.groups) {
    for (const to of model.groups) {
      if (from === to) continue;
      const external = (g: AddressGroup) => g.kind === "customer" || g.kind === "point-to-site";
      if (external(from) && external(to)) {
        // Gateway transit: both tunnels (a VPN client has none) must carry the pair.
        const admits = (customer: AddressGroup, other: AddressGroup) => customer.kind !== "customer" || other.cidrs.some((c) => tunnelCarries(model, customer.name, c));
        if (admits(from, to) && admits(to, from)) for (const protocol of PROTOCOLS) add(from, to, protocol, other);
        continue;
      }
      if ((from.kind === "internet" && to.kind !== "hub") || (to.kind === "internet" && from.kind !== "hub")) continue;
      for (const protocol of PROTOCOLS) {
        for (const port of ports) {
          for (const src of endpoints(from)) {
            for (const dst of endpoints(to)) {
              if (from.kind === "customer" && "cidr" in dst && !tunnelCarries(model, from.name, dst.cidr)) continue;
              if (to.kind === "customer" && "cidr" in src && !tunnelCarries(model, to.name, src.cidr)) continue;
              const out = from.kind === "hub" ? decide(model.nsgRules[from.name] ?? [], "Outbound", src, dst, protocol, port, model) : undefined;
              if (out && out.access === "Deny") continue;
              const into = to.kind === "hub" ? decide(model.nsgRules[to.name] ?? [], "Inbound", src, dst, protocol, port, model) : undefined;
              if (into && into.access === "Deny") continue;
              const narrowing = [...(into?.destinations ?? []), ...(out?.destinations ?? [])].find((p) => /^\d/.test(p) && "cidr" in dst && !covers(p.includes("/") ? p : `${p}/32`, dst.cidr));
              add(from, to, protocol, port, narrowing);
            }
          }
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
  if (from.kind === "hub" && (to.kind === "hub" || to.kind === "internet")) return "hub traffic (not restricted by this model)";
  const within = (cidr: string) => flow.via !== undefined && covers(cidr, flow.via.includes("/") ? flow.via : `${flow.via}/32`);
  if (from.kind === "customer" && to.kind === "hub" && flow.port !== "*") {
    const grants = expected.customers[from.name] ?? [];
    const grant = grants.find((g) => (g.protocol ?? "Tcp") === flow.protocol && g.ports.includes(flow.port as number) && within(g.cidr));
    if (grant) return `granted: ${grant.cidr} ${flow.protocol.toLowerCase()}/${flow.port}`;
  }
  if (from.kind === "point-to-site" && to.kind === "hub" && flow.protocol === "Tcp") {
    const db = expected.pointToSite.find((d) => d.port === flow.port && within(d.cidr));
    if (db) return `database ${db.cidr}:${db.port}`;
  }
  return undefined;
}

/** The flows config does not allow. */
export function unexpectedFlows(flows: readonly Flow[], model: NetworkModel, expected: ExpectedFlows): Flow[] {
  return flows.filter((flow) => allowedBy(flow, model, expected) === undefined);
}

/** What config allows, from the same isolation settings the NSGs and tunnels are built from. */
export function expectedFrom(isolation: HubIsolation): ExpectedFlows {
  return {
    customers: Object.fromEntries(isolation.customers.map((c) => [customerGroup(c.name), c.access])),
    pointToSite: isolation.pointToSiteDatabases,
  };
}

/** One line naming an unexpected flow. */
export const describeUnexpected = (f: Flow): string => `${f.from} -> ${f.to}: ${describeFlow(f)}`;

const describeFlow = (f: Flow) => `${f.protocol.toLowerCase()}/${f.port === "*" ? "any" : f.port}${f.via ? ` to ${f.via}` : ""}`;

/** The matrix as markdown: one row per source group, one column per destination; unexpected flows marked. */
export function renderMatrix(model: NetworkModel, flows: readonly Flow[], expected: ExpectedFlows): string {
  const names = model.groups.map((g) => g.name);
  const cell = (from: string, to: string) => {
    if (from === to) return "·";
    const here = flows.filter((f) => f.from === from && f.to === to);
    if (here.length === 0) return "none";
    if (here.every((f) => allowedBy(f, model, expected)?.startsWith("hub traffic"))) return here.some((f) => f.port === "*") ? "open (hub)" : here.map(describeFlow).join(", ");
    return here.map((f) => (allowedBy(f, model, expected) ? describeFlow(f) : `**UNEXPECTED ${describeFlow(f)}**`)).join("<br>");
  };
  const unexpected = unexpectedFlows(flows, model, expected);
  return [
    "# Hub reachability",
    "",
    "Flows that can start from the row's group to the column's group, computed at synth from the synthesized NSG rules",
    "(plus Azure's default rules and service tags), the customers' tunnel traffic selectors and the point-to-site pool.",
    "GatewaySubnet carries only the VPN gateway and is not a flow endpoint. Replies to an allowed flow are not listed (NSGs are stateful).",
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
  ].join("\n");
}
