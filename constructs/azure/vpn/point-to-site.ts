import { PointToSiteVpnGateway } from "@cdktf/provider-azurerm/lib/point-to-site-vpn-gateway";
import { VpnServerConfiguration, VpnServerConfigurationConfig } from "@cdktf/provider-azurerm/lib/vpn-server-configuration";
import { Construct } from "constructs";
import { parseCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { vpnP2sCustomAudience } from "../../policy/rules/azure/vpn-p2s-custom-audience";
import { suppressRule } from "../../policy/suppressions";
import { checkAt } from "../core/check-at";
import { MICROSOFT_VPN_AUDIENCES } from "./audiences";
import { checkScaleUnits } from "./scale-units";


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

/** Shortest reason accepted for using a Microsoft audience. */
export const MIN_DEFAULT_AUDIENCE_REASON = 20;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

/**
 * The VPN server configuration for point-to-site: OpenVPN only (the one protocol that supports
 * Entra ID), Entra ID tenant/audience/issuer, and optional public root certificates.
 * Threat: with a Microsoft multi-tenant audience anyone in the tenant can open a tunnel into the
 * hub; a custom audience with assignment required limits that to the DB admins' group.
 * Throws a ConfigError (without a construct path; the gateway adds its own) on bad input.
 */
export function pointToSiteConfiguration(props: PointToSiteProps): Pick<VpnServerConfigurationConfig, "vpnAuthenticationTypes" | "vpnProtocols" | "azureActiveDirectoryAuthentication" | "clientRootCertificate"> {
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
    vpnProtocols: ["OpenVPN"],
    vpnAuthenticationTypes: rootCertificates.length > 0 ? ["AAD", "Certificate"] : ["AAD"],
    azureActiveDirectoryAuthentication: [
      {
        tenant: `https://login.microsoftonline.com/${props.tenantId}/`,
        audience,
        issuer: `https://sts.windows.net/${props.tenantId}/`,
      },
    ],
    clientRootCertificate: rootCertificates.map((cert) => ({ name: cert.name, publicCertData: cert.publicCertData })),
  };
}

/** Props of {@link PointToSiteVpn}. */
export interface PointToSiteVpnProps {
  /** Name of the point-to-site gateway in the hub (its server configuration is `<name>-config`). */
  readonly gatewayName: string;
  /** The secured virtual hub. */
  readonly virtualHubId: string;
  /** Resource group. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Gateway scale units: each is 500 Mbps and 500 concurrent clients. @default 1 */
  readonly scaleUnits?: number;
  /** Sign-in and client pools. */
  readonly pointToSite: PointToSiteProps;
}

/** Default scale units of the point-to-site gateway. */
export const DEFAULT_P2S_SCALE_UNITS = 1;
/** Most scale units a Virtual WAN point-to-site gateway takes. */
export const MAX_P2S_SCALE_UNITS = 200;

/**
 * Point-to-site for database administrators on the Virtual WAN hub: a VPN server configuration
 * (OpenVPN, Entra ID with the custom audience) and a point-to-site gateway handing out the client
 * pool. The clients land in the secured hub, where routing intent sends every flow from the pool
 * through the firewall; its policy admits them to their database endpoints only.
 */
export class PointToSiteVpn extends Construct {
  /** The server configuration (who may sign in, how). */
  public readonly serverConfiguration: VpnServerConfiguration;
  /** The hub's point-to-site gateway. */
  public readonly gateway: PointToSiteVpnGateway;

  constructor(scope: Construct, id: string, props: PointToSiteVpnProps) {
    super(scope, id);
    const scaleUnits = props.scaleUnits ?? DEFAULT_P2S_SCALE_UNITS;
    const configuration = checkAt(this, () => {
      checkScaleUnits("vpn.pointToSite.scaleUnits", scaleUnits, MAX_P2S_SCALE_UNITS);
      return pointToSiteConfiguration(props.pointToSite);
    });
    this.serverConfiguration = new VpnServerConfiguration(this, "server-configuration", {
      name: `${props.gatewayName}-config`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      ...configuration,
    });
    this.gateway = new PointToSiteVpnGateway(this, "gateway", {
      name: props.gatewayName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      virtualHubId: props.virtualHubId,
      vpnServerConfigurationId: this.serverConfiguration.id,
      scaleUnit: scaleUnits,
      connectionConfiguration: [
        {
          name: "db-admins",
          vpnClientAddressPool: { addressPrefixes: [...props.pointToSite.addressPool] },
          // No default route to VPN clients: they reach only private ranges, through the firewall.
          internetSecurityEnabled: false,
        },
      ],
    });
    if (props.pointToSite.defaultAudienceReason) {
      suppressRule(this.serverConfiguration, vpnP2sCustomAudience.id, `point-to-site uses Microsoft's audience: ${props.pointToSite.defaultAudienceReason}`);
    }
  }
}
