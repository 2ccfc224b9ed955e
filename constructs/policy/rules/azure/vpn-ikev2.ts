import { show } from "../../attributes";
import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { VPN_LINK_TYPES, vpnLinks } from "./vpn-links";

/** IKEv1 lacks modern ciphers, MOBIKE and reliable rekeying; site-to-site tunnels use IKEv2. */
export const vpnIkev2: PolicyRule = {
  id: "AZURE-VPN-003",
  externalIds: [],
  description: "Site-to-site VPN connections use IKEv2",
  severity: "high",
  fix: "Use IKEv2 (connection_protocol / vpn_link protocol / the template's vpnConnectionProtocolType) and agree IKEv2 with the customer",
  appliesTo: VPN_LINK_TYPES,
  check(resource) {
    const links = vpnLinks(resource);
    if (links.length === 0) return NOT_APPLICABLE;
    // Every one of these defaults to IKEv2 when unset.
    const field = resource.type === "azurerm_virtual_network_gateway_connection" ? "connection_protocol" : resource.type === "azurerm_vpn_gateway_connection" ? "protocol" : "vpnConnectionProtocolType";
    return fromProblems(links.filter((l) => (l.protocol ?? "IKEv2") !== "IKEv2").map((l) => `${l.where}${field} is ${show(l.protocol)}`));
  },
};
