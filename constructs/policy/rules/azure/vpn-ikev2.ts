import { show } from "../../attributes";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, PolicyRule } from "../../rule";

/** IKEv1 lacks modern ciphers, MOBIKE and reliable rekeying; site-to-site tunnels use IKEv2. */
export const vpnIkev2: PolicyRule = {
  id: "AZURE-VPN-003",
  externalIds: [],
  description: "Site-to-site VPN connections use IKEv2",
  severity: "high",
  fix: "Set connection_protocol = \"IKEv2\" (the azurerm default) and agree IKEv2 with the customer",
  appliesTo: ["azurerm_virtual_network_gateway_connection"],
  check(resource) {
    if (resource.attributes.type !== "IPsec") return NOT_APPLICABLE;
    // azurerm defaults connection_protocol to IKEv2.
    const protocol = resource.attributes.connection_protocol ?? "IKEv2";
    return protocol === "IKEv2" ? COMPLIANT : nonCompliant(`connection_protocol is ${show(protocol)}`);
  },
};
