import { show } from "../../attributes";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, PolicyRule } from "../../rule";
import { isVpnGateway } from "./vpn-gateways";

const AZ_SKU = /^VpnGw[1-5]AZ$/;

/** The gateway instances are spread over zones and survive a zone outage. */
export const vpnZoneRedundantSku: PolicyRule = {
  id: "AZURE-VPN-001",
  externalIds: ["PSRule Azure.VNG.VPNAvailabilityZoneSKU"],
  description: "VPN gateways use a zone-redundant SKU (VpnGw1AZ-VpnGw5AZ)",
  severity: "high",
  fix: "Set sku = \"VpnGw2AZ\" (or another VpnGw<N>AZ) with zone-redundant Standard public IPs",
  appliesTo: ["azurerm_virtual_network_gateway"],
  check(resource) {
    if (!isVpnGateway(resource)) return NOT_APPLICABLE;
    const sku = resource.attributes.sku;
    return AZ_SKU.test(String(sku)) ? COMPLIANT : nonCompliant(`sku is ${show(sku)}`);
  },
};
