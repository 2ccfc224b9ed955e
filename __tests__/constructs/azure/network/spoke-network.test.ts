import { SpokeNetwork, SpokeNetworkProps } from "../../../../constructs/azure/network/spoke-network";
import { prodAzure, shippedAzureResources } from "../../../helpers/azure";
import { emptyStack } from "../../../helpers/synth";

const props: SpokeNetworkProps = {
  resourceGroupName: "rg-hub",
  location: "westeurope",
  vnetName: "vnet-hub",
  addressSpace: "10.20.0.0/16",
  aksNodeSubnetCidr: "10.20.16.0/20",
};

describe("SpokeNetwork (prod-azure-network)", () => {
  it("builds the VNet without a GatewaySubnet (it is a hub spoke) and an NSG-guarded AKS subnet without default outbound access", () => {
    expect(shippedAzureResources("network", "azurerm_virtual_network")[0]).toMatchObject({ name: "vnet-prod-hub", address_space: ["10.20.0.0/16"] });
    const subnets = shippedAzureResources("network", "azurerm_subnet");
    expect(subnets.find((s) => s.name === "GatewaySubnet")).toBeUndefined();
    expect(subnets.find((s) => s.name === "snet-aks-nodes")).toMatchObject({
      address_prefixes: ["10.20.16.0/20"],
      default_outbound_access_enabled: false,
    });
    // Every subnet applies its NSG and route-table policies to private endpoints too (else branch
    // traffic to an endpoint there bypasses the hub firewall and the NSG).
    for (const subnet of subnets) expect([subnet.name, subnet.private_endpoint_network_policies]).toEqual([subnet.name, "Enabled"]);
    // Every subnet carries an NSG.
    const associations = shippedAzureResources("network", "azurerm_subnet_network_security_group_association");
    expect(associations).toHaveLength(subnets.length);
  });

  it("denies every customer range and the P2S pool ahead of Azure's broad VirtualNetwork allow, after only the grants config lists", () => {
    const env = prodAzure();
    for (const nsg of shippedAzureResources("network", "azurerm_network_security_group")) {
      const rules = nsg.security_rule as any[];
      const inbound = rules.filter((r) => r.direction === "Inbound");
      for (const customer of env.vpn.customers) {
        const deny = inbound.find((r) => r.access === "Deny" && r.source_address_prefixes?.join() === customer.addressSpaces.join());
        expect(deny).toMatchObject({ protocol: "*", destination_address_prefix: "*", destination_port_range: "*" });
        expect(deny.priority).toBeLessThan(65000);
        const allows = inbound.filter((r) => r.access === "Allow" && r.source_address_prefixes?.join() === customer.addressSpaces.join());
        for (const allow of allows) {
          expect(allow.priority).toBeLessThan(deny.priority);
          expect(customer.access).toContainEqual(expect.objectContaining({ cidr: allow.destination_address_prefix, ports: allow.destination_port_ranges.map(Number) }));
        }
        const outbound = rules.find((r) => r.direction === "Outbound" && r.access === "Deny" && r.destination_address_prefixes?.join() === customer.addressSpaces.join());
        expect(outbound.priority).toBeLessThan(65000);
      }
      const p2sDeny = inbound.find((r) => r.access === "Deny" && r.source_address_prefixes?.join() === env.vpn.pointToSite.addressPool.join());
      const p2sAllows = inbound.filter((r) => r.access === "Allow" && r.source_address_prefixes?.join() === env.vpn.pointToSite.addressPool.join());
      expect(p2sAllows.every((a) => a.priority < p2sDeny.priority)).toBe(true);
      for (const allow of p2sAllows) {
        expect(env.workloads.databases.filter((d) => env.vpn.pointToSite.databases.includes(d.name))).toContainEqual(
          expect.objectContaining({ cidr: allow.destination_address_prefix, port: Number(allow.destination_port_range) }),
        );
      }
      expect(inbound).toContainEqual(expect.objectContaining({ name: "deny-internet-inbound", access: "Deny", source_address_prefix: "Internet" }));
    }
  });

  describe("rejects a grant that would break isolation", () => {
    const isolation = {
      customers: [
        { name: "acme", addressSpaces: ["172.16.10.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [443] }] },
        { name: "globex", addressSpaces: ["172.17.0.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [443] }] },
      ],
      pointToSitePool: ["10.250.0.0/24"],
      pointToSiteDatabases: [{ name: "payments-db", cidr: "10.20.8.4/32", port: 5432 }],
    };
    const build = (over: Partial<typeof isolation>) => () =>
      new SpokeNetwork(emptyStack(), "hub", { ...props, databaseSubnetCidr: "10.20.8.0/24", isolation: { ...isolation, ...over } });

    it("a customer allowed to a port of another customer's range", () => {
      const customers = [{ ...isolation.customers[0], access: [{ cidr: "172.17.0.0/24", ports: [22] }] }, isolation.customers[1]];
      expect(build({ customers })).toThrow(/s\/hub: customers\[acme\]\.access\[0\]\.cidr 172\.17\.0\.0\/24 overlaps customer globex's range 172\.17\.0\.0\/24; a customer may only be granted spoke services/);
    });
    it("a customer allowed into the P2S pool", () => {
      const customers = [{ ...isolation.customers[0], access: [{ cidr: "10.250.0.0/25", ports: [22] }] }];
      expect(build({ customers })).toThrow(/customers\[acme\]\.access\[0\]\.cidr 10\.250\.0\.0\/25 overlaps the point-to-site pool 10\.250\.0\.0\/24/);
    });
    it("a grant outside any NSG-guarded subnet", () => {
      const customers = [{ ...isolation.customers[0], access: [{ cidr: "10.20.0.4/32", ports: [443] }] }];
      expect(build({ customers })).toThrow(/customers\[acme\]\.access\[0\]\.cidr 10\.20\.0\.4\/32 is not inside aksNodeSubnetCidr 10\.20\.16\.0\/20 or databaseSubnetCidr 10\.20\.8\.0\/24/);
    });
    it("a P2S database target outside the spoke", () => {
      expect(build({ pointToSiteDatabases: [{ name: "legacy-db", cidr: "10.30.0.4/32", port: 5432 }] })).toThrow(
        /vpn\.pointToSite\.databases "legacy-db": endpoint 10\.30\.0\.4\/32 is outside the spoke VNet 10\.20\.0\.0\/16; point-to-site only reaches databases in the spoke/,
      );
    });
    it("a P2S database target in the spoke but outside the database subnet", () => {
      expect(build({ pointToSiteDatabases: [{ name: "payments-db", cidr: "10.20.16.20/32", port: 5432 }] })).toThrow(
        /endpoint 10\.20\.16\.20\/32 is not inside network\.databaseSubnetCidr; put the private endpoint in the database subnet/,
      );
    });
  });

  it("rejects a subnet outside the VNet", () => {
    expect(() => new SpokeNetwork(emptyStack(), "hub", { ...props, aksNodeSubnetCidr: "10.21.0.0/20" })).toThrow(
      /s\/hub: aksNodeSubnetCidr 10\.21\.0\.0\/20 is not inside the spoke VNet 10\.20\.0\.0\/16/,
    );
  });

  it("rejects overlapping subnets", () => {
    expect(() => new SpokeNetwork(emptyStack(), "hub", { ...props, aksNodeSubnetCidr: "10.20.0.0/20", databaseSubnetCidr: "10.20.8.0/24" })).toThrow(
      /s\/hub: databaseSubnetCidr 10\.20\.8\.0\/24 overlaps aksNodeSubnetCidr 10\.20\.0\.0\/20; give each subnet its own range/,
    );
  });

  it("rejects a CIDR that is not a network address", () => {
    expect(() => new SpokeNetwork(emptyStack(), "hub", { ...props, addressSpace: "10.20.0.1/16" })).toThrow(
      /vnetCidr "10\.20\.0\.1\/16" is not a network address; use 10\.20\.0\.0\/16/,
    );
  });
});
