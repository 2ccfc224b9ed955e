import { blocks, show } from "../../attributes";
import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { VPN_LINK_TYPES, vpnLinks } from "./vpn-links";

/**
 * Over BGP a site-to-site peer (a customer) could advertise a more specific prefix of our networks
 * or another peer's range and draw traffic meant for them, and it learns every other branch's
 * prefixes; with static routing the hub routes to the tunnel only the ranges we configured for it
 * (docs/network-isolation.md).
 */
export const vpnStaticRouting: PolicyRule = {
  id: "AZURE-VPN-007",
  externalIds: [],
  description: "Site-to-site VPN connections and VPN sites use static routing (no BGP with the peer)",
  severity: "high",
  fix: "Remove the VPN site link's bgp block and set BGP off on the connection (bgp_enabled = false / the template's enableBgp false); list the peer's ranges as the site's address_cidrs",
  appliesTo: [...VPN_LINK_TYPES, "azurerm_vpn_site"],
  check(resource) {
    if (resource.type === "azurerm_vpn_site") {
      return fromProblems(blocks(resource.attributes.link).filter((link) => blocks(link.bgp).length > 0).map((link) => `link ${show(link.name)} has a bgp block`));
    }
    const links = vpnLinks(resource);
    if (links.length === 0) return NOT_APPLICABLE;
    // Every one of these defaults to BGP off when unset.
    return fromProblems(links.filter((l) => l.bgp === true).map((l) => `${l.where}${l.bgpField} is true`));
  },
};
