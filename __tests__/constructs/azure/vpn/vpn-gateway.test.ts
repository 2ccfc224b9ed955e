import { VpnGateway, VpnGatewayProps } from "../../../../constructs/azure/vpn/vpn-gateway";
import { findSuppression } from "../../../../constructs/policy/suppressions";
import { azureStacks } from "../../../helpers/azure";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const TENANT = "00000000-0000-4000-8000-0000000000aa";
const P2S = { addressPool: ["10.250.0.0/24"], tenantId: TENANT, audience: "00000000-0000-4000-8000-0000000000e1", adminGroupObjectId: "00000000-0000-4000-8000-0000000000e2" };
const minimal: VpnGatewayProps = {
  name: "vgw",
  resourceGroupName: "rg",
  location: "westeurope",
  gatewaySubnetId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/GatewaySubnet",
  vnetAddressSpace: ["10.20.0.0/16"],
};

function gatewayOf(props: Partial<VpnGatewayProps> = {}) {
  const stack = emptyStack();
  new VpnGateway(stack, "vpn", { ...minimal, ...props });
  return { stack, gateway: resourcesOf(stack, "azurerm_virtual_network_gateway")[0], ips: resourcesOf(stack, "azurerm_public_ip") };
}

describe("VpnGateway", () => {
  describe("default config (minimal props)", () => {
    const { gateway, ips } = gatewayOf();

    it("is a route-based VpnGw2AZ (Generation2) gateway, active-active with BGP on", () => {
      expect(gateway).toMatchObject({
        type: "Vpn",
        vpn_type: "RouteBased",
        sku: "VpnGw2AZ",
        generation: "Generation2",
        active_active: true,
        enable_bgp: true,
        bgp_settings: { asn: 65010 },
      });
      expect(gateway.vpn_client_configuration).toBeUndefined();
    });

    it("has two zone-redundant Standard static public IPs, one per instance, in the GatewaySubnet", () => {
      expect(ips).toHaveLength(2);
      for (const ip of ips) expect(ip).toMatchObject({ sku: "Standard", allocation_method: "Static", zones: ["1", "2", "3"] });
      expect(gateway.ip_configuration).toHaveLength(2);
      for (const config of gateway.ip_configuration) expect(config.subnet_id).toBe(minimal.gatewaySubnetId);
    });
  });

  describe("options", () => {
    it("takes the SKU and ASN; VpnGw1AZ runs on Generation1", () => {
      const { gateway } = gatewayOf({ sku: "VpnGw1AZ", bgpAsn: 4200000001 });
      expect(gateway).toMatchObject({ sku: "VpnGw1AZ", generation: "Generation1", bgp_settings: { asn: 4200000001 } });
    });

    it("adds point-to-site with a third public IP, as Azure requires for active-active", () => {
      const { gateway, ips } = gatewayOf({ pointToSite: { ...P2S, addressPool: ["10.250.0.0/24"] } });
      expect(ips).toHaveLength(3);
      expect(gateway.ip_configuration.map((c: any) => c.name)).toEqual(["instance-0", "instance-1", "point-to-site"]);
      expect(gateway.vpn_client_configuration).toMatchObject({ address_space: ["10.250.0.0/24"], vpn_client_protocols: ["OpenVPN"] });
    });
  });

  it("suppresses the custom-audience finding only with the opt-in's reason", () => {
    const stack = emptyStack();
    new VpnGateway(stack, "vpn", { ...minimal, pointToSite: { ...P2S, audience: "c632b3df-fb67-4d84-bdcf-b95ad541b5c8", adminGroupObjectId: undefined, defaultAudienceReason: "break-glass tenant with two guest admins only" } });
    const gateway = stack.node.findAll().find((c) => c.node.path.endsWith("vpn/gateway"))!;
    expect(findSuppression(gateway, "AZURE-VPN-006")?.reason).toBe("point-to-site uses Microsoft's audience: break-glass tenant with two guest admins only");
  });

  describe("prod-azure-vpn", () => {
    it("puts the shipped gateway in the hub with P2S for DB admins", () => {
      const { vpn } = azureStacks();
      expect(resourcesOf(vpn, "azurerm_virtual_network_gateway")[0]).toMatchObject({ name: "vgw-prod-hub", sku: "VpnGw2AZ", bgp_settings: { asn: 65010 } });
      expect(resourcesOf(vpn, "azurerm_public_ip")).toHaveLength(3);
    });
  });

  describe("rejected input", () => {
    it("rejects the legacy Basic SKU", () => {
      expect(() => gatewayOf({ sku: "Basic" })).toThrow(/s\/vpn: sku "Basic" is a legacy SKU Azure no longer creates and has no zone redundancy; use a zone-redundant SKU: VpnGw1AZ/);
    });

    it("rejects a non-AZ SKU", () => {
      expect(() => gatewayOf({ sku: "VpnGw2" })).toThrow(/sku "VpnGw2" is not zone-redundant and Azure no longer creates non-AZ VPN gateway SKUs; use a zone-redundant SKU/);
    });

    it("rejects an unknown SKU", () => {
      expect(() => gatewayOf({ sku: "ErGw1AZ" })).toThrow(/sku "ErGw1AZ" is not a VPN gateway SKU/);
    });

    it("rejects an Azure-reserved gateway ASN", () => {
      expect(() => gatewayOf({ bgpAsn: 65515 })).toThrow(/s\/vpn: bgpAsn 65515 is reserved by Azure \(the VPN gateway default\); choose another ASN/);
    });

    it("rejects a point-to-site pool overlapping the VNet", () => {
      expect(() => gatewayOf({ pointToSite: { ...P2S, addressPool: ["10.20.128.0/24"] } })).toThrow(
        /s\/vpn: pointToSite\.addressPool\[0\] 10\.20\.128\.0\/24 overlaps hub VNet\[0\] 10\.20\.0\.0\/16; the point-to-site pool must lie outside the VNet/,
      );
    });
  });
});
