import type { VirtualNetworkGatewayVpnClientConfiguration } from "@cdktf/provider-azurerm/lib/virtual-network-gateway";
import { parseCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";

/** A trusted root certificate for certificate-based P2S authentication. */
export interface PointToSiteRootCertificate {
  /** Display name. */
  readonly name: string;
  /** Base64 DER of the public root certificate (the PEM body without header lines). Never a private key. */
  readonly publicCertData: string;
}

/** Point-to-site VPN for database administrators: OpenVPN with Entra ID sign-in to a custom audience. */
export interface PointToSiteProps {
  /** Client address pools; must not overlap the VNet or any network reached through the gateway. */
  readonly addressPool: readonly string[];
  /** Entra ID tenant users sign in to. */
  readonly tenantId: string;
  /**
   * Application (client) id of the app registration the Azure VPN Client requests a token for: a
   * custom audience whose enterprise application has "assignment required" on and only the DB
   * admins' group assigned (docs/runbooks/point-to-site-db-admin.md), so nobody else gets a token
   * for it. Microsoft's multi-tenant Azure VPN Client apps are refused unless
   * `defaultAudienceReason` is given.
   */
  readonly audience: string;
  /** Entra ID group (object id) of the DB admins, the only principal assigned to the custom audience. Required with a custom audience. */
  readonly adminGroupObjectId?: string;
  /**
   * Why Microsoft's multi-tenant audience is acceptable here (at least 20 characters); with it,
   * any user of the tenant can connect, and the policy finding AZURE-VPN-006 is suppressed with this reason.
   * @default none: the Microsoft audiences are refused
   */
  readonly defaultAudienceReason?: string;
  /** Optional certificate authentication in addition to Entra ID. @default [] */
  readonly rootCertificates?: readonly PointToSiteRootCertificate[];
}

/**
 * Microsoft-registered, multi-tenant Azure VPN Client applications: any user of the tenant can get a
 * token for them (no assignment can be required), so they do not limit who connects.
 */
export const MICROSOFT_VPN_AUDIENCES: readonly string[] = [
  "c632b3df-fb67-4d84-bdcf-b95ad541b5c8", // Azure VPN Client, Microsoft-registered (public cloud)
  "41b23e61-6c1e-4545-b367-cd054e0ed4b4", // "Azure VPN" app, the earlier manually consented registration
];
/** Shortest reason accepted for using a Microsoft audience. */
export const MIN_DEFAULT_AUDIENCE_REASON = 20;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

/**
 * The gateway's `vpn_client_configuration` for point-to-site: OpenVPN only (the one protocol that
 * supports Entra ID), Entra ID tenant/audience/issuer, and optional public root certificates.
 * Threat: with a Microsoft multi-tenant audience anyone in the tenant can open a tunnel into the
 * hub; a custom audience with assignment required limits that to the DB admins' group.
 * Throws a ConfigError (without a construct path; the gateway adds its own) on bad input.
 */
export function pointToSiteConfiguration(props: PointToSiteProps): VirtualNetworkGatewayVpnClientConfiguration {
  const audience = props.audience;
  const rootCertificates = props.rootCertificates ?? [];
  if (props.addressPool.length === 0) {
    throw new ConfigError("pointToSite.addressPool is empty; give the VPN clients an address range outside the VNet");
  }
  props.addressPool.forEach((pool, i) => parseCidr(`pointToSite.addressPool[${i}]`, pool));
  for (const [field, value] of [["tenantId", props.tenantId], ["audience", audience]] as const) {
    if (!GUID.test(value)) throw new ConfigError(`pointToSite.${field} "${value}" must be a GUID (the ${field === "audience" ? "app registration's application (client) id" : "tenant id"})`);
  }
  if (MICROSOFT_VPN_AUDIENCES.includes(audience.toLowerCase())) {
    if ((props.defaultAudienceReason ?? "").trim().length < MIN_DEFAULT_AUDIENCE_REASON) {
      throw new ConfigError(
        `pointToSite.audience "${audience}" is Microsoft's multi-tenant Azure VPN Client app: every user of the tenant can connect. Register a custom audience with assignment required for the DB admins' group (docs/runbooks/point-to-site-db-admin.md), or opt in with allowDefaultAudience.reason (at least ${MIN_DEFAULT_AUDIENCE_REASON} characters)`,
      );
    }
  } else if (!props.adminGroupObjectId || !GUID.test(props.adminGroupObjectId)) {
    throw new ConfigError(
      `pointToSite.adminGroupObjectId "${props.adminGroupObjectId ?? ""}" must be the object id (GUID) of the DB admins' Entra group, the only principal assigned to audience ${audience}`,
    );
  }
  rootCertificates.forEach((cert, i) => {
    if (/PRIVATE KEY/.test(cert.publicCertData)) {
      throw new ConfigError(`pointToSite.rootCertificates[${i}] (${cert.name}) contains a private key; supply only the public certificate data`);
    }
    if (!BASE64.test(cert.publicCertData)) {
      throw new ConfigError(`pointToSite.rootCertificates[${i}] (${cert.name}) must be base64 certificate data without BEGIN/END lines`);
    }
  });
  return {
    addressSpace: [...props.addressPool],
    vpnClientProtocols: ["OpenVPN"],
    vpnAuthTypes: rootCertificates.length > 0 ? ["AAD", "Certificate"] : ["AAD"],
    aadTenant: `https://login.microsoftonline.com/${props.tenantId}/`,
    aadAudience: audience,
    aadIssuer: `https://sts.windows.net/${props.tenantId}/`,
    rootCertificate: rootCertificates.map((cert) => ({ name: cert.name, publicCertData: cert.publicCertData })),
  };
}
