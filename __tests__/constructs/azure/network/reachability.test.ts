import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { App } from "cdktf";
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
import { AzureProdEnvironment } from "../../../../environments/schema";
import { hubIsolation } from "../../../../stacks/azure/network-stack";
import { azureStacks, prodAzure } from "../../../helpers/azure";

type Json = Record<string, any>;

/** The synthesized network and VPN stacks of a (mutated) prod-azure config, editable as JSON. */
function synthesized(mutate: (env: AzureProdEnvironment) => void = () => undefined) {
  const env = prodAzure();
  mutate(env);
  const stacks = azureStacks(mutate);
  return { env, network: structuredClone(stacks.network.toTerraform()) as Json, vpn: structuredClone(stacks.vpn.toTerraform()) as Json };
}

function evaluate(env: AzureProdEnvironment, network: Json, vpn: Json) {
  const model = modelFromSynth(network, vpn);
  const flows = computeFlows(model);
  const expected = expectedFrom(hubIsolation(env));
  return { model, flows, unexpected: unexpectedFlows(flows, model, expected), matrix: renderMatrix(model, flows, expected) };
}

const between = (flows: readonly Flow[], from: string, to: string) => flows.filter((f) => f.from === from && f.to === to);
const nsgNamed = (network: Json, suffix: string) => Object.values(network.resource.azurerm_network_security_group as Record<string, Json>).find((n) => n.name.endsWith(suffix))!;
/** The shipped stacks in an app, with one extra rule (its own resource) on the AKS nodes' NSG. */
function appWithAksRule(rule: { name: string; access: "Allow" | "Deny"; protocol: string; sourceAddressPrefix: string; sourcePortRange: string; destinationPortRange: string }): App {
  const stacks = azureStacks();
  new NetworkSecurityRule(stacks.network, rule.name, {
    priority: 400, direction: "Inbound", destinationAddressPrefix: "*", ...rule,
    resourceGroupName: "rg-prod-hub", networkSecurityGroupName: stacks.network.hub.aksNodeSecurityGroup.name,
  });
  return stacks.network.node.root as App;
}
const connectionOf = (vpn: Json, customer: string) => Object.values(vpn.resource.azurerm_virtual_network_gateway_connection as Record<string, Json>).find((c) => c.name === `cn-${customer}`)!;

describe("hub reachability model", () => {
  const shipped = synthesized();
  const { env } = shipped;
  const customers = env.vpn.customers.map((c) => customerGroup(c.name));

  it("finds no flow the shipped config does not allow: customers reach only their grants, VPN clients only their databases", () => {
    const { flows, unexpected, model } = evaluate(env, shipped.network, shipped.vpn);
    expect(unexpected).toEqual([]);
    for (const customer of env.vpn.customers) {
      const reached = flows.filter((f) => f.from === customerGroup(customer.name));
      expect(reached.length).toBeGreaterThan(0);
      for (const flow of reached) {
        expect(model.groups.find((g) => g.name === flow.to)!.kind).toBe("hub");
        expect(customer.access.some((g) => g.cidr === flow.via && g.ports.includes(flow.port as number))).toBe(true);
      }
    }
    const databases = env.workloads.databases.filter((d) => env.vpn.pointToSite.databases.includes(d.name));
    const fromClients = flows.filter((f) => f.from === POINT_TO_SITE);
    expect(fromClients.map((f) => `${f.via}:${f.port}`).sort()).toEqual(databases.map((d) => `${d.cidr}:${d.port}`).sort());
  });

  it("has no path between any two customers, nor between a customer and the P2S pool, in either direction", () => {
    const { flows } = evaluate(env, shipped.network, shipped.vpn);
    for (const a of [...customers, POINT_TO_SITE]) {
      for (const b of [...customers, POINT_TO_SITE]) if (a !== b) expect(between(flows, a, b)).toEqual([]);
    }
  });

  it("lets nothing in from the internet and never initiates from the hub into a customer or the P2S pool", () => {
    const { flows, model } = evaluate(env, shipped.network, shipped.vpn);
    expect(flows.filter((f) => f.from === INTERNET)).toEqual([]);
    const hub = model.groups.filter((g) => g.kind === "hub").map((g) => g.name);
    expect(flows.filter((f) => hub.includes(f.from) && [...customers, POINT_TO_SITE].includes(f.to))).toEqual([]);
  });

  it("covers a customer added later: its group appears with only its grants, nothing else changes", () => {
    const later = synthesized((e) =>
      e.vpn.customers.push({ name: "umbrella", gatewayAddress: "203.0.113.50", addressSpaces: ["192.168.80.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [8443], protocol: "Tcp" }] }),
    );
    const { flows, unexpected } = evaluate(later.env, later.network, later.vpn);
    expect(unexpected).toEqual([]);
    expect(flows.filter((f) => f.from === customerGroup("umbrella"))).toEqual([{ from: customerGroup("umbrella"), to: "snet-aks-nodes", protocol: "Tcp", port: 8443, via: "10.20.16.10/32" }]);
    for (const other of [...customers, POINT_TO_SITE]) {
      expect(between(flows, customerGroup("umbrella"), other)).toEqual([]);
      expect(between(flows, other, customerGroup("umbrella"))).toEqual([]);
    }
  });

  it("flags tunnel selectors widened to open customer -> customer", () => {
    const { network, vpn } = synthesized();
    const [a, b] = env.vpn.customers;
    connectionOf(vpn, a.name).traffic_selector_policy[0].local_address_cidrs.push(...b.addressSpaces);
    connectionOf(vpn, b.name).traffic_selector_policy[0].local_address_cidrs.push(...a.addressSpaces);
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected.map((f) => `${f.from} -> ${f.to}`)).toEqual(
      expect.arrayContaining([`${customerGroup(a.name)} -> ${customerGroup(b.name)}`, `${customerGroup(b.name)} -> ${customerGroup(a.name)}`]),
    );
  });

  it("flags a tunnel without traffic selectors (route-based any-to-any): it reaches the P2S pool through the gateway", () => {
    const { network, vpn } = synthesized();
    const [a] = env.vpn.customers;
    delete connectionOf(vpn, a.name).traffic_selector_policy;
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toEqual(expect.arrayContaining([expect.objectContaining({ from: customerGroup(a.name), to: POINT_TO_SITE }), expect.objectContaining({ from: POINT_TO_SITE, to: customerGroup(a.name) })]));
  });

  it("flags an NSG rule opening a port to the VirtualNetwork tag, which includes every customer and the P2S pool", () => {
    const { network, vpn } = synthesized();
    nsgNamed(network, "aks-nodes").security_rule.push({
      name: "allow-ssh-from-vnet", priority: 500, direction: "Inbound", access: "Allow", protocol: "Tcp",
      source_address_prefix: "VirtualNetwork", source_port_range: "*", destination_address_prefix: "*", destination_port_range: "22",
    });
    const { unexpected } = evaluate(env, network, vpn);
    for (const from of [...customers, POINT_TO_SITE]) expect(unexpected).toContainEqual({ from, to: "snet-aks-nodes", protocol: "Tcp", port: 22 });
  });

  it.each([
    ["a customer's inbound deny", "deny-acme-bank-inbound", { from: customerGroup("acme-bank"), to: "snet-aks-nodes", protocol: "Tcp", port: "*" }],
    ["the P2S pool's inbound deny", "deny-point-to-site-inbound", { from: POINT_TO_SITE, to: "snet-aks-nodes", protocol: "Tcp", port: 5432 }],
    ["the outbound deny towards a customer", "deny-to-acme-bank", { from: "snet-aks-nodes", to: customerGroup("acme-bank"), protocol: "Tcp", port: "*" }],
  ])("flags the flows Azure's defaults open once %s is removed", (_, rule, flow) => {
    const { network, vpn } = synthesized();
    const nsg = nsgNamed(network, "aks-nodes");
    nsg.security_rule = nsg.security_rule.filter((r: Json) => r.name !== rule);
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toContainEqual(flow);
  });

  it("flags an NSG rule admitting the internet", () => {
    const { network, vpn } = synthesized();
    nsgNamed(network, "databases").security_rule.push({
      name: "allow-https-from-internet", priority: 300, direction: "Inbound", access: "Allow", protocol: "Tcp",
      source_address_prefix: "Internet", source_port_range: "*", destination_address_prefix: "*", destination_port_range: "443",
    });
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toEqual([{ from: INTERNET, to: "snet-databases", protocol: "Tcp", port: 443 }]);
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
    const { unexpected } = evaluate(env, network, vpn);
    expect(unexpected).toEqual([{ from: customerGroup("acme-bank"), to: "snet-aks-nodes", protocol: "Tcp", port: "2000-3000" }]);
  });

  it.each(["Icmp", "Esp", "Ah", "*"])("flags a customer Allow for protocol %s", (protocol) => {
    const { network, vpn } = synthesized();
    const acme = env.vpn.customers.find((c) => c.name === "acme-bank")!;
    nsgNamed(network, "aks-nodes").security_rule.push(aksRule({ protocol, source_address_prefix: null, source_address_prefixes: acme.addressSpaces }));
    const { unexpected } = evaluate(env, network, vpn);
    const flagged = unexpected.filter((f) => f.from === customerGroup("acme-bank") && f.to === "snet-aks-nodes");
    const expected = protocol === "*" ? ["Tcp", "Udp", "Icmp", "Esp", "Ah"] : [protocol];
    for (const p of expected) expect(flagged).toContainEqual(expect.objectContaining({ protocol: p, port: "*" }));
  });

  it("states in the matrix that Azure does not enforce the customers' traffic selectors itself", () => {
    const { matrix } = evaluate(env, shipped.network, shipped.vpn);
    expect(matrix).toMatch(/Residual risk: .*accepts any traffic selectors proposed by a remote gateway/);
  });

  it("renders the matrix with every group as a row and a column", () => {
    const { matrix, model } = evaluate(env, shipped.network, shipped.vpn);
    expect(matrix).toMatch(/No flow outside what config allows/);
    for (const group of model.groups) expect(matrix).toContain(`| **${group.name}** |`);
    expect(matrix).toMatch(/\| \*\*customer acme-bank\*\* \| tcp\/443 to 10\.20\.16\.10\/32 \|/);
  });

  it("fails synth on an unexpected flow and writes the matrix to the synth output (reachability.md)", () => {
    const app = appWithAksRule({ name: "allow-debug-ssh", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", sourcePortRange: "*", destinationPortRange: "22" });
    expect(() => app.synth()).toThrow(/reachability check failed: \d+ flow\(s\) config does not allow[\s\S]*customer acme-bank -> snet-aks-nodes: tcp\/22/);
    const matrix = readFileSync(join(app.outdir, REACHABILITY_FILE), "utf8");
    expect(matrix).toMatch(/\*\*UNEXPECTED tcp\/22\*\*/);
  });

  it("fails synth on an NSG rule the model cannot evaluate (a source port), naming the NSG, rule and fix", () => {
    const app = appWithAksRule({ name: "deny-acme-from-port-1", access: "Deny", protocol: "*", sourceAddressPrefix: "172.16.10.0/24", sourcePortRange: "1", destinationPortRange: "*" });
    expect(() => app.synth()).toThrow(/NSG "nsg-vnet-prod-hub-aks-nodes" rule "deny-acme-from-port-1": source_port_range "1" is not "\*".*use source_port_range "\*"/);
  });

  it("writes the matrix on every synth of the shipped config", () => {
    const stacks = azureStacks();
    const app = stacks.network.node.root as App;
    app.synth();
    expect(existsSync(join(app.outdir, REACHABILITY_FILE))).toBe(true);
  });
});
