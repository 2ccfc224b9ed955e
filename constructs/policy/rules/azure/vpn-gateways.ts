/**
 * Which azurerm_virtual_network_gateway blocks are VPN gateways: the same resource type also
 * models ExpressRoute gateways, which the VPN rules do not apply to.
 */
import { PolicyResource } from "../../rule";

/** True for a VPN (not ExpressRoute) virtual network gateway. */
export function isVpnGateway(resource: PolicyResource): boolean {
  return resource.attributes.type === "Vpn";
}
