import { isTrue } from "../../attributes";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, PolicyRule } from "../../rule";
import { isVpnGateway } from "./vpn-gateways";

/** Both gateway instances carry tunnels, so maintenance or a failover does not drop them. */
export const vpnActiveActive: PolicyRule = {
  id: "AZURE-VPN-002",
  externalIds: ["PSRule Azure.VNG.VPNActiveActive"],
  description: "VPN gateways run active-active",
  severity: "high",
  fix: "Set active_active = true with two ip_configuration blocks (one public IP each)",
  appliesTo: ["azurerm_virtual_network_gateway"],
  check(resource) {
    if (!isVpnGateway(resource)) return NOT_APPLICABLE;
    return isTrue(resource.attributes.active_active) ? COMPLIANT : nonCompliant("active_active is not true");
  },
};
