import { block, isSet, strings } from "../../attributes";
import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { isVpnGateway } from "./vpn-gateways";

/** Remote users authenticate with Entra ID (MFA, conditional access), not certificates or RADIUS secrets. */
export const vpnP2sEntra: PolicyRule = {
  id: "AZURE-VPN-005",
  externalIds: [],
  description: "Point-to-site VPN authenticates only with Entra ID over OpenVPN",
  severity: "high",
  fix: "Virtual WAN: in azurerm_vpn_server_configuration set vpn_authentication_types = [\"AAD\"], vpn_protocols = [\"OpenVPN\"] and azure_active_directory_authentication { tenant, audience, issuer }; VNet gateway: vpn_client_configuration vpn_auth_types = [\"AAD\"], vpn_client_protocols = [\"OpenVPN\"], aad_tenant, aad_audience, aad_issuer",
  appliesTo: ["azurerm_virtual_network_gateway", "azurerm_vpn_server_configuration"],
  check(resource) {
    if (resource.type === "azurerm_vpn_server_configuration") return checkServerConfiguration(resource.attributes);
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

/** A Virtual WAN VPN server configuration: Entra ID only, OpenVPN only, tenant/audience/issuer set. */
function checkServerConfiguration(a: Readonly<Record<string, unknown>>) {
  const problems: string[] = [];
  const authTypes = strings(a.vpn_authentication_types);
  if (authTypes.length !== 1 || authTypes[0] !== "AAD") problems.push(`vpn_authentication_types is ${JSON.stringify(authTypes)}, expected ["AAD"]`);
  const protocols = strings(a.vpn_protocols);
  if (protocols.length !== 1 || protocols[0] !== "OpenVPN") problems.push(`vpn_protocols is ${JSON.stringify(protocols)}, expected ["OpenVPN"]`);
  const aad = block(a.azure_active_directory_authentication);
  for (const field of ["tenant", "audience", "issuer"]) if (!aad || !isSet(aad[field])) problems.push(`azure_active_directory_authentication.${field} is unset`);
  return fromProblems(problems);
}
