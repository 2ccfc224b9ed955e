import { block, isSet, strings } from "../../attributes";
import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { isVpnGateway } from "./vpn-gateways";

/** Remote users authenticate with Entra ID (MFA, conditional access), not certificates or RADIUS secrets. */
export const vpnP2sEntra: PolicyRule = {
  id: "AZURE-VPN-005",
  externalIds: [],
  description: "Point-to-site VPN authenticates only with Entra ID over OpenVPN",
  severity: "high",
  fix: "In vpn_client_configuration set vpn_auth_types = [\"AAD\"], vpn_client_protocols = [\"OpenVPN\"] and aad_tenant, aad_audience, aad_issuer",
  appliesTo: ["azurerm_virtual_network_gateway"],
  check(resource) {
    const p2s = block(resource.attributes.vpn_client_configuration);
    if (!isVpnGateway(resource) || !p2s) return NOT_APPLICABLE;
    const problems: string[] = [];
    const authTypes = strings(p2s.vpn_auth_types);
    if (authTypes.length === 0) {
      // Unset vpn_auth_types: Azure infers them from which credentials are configured.
      const other = ["root_certificate", "radius_server_address", "radius_server"].filter((field) => isSet(p2s[field]));
      if (other.length) problems.push(`${other.join(", ")} enable non-Entra authentication`);
    } else if (authTypes.length !== 1 || authTypes[0] !== "AAD") {
      problems.push(`vpn_auth_types is ${JSON.stringify(authTypes)}, expected ["AAD"]`);
    }
    const protocols = strings(p2s.vpn_client_protocols);
    if (protocols.length !== 1 || protocols[0] !== "OpenVPN") problems.push(`vpn_client_protocols is ${JSON.stringify(protocols)}, expected ["OpenVPN"]`);
    for (const field of ["aad_tenant", "aad_audience", "aad_issuer"]) {
      if (!isSet(p2s[field])) problems.push(`${field} is unset`);
    }
    return fromProblems(problems);
  },
};
