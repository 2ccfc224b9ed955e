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
  fix: "Set aad_audience to your own app registration's application id with assignment required for the admins' group (VpnGateway pointToSite.audience)",
  appliesTo: ["azurerm_virtual_network_gateway"],
  check(resource) {
    const p2s = block(resource.attributes.vpn_client_configuration);
    if (!isVpnGateway(resource) || !p2s || p2s.aad_audience === undefined) return NOT_APPLICABLE;
    const audience = String(p2s.aad_audience).toLowerCase();
    return MICROSOFT_VPN_AUDIENCES.includes(audience)
      ? nonCompliant(`aad_audience is ${audience}, Microsoft's multi-tenant Azure VPN Client app: every user of the tenant can connect`)
      : COMPLIANT;
  },
};
