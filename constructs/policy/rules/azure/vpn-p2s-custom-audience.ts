import { block } from "../../attributes";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { MICROSOFT_VPN_AUDIENCES } from "../../../azure/vpn/audiences";
import { isVpnGateway } from "./vpn-gateways";

/** Only assigned users can connect: Microsoft's multi-tenant VPN apps admit every user of the tenant. */
export const vpnP2sCustomAudience: PolicyRule = {
  id: "AZURE-VPN-006",
  externalIds: [],
  description: "Point-to-site Entra ID sign-in uses a custom audience (assignment required), not Microsoft's multi-tenant Azure VPN Client app",
  severity: "high",
  fix: "Set the audience (azure_active_directory_authentication.audience, or aad_audience on a VNet gateway) to your own app registration's application id with assignment required for the admins' group (vpn.pointToSite.audience)",
  appliesTo: ["azurerm_virtual_network_gateway", "azurerm_vpn_server_configuration"],
  check(resource) {
    const [field, value] =
      resource.type === "azurerm_vpn_server_configuration"
        ? ["azure_active_directory_authentication.audience", block(resource.attributes.azure_active_directory_authentication)?.audience]
        : ["aad_audience", isVpnGateway(resource) ? block(resource.attributes.vpn_client_configuration)?.aad_audience : undefined];
    if (value === undefined) return NOT_APPLICABLE;
    const audience = String(value).toLowerCase();
    return MICROSOFT_VPN_AUDIENCES.includes(audience)
      ? nonCompliant(`${field} is ${audience}, Microsoft's multi-tenant Azure VPN Client app: every user of the tenant can connect`)
      : COMPLIANT;
  },
};
