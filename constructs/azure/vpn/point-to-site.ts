import { VirtualNetworkGatewayVpnClientConfiguration } from "@cdktf/provider-azurerm/lib/virtual-network-gateway";
import { parseCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";

/** A trusted root certificate for certificate-based P2S authentication. */
export interface PointToSiteRootCertificate {
  /** Display name. */
  readonly name: string;
  /** Base64 DER of the public root certificate (the PEM body without header lines). Never a private key. */
  readonly publicCertData: string;
}

/** Point-to-site VPN for administrators: OpenVPN with Entra ID sign-in. */
export interface PointToSiteProps {
  /** Client address pools; must not overlap the VNet or any network reached through the gateway. */
  readonly addressPool: readonly string[];
  /** Entra ID tenant users sign in to. */
  readonly tenantId: string;
  /**
   * Application id the Azure VPN Client requests a token for.
   * @default "c632b3df-fb67-4d84-bdcf-b95ad541b5c8" (the Microsoft-registered Azure VPN Client)
   */
  readonly audience?: string;
  /** Optional certificate authentication in addition to Entra ID. @default [] */
  readonly rootCertificates?: readonly PointToSiteRootCertificate[];
}

const DEFAULT_AUDIENCE = "c632b3df-fb67-4d84-bdcf-b95ad541b5c8";
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

/**
 * The gateway's `vpn_client_configuration` for point-to-site: OpenVPN only (the one protocol that
 * supports Entra ID), Entra ID tenant/audience/issuer, and optional public root certificates.
 * Throws a ConfigError (without a construct path; the gateway adds its own) on bad input.
 */
export function pointToSiteConfiguration(props: PointToSiteProps): VirtualNetworkGatewayVpnClientConfiguration {
  const audience = props.audience ?? DEFAULT_AUDIENCE;
  const rootCertificates = props.rootCertificates ?? [];
  if (props.addressPool.length === 0) {
    throw new ConfigError("pointToSite.addressPool is empty; give the VPN clients an address range outside the VNet");
  }
  props.addressPool.forEach((pool, i) => parseCidr(`pointToSite.addressPool[${i}]`, pool));
  for (const [field, value] of [["tenantId", props.tenantId], ["audience", audience]] as const) {
    if (!GUID.test(value)) throw new ConfigError(`pointToSite.${field} "${value}" must be a GUID`);
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
