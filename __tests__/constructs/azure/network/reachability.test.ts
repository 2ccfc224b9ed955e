import { FirewallPolicyRuleCollectionGroup } from "@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { App, Testing } from "cdktf";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import {
  computeFlows,
  customerGroup,
  expectedFrom,
  Flow,
  INTERNET,
  modelFromSynth,
  POINT_TO_SITE,
  renderMatrix,
  unexpectedFlows,
} from "../../../../constructs/azure/network/reachability";
import { REACHABILITY_FILE } from "../../../../constructs/azure/network/reachability-check";
import { vpnConnectionsIn } from "../../../../constructs/azure/vpn/vpn-connection-template";
import { overlaps, parseCidr } from "../../../../constructs/core/cidr";
import { AzureProdEnvironment } from "../../../../environments/schema";
import { hubIsolation } from "../../../../stacks/azure/network-stack";
import { azureStacks, prodAzure } from "../../../helpers/azure";

type Json = Record<string, any>;

let shippedJson: { network: Json; vpn: Json } | undefined;

/**
 * The synthesized network and VPN stacks of a (mutated) prod-azure config, editable as JSON: each
 * call gets its own copy. Most cases edit the shipped stacks' JSON, which is synthesized once.
 */
function synthesized(mutate?: (env: AzureProdEnvironment) => void) {
  const env = prodAzure();
  mutate?.(env);
  const json = (stacks: ReturnType<typeof azureStacks>) => ({ network: stacks.network.toTerraform() as Json, vpn: stacks.vpn.toTerraform() as Json });
  const { network, vpn } = mutate ? json(azureStacks(mutate)) : (shippedJson ??= json(azureStacks()));
  return { env, network: structuredClone(network), vpn: structuredClone(vpn) };
}

function evaluate(env: AzureProdEnvironment, network: Json, vpn: Json) {
  const model = modelFromSynth(network, vpn);
  const flows = computeFlows(model);
  const expected = expectedFrom(hubIsolation(env));
  return { model, flows, unexpected: unexpectedFlows(flows, model, expected), matrix: renderMatrix(model, flows, expected) };
}

const between = (flows: readonly Flow[], from: string, to: string) => flows.filter((f) => f.from === from && f.to === to);
const nsgNamed = (network: Json, suffix: string) => Object.values(network.resource.azurerm_network_security_group as Record<string, Json>).find((n) => n.name.endsWith(suffix))!;
const only = (json: Json, type: string): Json => Object.values(json.resource[type] as Record<string, Json>)[0];
/** Add a network rule collection (before the isolation allows) to the hub firewall's rule collection group. */
function addFirewallRules(network: Json, action: "Allow" | "Deny", ...rules: Json[]): void {
  only(network, "azurerm_firewall_policy_rule_collection_group").network_rule_collection.unshift({ name: "added", priority: 500, action, rule: rules });
}
const fwRule = (name: string, sources: readonly string[], destinations: readonly string[], ports = ["*"], protocols = ["Any"]): Json => ({
  name, protocols, source_addresses: [...sources], destination_addresses: [...destinations], destination_ports: ports,
});
/** The shipped stacks in an app, with one extra rule (its own resource) on the AKS nodes' NSG. */
function appWithAksRule(
  rule: { name: string; access: "Allow" | "Deny"; protocol: string; sourceAddressPrefix: string; sourcePortRange: string; destinationPortRange: string },
  beforeTheRule: (stacks: ReturnType<typeof azureStacks>) => void = () => undefined,
): App {
  const stacks = azureStacks();
  beforeTheRule(stacks);
  new NetworkSecurityRule(stacks.network, rule.name, {
    priority: 400, direction: "Inbound", destinationAddressPrefix: "*", ...rule,
    resourceGroupName: "rg-prod-hub", networkSecurityGroupName: stacks.network.spoke.aksNodeSecurityGroup.name,
  });
  return stacks.network.node.root as App;
}

describe("network reachability model (Virtual WAN secured hub)", () => {
  const shipped = synthesized();
  const { env } = shipped;
  const customers = env.vpn.customers.map((c) => customerGroup(c.name));
  const branches = [...customers, POINT_TO_SITE];

  it("finds no flow the shipped config does not allow: customers reach only their grants, VPN clients only their databases", () => {
    const { flows, unexpected, model } = evaluate(env, shipped.network, shipped.vpn);
    expect(unexpected).toEqual([]);
    for (const customer of env.vpn.customers) {
      const reached = flows.filter((f) => f.from === customerGroup(customer.name));
      expect(reached.length).toBeGreaterThan(0);
      for (const flow of reached) {
        expect(model.groups.find((g) => g.name === flow.to)!.kind).toBe("spoke");
        expect(customer.access.some((g) => g.cidr === flow.via && g.ports.includes(flow.port as number))).toBe(true);
        // Both layers let it through: the firewall rule and the spoke NSG's grant.
        expect(flow.by).toMatch(new RegExp(`firewall policy .*/allow-customers/${customer.name}-\\d+, NSG rule "allow-${customer.name}-\\d+"`));
      }
    }
    const databases = env.workloads.databases.filter((d) => env.vpn.pointToSite.databases.includes(d.name));
    const fromClients = flows.filter((f) => f.from === POINT_TO_SITE);
    expect(fromClients.map((f) => `${f.via}:${f.port}`).sort()).toEqual(databases.map((d) => `${d.cidr}:${d.port}`).sort());
  });

  it("has no path between any two customers, nor between a customer and the P2S pool, in either direction", () => {
    const { flows } = evaluate(env, shipped.network, shipped.vpn);
    for (const a of branches) for (const b of branches) if (a !== b) expect(between(flows, a, b)).toEqual([]);
  });

  it("lets nothing in from the internet and never initiates from the spoke into a customer or the P2S pool", () => {
    const { flows, model } = evaluate(env, shipped.network, shipped.vpn);
    expect(flows.filter((f) => f.from === INTERNET)).toEqual([]);
    const spoke = model.groups.filter((g) => g.kind === "spoke").map((g) => g.name);
    expect(flows.filter((f) => spoke.includes(f.from) && branches.includes(f.to))).toEqual([]);
  });

  it("covers a customer added later: its group appears with only its grants, nothing else changes", () => {
    const later = synthesized((e) =>
      e.vpn.customers.push({ name: "umbrella", gatewayAddress: "203.0.113.50", addressSpaces: ["192.168.80.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [8443], protocol: "Tcp" }] }),
    );
    const { flows, unexpected } = evaluate(later.env, later.network, later.vpn);
    expect(unexpected).toEqual([]);
    expect(flows.filter((f) => f.from === customerGroup("umbrella"))).toEqual([
      expect.objectContaining({ from: customerGroup("umbrella"), to: "snet-aks-nodes", protocol: "Tcp", port: 8443, via: "10.20.16.10/32" }),
    ]);
    for (const other of branches) {
      expect(between(flows, customerGroup("umbrella"), other)).toEqual([]);
      expect(between(flows, other, customerGroup("umbrella"))).toEqual([]);
    }
  });

  it("flags a firewall rule that would open customer -> customer, naming the rule", () => {
    const { network, vpn } = synthesized();
    const [a, b] = env.vpn.customers;
    addFirewallRules(network, "Allow", fwRule("partner-link", a.addressSpaces, b.addressSpaces));
    const { unexpected } = evaluate(env, network, vpn);
    const opened = unexpected.filter((f) => f.from === customerGroup(a.name) && f.to === customerGroup(b.name));
    expect(opened.length).toBeGreaterThan(0);
    for (const flow of opened) expect(flow.by).toMatch(/firewall policy "afw-prod-hub-policy" isolation\/added\/partner-link/);
    // Only that direction: the reverse has no rule.
    expect(unexpected.filter((f) => f.from === customerGroup(b.name) && f.to === customerGroup(a.name))).toEqual([]);
  });

  it("flags a firewall rule opening customer -> P2S pool", () => {
    const { network, vpn } = synthesized();
    const [a] = env.vpn.customers;
    addFirewallRules(network, "Allow", fwRule("support-desk", a.addressSpaces, env.vpn.pointToSite.addressPool, ["3389"], ["TCP"]));
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toEqual([expect.objectContaining({ from: customerGroup(a.name), to: POINT_TO_SITE, protocol: "Tcp", port: 3389 })]);
  });

  it("keeps P2S -> non-database closed by the NSG when only the firewall opens it, and flags it when the NSG opens it too", () => {
    const { network, vpn } = synthesized();
    addFirewallRules(network, "Allow", fwRule("admins-ssh", env.vpn.pointToSite.addressPool, [env.network.aksNodeSubnetCidr], ["22"], ["TCP"]));
    expect(evaluate(env, network, vpn).unexpected).toEqual([]);
    nsgNamed(network, "aks-nodes").security_rule.push({
      name: "allow-admin-ssh", priority: 500, direction: "Inbound", access: "Allow", protocol: "Tcp",
      source_address_prefixes: env.vpn.pointToSite.addressPool, source_port_range: "*", destination_address_prefix: "*", destination_port_range: "22",
    });
    expect(evaluate(env, network, vpn).unexpected).toEqual([expect.objectContaining({ from: POINT_TO_SITE, to: "snet-aks-nodes", protocol: "Tcp", port: 22 })]);
  });

  it("keeps an NSG rule opening a port to the VirtualNetwork tag closed to branches the firewall does not admit, and flags it once the firewall does", () => {
    const { network, vpn } = synthesized();
    nsgNamed(network, "aks-nodes").security_rule.push({
      name: "allow-ssh-from-vnet", priority: 500, direction: "Inbound", access: "Allow", protocol: "Tcp",
      source_address_prefix: "VirtualNetwork", source_port_range: "*", destination_address_prefix: "*", destination_port_range: "22",
    });
    expect(evaluate(env, network, vpn).unexpected).toEqual([]);
    addFirewallRules(network, "Allow", fwRule("wide-open", ["*"], ["*"]));
    const { unexpected } = evaluate(env, network, vpn);
    for (const from of branches) expect(unexpected).toContainEqual(expect.objectContaining({ from, to: "snet-aks-nodes", protocol: "Tcp", port: 22 }));
  });

  it("evaluates a firewall Deny collection ahead of the allows", () => {
    const { network, vpn } = synthesized();
    const [a] = env.vpn.customers;
    addFirewallRules(network, "Deny", fwRule("block", a.addressSpaces, ["*"]));
    const { flows } = evaluate(env, network, vpn);
    expect(flows.filter((f) => f.from === customerGroup(a.name))).toEqual([]);
  });

  it.each([
    ["no routing intent", (network: Json) => delete network.resource.azurerm_virtual_hub_routing_intent, /has no azurerm_virtual_hub_routing_intent/],
    ["a routing intent for internet traffic only", (network: Json) => (only(network, "azurerm_virtual_hub_routing_intent").routing_policy[0].destinations = ["Internet"]), /no routing_policy with destinations \["PrivateTraffic"\]/],
    ["private traffic sent elsewhere than the hub firewall", (network: Json) => (only(network, "azurerm_virtual_hub_routing_intent").routing_policy[0].next_hop = "/subscriptions/x/nva"), /next_hop "\/subscriptions\/x\/nva" is not the hub's firewall/],
    ["no firewall in the hub", (network: Json) => delete network.resource.azurerm_firewall, /has no Azure Firewall/],
  ])("refuses to build the model with %s: isolation not guaranteed", (_, mutate, message) => {
    const { network, vpn } = synthesized();
    mutate(network);
    expect(() => modelFromSynth(network, vpn)).toThrow(/reachability model: isolation not guaranteed: /);
    expect(() => modelFromSynth(network, vpn)).toThrow(message);
  });

  it.each([
    ["only the NSG policy (route-table policy off)", "snet-databases", "NetworkSecurityGroupEnabled"],
    ["no policy at all (Azure's default, Disabled)", "snet-aks-nodes", undefined],
  ])("refuses a spoke subnet with %s: branch traffic to a private endpoint there would bypass the firewall and the NSG", (_, name, value) => {
    const { network, vpn } = synthesized();
    const subnet = Object.values(network.resource.azurerm_subnet as Record<string, Json>).find((s) => s.name === name)!;
    if (value === undefined) delete subnet.private_endpoint_network_policies;
    else subnet.private_endpoint_network_policies = value;
    expect(() => modelFromSynth(network, vpn)).toThrow(
      new RegExp(`reachability model: subnet "${name}" has private_endpoint_network_policies "${value ?? "Disabled"}": traffic from the hub's branches to a private endpoint in it would bypass the routing intent's firewall`),
    );
  });

  it("routes to each customer only its own ranges: no VPN site link runs BGP and every connection link disables it (synthesized app)", () => {
    const stacks = azureStacks((e) => e.vpn.customers.push({ ...e.vpn.customers[0], name: "added-later", addressSpaces: ["192.168.60.0/24"] }));
    const vpn = stacks.vpn.toTerraform() as Json;
    const sites = Object.values(vpn.resource.azurerm_vpn_site as Record<string, Json>);
    expect(sites.map((site) => site.name)).toContain("vst-added-later");
    for (const site of sites) {
      for (const link of [site.link].flat()) expect(link.bgp).toBeUndefined();
    }
    const links = Object.values(vpn.resource.azurerm_resource_group_template_deployment as Record<string, Json>).flatMap((d) =>
      vpnConnectionsIn(d.template_content).flatMap((c) => c.properties.vpnLinkConnections),
    );
    expect(links).toHaveLength(sites.length);
    for (const link of links) expect(link.properties.enableBgp).toBe(false);
    expect(vpn.resource.azurerm_vpn_gateway_connection).toBeUndefined();
    // Each customer's routes are its site's ranges, none of which reaches into ours or another customer's.
    const ranges = sites.flatMap((site) => site.address_cidrs as string[]);
    const ours = [env.network.vnetCidr, env.network.virtualHub.addressPrefix, ...env.vpn.pointToSite.addressPool];
    for (const [i, a] of ranges.entries()) {
      for (const b of [...ours, ...ranges.slice(i + 1)]) expect(overlaps(parseCidr("a", a), parseCidr("b", b)), `${a} overlaps ${b}`).toBe(false);
    }
  });

  it.each([
    ["a VPN site link with a bgp block", (_: Json, vpn: Json) => (only(vpn, "azurerm_vpn_site").link[0].bgp = { asn: 64601, peering_address: "172.16.10.254" }), /VPN site "vst-acme-bank" link "primary" has a bgp block/],
    ["a connection that enables BGP", (_: Json, vpn: Json) => {
      const deployment = only(vpn, "azurerm_resource_group_template_deployment");
      const template = JSON.parse(deployment.template_content);
      template.resources[0].properties.vpnLinkConnections[0].properties.enableBgp = true;
      deployment.template_content = JSON.stringify(template);
    }, /connection "[^"]*\/cn-acme-bank" link "cn-acme-bank" has enableBgp true \(must be false\)/],
  ])("refuses %s: isolation not guaranteed, a customer could advertise another's prefixes", (_, mutate, message) => {
    const { network, vpn } = synthesized();
    mutate(network, vpn);
    expect(() => modelFromSynth(network, vpn)).toThrow(message);
    expect(() => modelFromSynth(network, vpn)).toThrow(/isolation not guaranteed: .* customers use static routing only/);
  });

  it("fails the real synth when the routing intent is removed", () => {
    const stacks = azureStacks();
    stacks.network.securedHub.node.tryRemoveChild("routing-intent");
    expect(() => (stacks.network.node.root as App).synth()).toThrow(/isolation not guaranteed: the virtual hub has no azurerm_virtual_hub_routing_intent/);
  });

  it("fails the real synth on a firewall rule opening customer -> customer, naming it", () => {
    const stacks = azureStacks();
    const [a, b] = env.vpn.customers;
    new FirewallPolicyRuleCollectionGroup(stacks.network, "partner-rules", {
      name: "partners", priority: 200, firewallPolicyId: stacks.network.securedHub.firewallPolicy.id,
      networkRuleCollection: [{ name: "links", priority: 100, action: "Allow", rule: [{ name: "a-to-b", protocols: ["TCP"], sourceAddresses: [...a.addressSpaces], destinationAddresses: [...b.addressSpaces], destinationPorts: ["443"] }] }],
    });
    expect(() => (stacks.network.node.root as App).synth()).toThrow(
      new RegExp(`customer ${a.name} -> customer ${b.name}: tcp/443 to ${b.addressSpaces[0].replace(/[./]/g, "\\$&")} \\(allowed by firewall policy "afw-prod-hub-policy" partners/links/a-to-b\\)`),
    );
  });

  it.each([
    ["an application rule collection", (g: Json) => (g.application_rule_collection = [{ name: "web", priority: 900, action: "Allow", rule: [] }]), /application_rule_collection "web" is not evaluated/],
    ["an IP group", (g: Json) => g.network_rule_collection[0].rule[0].destination_ip_groups = ["${azurerm_ip_group.x.id}"], /destination_ip_groups .* cannot be evaluated/],
    ["an FQDN", (g: Json) => g.network_rule_collection[0].rule[0].destination_fqdns = ["db.example.com"], /destination_fqdns .* cannot be evaluated/],
  ])("refuses a firewall policy with %s, naming it", (_, mutate, message) => {
    const { network, vpn } = synthesized();
    mutate(only(network, "azurerm_firewall_policy_rule_collection_group"));
    expect(() => modelFromSynth(network, vpn)).toThrow(message);
  });

  it.each([
    ["a customer's inbound deny", "deny-acme-bank-inbound"],
    ["the P2S pool's inbound deny", "deny-point-to-site-inbound"],
  ])("keeps the firewall's protection when %s is removed from the NSG (defense in depth works both ways)", (_, rule) => {
    const { network, vpn } = synthesized();
    const nsg = nsgNamed(network, "aks-nodes");
    nsg.security_rule = nsg.security_rule.filter((r: Json) => r.name !== rule);
    expect(evaluate(env, network, vpn).unexpected).toEqual([]);
  });

  it("flags an NSG rule admitting the internet", () => {
    const { network, vpn } = synthesized();
    nsgNamed(network, "databases").security_rule.push({
      name: "allow-https-from-internet", priority: 300, direction: "Inbound", access: "Allow", protocol: "Tcp",
      source_address_prefix: "Internet", source_port_range: "*", destination_address_prefix: "*", destination_port_range: "443",
    });
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toEqual([expect.objectContaining({ from: INTERNET, to: "snet-databases", protocol: "Tcp", port: 443 })]);
  });

  describe("config errors before anything is built", () => {
    it("rejects a customer allowed to a port of another customer's range", () => {
      expect(() =>
        azureStacks((e) => {
          e.vpn.customers[0].access.push({ cidr: e.vpn.customers[1].addressSpaces[0], ports: [443], protocol: "Tcp" });
        }),
      ).toThrow(/customers\[acme-bank\]\.access\[1\]\.cidr 172\.17\.0\.0\/24 overlaps customer globex-pay's range 172\.17\.0\.0\/24; a customer may only be granted spoke services/);
    });

    it("rejects a P2S database target outside the spoke", () => {
      expect(() =>
        azureStacks((e) => {
          e.workloads.databases.push({ name: "legacy-db", cidr: "10.30.0.4/32", port: 5432 });
          e.vpn.pointToSite.databases.push("legacy-db");
        }),
      ).toThrow(/vpn\.pointToSite\.databases "legacy-db": endpoint 10\.30\.0\.4\/32 is outside the spoke VNet 10\.20\.0\.0\/16/);
    });
  });

  const aksRule = (over: Json): Json => ({
    name: "probe", priority: 500, direction: "Inbound", access: "Allow", protocol: "Tcp",
    source_address_prefix: "*", source_port_range: "*", destination_address_prefix: "*", destination_port_range: "*", ...over,
  });

  it.each([
    ["a source port", { access: "Deny", source_address_prefix: "172.16.10.0/24", source_port_range: "1" }, /rule "probe": source_port_range "1" .*use source_port_range "\*"/],
    ["source port ranges", { source_port_range: null, source_port_ranges: ["*", "1024-65535"] }, /rule "probe": source_port_ranges "1024-65535"/],
    ["an application security group", { source_application_security_group_ids: ["${azurerm_application_security_group.x.id}"] }, /rule "probe": source_application_security_group_ids .*application security groups/],
    ["a service tag the model does not know", { source_address_prefix: "AzureCloud" }, /rule "probe": source_address_prefix "AzureCloud" is a service tag the reachability model does not know/],
    ["a service tag in the wrong case", { destination_address_prefix: "internet" }, /rule "probe": destination_address_prefix "internet"/],
    ["an unknown protocol", { protocol: "Gre" }, /rule "probe": protocol "Gre"/],
    ["a port on a protocol without ports", { protocol: "Icmp", destination_port_range: "8" }, /rule "probe": destination_port_range "8" .*Icmp/],
  ])("refuses an NSG rule with %s, naming the NSG, rule, field and value", (_, over, message) => {
    const { network, vpn } = synthesized();
    nsgNamed(network, "aks-nodes").security_rule.push(aksRule(over));
    expect(() => modelFromSynth(network, vpn)).toThrow(/NSG "nsg-vnet-prod-hub-aks-nodes"/);
    expect(() => modelFromSynth(network, vpn)).toThrow(message);
  });

  it("flags ports a Deny's range leaves open above an overlapping Allow (every range boundary is probed)", () => {
    const { network, vpn } = synthesized();
    const acme = env.vpn.customers.find((c) => c.name === "acme-bank")!;
    nsgNamed(network, "aks-nodes").security_rule.push(
      aksRule({ name: "deny-low", priority: 500, access: "Deny", source_address_prefix: null, source_address_prefixes: acme.addressSpaces, destination_port_range: "0-1999" }),
      aksRule({ name: "allow-wide", priority: 501, source_address_prefix: null, source_address_prefixes: acme.addressSpaces, destination_port_range: "1000-3000" }),
    );
    addFirewallRules(network, "Allow", fwRule("acme-wide", acme.addressSpaces, [env.network.aksNodeSubnetCidr]));
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toEqual([expect.objectContaining({ from: customerGroup("acme-bank"), to: "snet-aks-nodes", protocol: "Tcp", port: "2000-3000" })]);
  });

  it.each(["Icmp", "Esp", "Ah", "*"])("flags a customer Allow for protocol %s", (protocol) => {
    const { network, vpn } = synthesized();
    const acme = env.vpn.customers.find((c) => c.name === "acme-bank")!;
    nsgNamed(network, "aks-nodes").security_rule.push(aksRule({ protocol, source_address_prefix: null, source_address_prefixes: acme.addressSpaces }));
    addFirewallRules(network, "Allow", fwRule("acme-any", acme.addressSpaces, [env.network.aksNodeSubnetCidr]));
    const { unexpected } = evaluate(env, network, vpn);
    const flagged = unexpected.filter((f) => f.from === customerGroup("acme-bank") && f.to === "snet-aks-nodes");
    const expected = protocol === "*" ? ["Tcp", "Udp", "Icmp", "Esp", "Ah"] : [protocol];
    for (const p of expected) expect(flagged).toContainEqual(expect.objectContaining({ protocol: p, port: "*" }));
  });

  it("states in the matrix what it rests on and what it does not model", () => {
    const { matrix } = evaluate(env, shipped.network, shipped.vpn);
    expect(matrix).toMatch(/routed through the hub firewall by the hub's PrivateTraffic routing intent/);
    expect(matrix).toMatch(/nothing a customer's device proposes \(traffic selectors, advertised routes\) is trusted/);
    expect(matrix).toMatch(/No customer runs BGP \(refused at synth\): the hub routes to each customer exactly its VPN site's ranges/);
    expect(matrix).toMatch(/## Hub firewall network rules/);
  });

  it("renders the matrix with every group as a row and a column", () => {
    const { matrix, model } = evaluate(env, shipped.network, shipped.vpn);
    expect(matrix).toMatch(/No flow outside what config allows/);
    for (const group of model.groups) expect(matrix).toContain(`| **${group.name}** |`);
    expect(matrix).toMatch(/\| \*\*customer acme-bank\*\* \| tcp\/443 to 10\.20\.16\.10\/32 \|/);
  });

  it("fails synth on an unexpected flow and writes the matrix to the synth output (reachability.md)", () => {
    const app = appWithAksRule({ name: "allow-debug-ssh", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationPortRange: "22" });
    expect(() => app.synth()).toThrow(/reachability check failed: 1 flow\(s\) config does not allow[\s\S]*internet -> snet-aks-nodes: tcp\/22 \(allowed by NSG rule "allow-debug-ssh"\)/);
    const matrix = readFileSync(join(app.outdir, REACHABILITY_FILE), "utf8");
    expect(matrix).toMatch(/\*\*UNEXPECTED tcp\/22\*\*/);
  });

  it("fails synth on an NSG rule the model cannot evaluate (a source port), naming the NSG, rule and fix", () => {
    const app = appWithAksRule({ name: "deny-acme-from-port-1", access: "Deny", protocol: "*", sourceAddressPrefix: "172.16.10.0/24", sourcePortRange: "1", destinationPortRange: "*" });
    expect(() => app.synth()).toThrow(/NSG "nsg-vnet-prod-hub-aks-nodes" rule "deny-acme-from-port-1": source_port_range "1" is not "\*".*use source_port_range "\*"/);
  });

  it("judges the stacks as synth writes them, and the same outside synth (app.node.validate(), nothing written yet)", () => {
    const rule = { name: "allow-debug-ssh", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationPortRange: "22" } as const;
    // The verdict's lines after the first (which names the matrix file of each app's own outdir).
    const verdict = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message.split("\n").slice(1);
      }
      return [];
    };
    const outside = appWithAksRule(rule);
    const outsideVerdict = verdict(() => outside.node.validate());
    expect(outsideVerdict[0]).toMatch(/internet -> snet-aks-nodes: tcp\/22 \(allowed by NSG rule "allow-debug-ssh"\)/);
    // Validating added nothing to the manifest synth fills in when it writes each stack.
    expect(outside.manifest.stacks).toEqual({});
    const inside = appWithAksRule(rule);
    expect(verdict(() => inside.synth())).toEqual(outsideVerdict);
    // A stack resolved before the rule was added (a single-stack synth) is judged as it is now.
    const earlier = appWithAksRule(rule, (stacks) => Testing.synth(stacks.network));
    expect(verdict(() => earlier.node.validate())).toEqual(outsideVerdict);
  });

  it("writes the matrix on every synth of the shipped config", () => {
    const stacks = azureStacks();
    const app = stacks.network.node.root as App;
    app.synth();
    expect(existsSync(join(app.outdir, REACHABILITY_FILE))).toBe(true);
  });
});
