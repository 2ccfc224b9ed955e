import { HubNetwork, HubNetworkProps } from "../../../../constructs/azure/network/hub-network";
import { azureStacks } from "../../../helpers/azure";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const props: HubNetworkProps = {
  resourceGroupName: "rg-hub",
  location: "westeurope",
  vnetName: "vnet-hub",
  addressSpace: "10.20.0.0/16",
  gatewaySubnetCidr: "10.20.0.0/27",
  aksNodeSubnetCidr: "10.20.16.0/20",
};

describe("HubNetwork (prod-azure-network)", () => {
  const { network } = azureStacks();

  it("builds the VNet, a GatewaySubnet without NSG and an NSG-guarded AKS subnet without default outbound access", () => {
    expect(resourcesOf(network, "azurerm_virtual_network")[0]).toMatchObject({ name: "vnet-prod-hub", address_space: ["10.20.0.0/16"] });
    const subnets = resourcesOf(network, "azurerm_subnet");
    expect(subnets.find((s) => s.name === "GatewaySubnet")).toMatchObject({ address_prefixes: ["10.20.0.0/26"] });
    expect(subnets.find((s) => s.name === "snet-aks-nodes")).toMatchObject({
      address_prefixes: ["10.20.16.0/20"],
      default_outbound_access_enabled: false,
    });
    const associations = resourcesOf(network, "azurerm_subnet_network_security_group_association");
    expect(associations).toHaveLength(1);
    expect(associations[0].subnet_id).toMatch(/azurerm_subnet\.hub_aks-node-subnet.*\.id/);
  });

  it("denies inbound internet traffic to nodes explicitly", () => {
    const [nsg] = resourcesOf(network, "azurerm_network_security_group");
    expect(nsg.security_rule).toEqual([
      expect.objectContaining({ name: "deny-internet-inbound", direction: "Inbound", access: "Deny", source_address_prefix: "Internet" }),
    ]);
  });

  it("accepts a larger GatewaySubnet", () => {
    const stack = emptyStack();
    new HubNetwork(stack, "hub", { ...props, gatewaySubnetCidr: "10.20.0.0/24" });
    expect(resourcesOf(stack, "azurerm_subnet").find((s) => s.name === "GatewaySubnet").address_prefixes).toEqual(["10.20.0.0/24"]);
  });

  it("rejects a GatewaySubnet smaller than /27", () => {
    expect(() => new HubNetwork(emptyStack(), "hub", { ...props, gatewaySubnetCidr: "10.20.0.0/28" })).toThrow(
      /s\/hub: gatewaySubnetCidr 10\.20\.0\.0\/28 is smaller than \/27; Azure VPN gateways need a GatewaySubnet of \/27 or larger/,
    );
  });

  it("rejects a subnet outside the VNet", () => {
    expect(() => new HubNetwork(emptyStack(), "hub", { ...props, aksNodeSubnetCidr: "10.21.0.0/20" })).toThrow(
      /s\/hub: aksNodeSubnetCidr 10\.21\.0\.0\/20 is not inside the hub VNet 10\.20\.0\.0\/16/,
    );
  });

  it("rejects overlapping subnets", () => {
    expect(() => new HubNetwork(emptyStack(), "hub", { ...props, aksNodeSubnetCidr: "10.20.0.0/20" })).toThrow(
      /s\/hub: aksNodeSubnetCidr 10\.20\.0\.0\/20 overlaps gatewaySubnetCidr 10\.20\.0\.0\/27; give each subnet its own range/,
    );
  });

  it("rejects a CIDR that is not a network address", () => {
    expect(() => new HubNetwork(emptyStack(), "hub", { ...props, addressSpace: "10.20.0.1/16" })).toThrow(
      /vnetCidr "10\.20\.0\.1\/16" is not a network address; use 10\.20\.0\.0\/16/,
    );
  });
});
