import { firewallRuleCollections } from "../../../../constructs/azure/network/firewall-rules";
import { HubIsolation } from "../../../../constructs/azure/network/isolation";
import { SecuredHub, SecuredHubProps } from "../../../../constructs/azure/network/secured-hub";
import { shippedAzureResources } from "../../../helpers/azure";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const isolation: HubIsolation = {
  customers: [
    { name: "acme", addressSpaces: ["172.16.10.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [443] }] },
    { name: "globex", addressSpaces: ["172.17.0.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [443, 8443] }, { cidr: "10.20.16.11/32", ports: [53], protocol: "Udp" }] },
  ],
  pointToSitePool: ["10.250.0.0/24"],
  pointToSiteDatabases: [{ name: "payments-db", cidr: "10.20.8.4/32", port: 5432 }],
};
const props: SecuredHubProps = {
  resourceGroupName: "rg",
  location: "westeurope",
  virtualWanName: "vwan",
  hubName: "vhub",
  hubAddressPrefix: "10.21.0.0/23",
  firewall: { name: "afw" },
  spoke: { name: "vnet-spoke", vnetId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-spoke", addressSpace: "10.20.0.0/16" },
  isolation,
};

function hub(over: Partial<SecuredHubProps> = {}) {
  const stack = emptyStack();
  new SecuredHub(stack, "hub", { ...props, ...over });
  return stack;
}

describe("SecuredHub", () => {
  describe("default config", () => {
    const stack = hub();

    it("creates a Standard virtual WAN and hub with no branch-to-branch transit of their own", () => {
      expect(resourcesOf(stack, "azurerm_virtual_wan")[0]).toMatchObject({ name: "vwan", type: "Standard", allow_branch_to_branch_traffic: false });
      expect(resourcesOf(stack, "azurerm_virtual_hub")[0]).toMatchObject({ name: "vhub", sku: "Standard", address_prefix: "10.21.0.0/23", branch_to_branch_traffic_enabled: false });
    });

    it("puts a Standard AZFW_Hub firewall with a threat-intel Deny policy in the hub", () => {
      expect(resourcesOf(stack, "azurerm_firewall_policy")[0]).toMatchObject({ name: "afw-policy", sku: "Standard", threat_intelligence_mode: "Deny" });
      expect(resourcesOf(stack, "azurerm_firewall")[0]).toMatchObject({
        name: "afw",
        sku_name: "AZFW_Hub",
        sku_tier: "Standard",
        firewall_policy_id: expect.stringMatching(/azurerm_firewall_policy\..*\.id/),
        virtual_hub: { virtual_hub_id: expect.stringMatching(/azurerm_virtual_hub\..*\.id/), public_ip_count: 1 },
      });
    });

    it("sends PrivateTraffic through the firewall with routing intent", () => {
      expect(resourcesOf(stack, "azurerm_virtual_hub_routing_intent")[0]).toMatchObject({
        routing_policy: [{ name: "PrivateTrafficPolicy", destinations: ["PrivateTraffic"], next_hop: expect.stringMatching(/azurerm_firewall\..*\.id/) }],
      });
    });

    it("connects the spoke without a default route from the hub", () => {
      expect(resourcesOf(stack, "azurerm_virtual_hub_connection")[0]).toMatchObject({ name: "hc-vnet-spoke", remote_virtual_network_id: props.spoke.vnetId, internet_security_enabled: false });
    });

    it("allows exactly what config grants in the firewall policy, nothing else (default deny)", () => {
      const [group] = resourcesOf(stack, "azurerm_firewall_policy_rule_collection_group");
      expect(group.network_rule_collection).toEqual([
        expect.objectContaining({ name: "allow-customers", action: "Allow", rule: [
          expect.objectContaining({ name: "acme-0", protocols: ["TCP"], source_addresses: ["172.16.10.0/24"], destination_addresses: ["10.20.16.10/32"], destination_ports: ["443"] }),
          expect.objectContaining({ name: "globex-0", protocols: ["TCP"], destination_ports: ["443", "8443"] }),
          expect.objectContaining({ name: "globex-1", protocols: ["UDP"], destination_addresses: ["10.20.16.11/32"], destination_ports: ["53"] }),
        ] }),
        expect.objectContaining({ name: "allow-point-to-site", action: "Allow", rule: [
          expect.objectContaining({ name: "p2s-payments-db", protocols: ["TCP"], source_addresses: ["10.250.0.0/24"], destination_addresses: ["10.20.8.4/32"], destination_ports: ["5432"] }),
        ] }),
      ]);
      expect(group.application_rule_collection).toBeUndefined();
      expect(group.nat_rule_collection).toBeUndefined();
    });
  });

  it("takes the firewall tier, threat-intel mode and public IPs from props", () => {
    const stack = hub({ firewall: { name: "afw", sku: "Premium", threatIntelMode: "Alert", publicIpCount: 2 } });
    expect(resourcesOf(stack, "azurerm_firewall")[0]).toMatchObject({ sku_tier: "Premium", virtual_hub: { public_ip_count: 2 } });
    expect(resourcesOf(stack, "azurerm_firewall_policy")[0]).toMatchObject({ sku: "Premium", threat_intelligence_mode: "Alert" });
  });

  it("creates no rule collection group when nobody arrives through the hub", () => {
    expect(firewallRuleCollections({ customers: [], pointToSitePool: [], pointToSiteDatabases: [] })).toEqual([]);
    expect(resourcesOf(hub({ isolation: { customers: [], pointToSitePool: [], pointToSiteDatabases: [] } }), "azurerm_firewall_policy_rule_collection_group")).toEqual([]);
  });

  it("adding a customer only appends its own firewall rules", () => {
    const before = firewallRuleCollections(isolation);
    const after = firewallRuleCollections({ ...isolation, customers: [...isolation.customers, { name: "initech", addressSpaces: ["192.168.40.0/22"], access: [{ cidr: "10.20.16.10/32", ports: [443] }] }] });
    expect((after[0].rule as unknown[]).slice(0, -1)).toEqual(before[0].rule);
  });

  it("ships in prod-azure-network with routing intent to its firewall", () => {
    expect(shippedAzureResources("network", "azurerm_virtual_hub_routing_intent")).toHaveLength(1);
    expect(shippedAzureResources("network", "azurerm_firewall")).toEqual([expect.objectContaining({ sku_name: "AZFW_Hub" })]);
  });

  describe("rejected input", () => {
    it("a hub prefix smaller than /24", () => {
      expect(() => hub({ hubAddressPrefix: "10.21.0.0/25" })).toThrow(/s\/hub: hubAddressPrefix 10\.21\.0\.0\/25 is smaller than \/24, Azure's minimum for a virtual hub; use a \/23 \(recommended\) or \/24/);
    });

    it.each([
      ["the spoke VNet", "10.20.0.0/23", /hubAddressPrefix 10\.20\.0\.0\/23 overlaps spoke VNet 10\.20\.0\.0\/16|spoke VNet 10\.20\.0\.0\/16 overlaps hubAddressPrefix/],
      ["a customer", "172.16.10.0/24", /customers\[acme\]\.addressSpaces\[0\] 172\.16\.10\.0\/24 overlaps hubAddressPrefix 172\.16\.10\.0\/24/],
      ["the P2S pool", "10.250.0.0/24", /pointToSite\.addressPool\[0\] 10\.250\.0\.0\/24 overlaps hubAddressPrefix 10\.250\.0\.0\/24/],
    ])("a hub prefix overlapping %s", (_, hubAddressPrefix, message) => {
      expect(() => hub({ hubAddressPrefix })).toThrow(message);
    });

    it("a customer range outside RFC 1918, which the PrivateTraffic routing policy would not send through the firewall", () => {
      expect(() => hub({ isolation: { ...isolation, customers: [{ ...isolation.customers[0], addressSpaces: ["100.70.0.0/24"] }] } })).toThrow(
        /customers\[acme\]\.addressSpaces\[0\] 100\.70\.0\.0\/24 is outside RFC 1918 .* traffic to it would bypass the firewall/,
      );
    });

    it("a firewall tier that cannot secure the hub, and a threat-intel mode that does not exist", () => {
      expect(() => hub({ firewall: { name: "afw", sku: "Basic" as never } })).toThrow(/firewall\.sku "Basic" cannot secure this hub; use one of Standard, Premium/);
      expect(() => hub({ firewall: { name: "afw", threatIntelMode: "Block" as never } })).toThrow(/firewall\.threatIntelMode "Block" is not one of Deny, Alert, Off/);
    });
  });
});
