/**
 * The ARM template that deploys one Virtual WAN site-to-site connection, and the parameters that
 * hand it the pre-shared key as a Key Vault reference.
 *
 * Why a template and not azurerm_vpn_gateway_connection: that resource's read copies each link's
 * `shared_key` from Azure into terraform state. A template deployment stores only the template and
 * its parameters; a Key Vault reference parameter is resolved by Azure Resource Manager on the
 * server side (the vault must allow template deployment and the deploying identity needs
 * Microsoft.KeyVault/vaults/deploy/action), so the key is in neither plan nor state.
 */
import type { VirtualNetworkGatewayConnectionIpsecPolicy } from "@cdktf/provider-azurerm/lib/virtual-network-gateway-connection";

/** ARM resource type of a Virtual WAN VPN connection. */
export const VPN_CONNECTION_TYPE = "Microsoft.Network/vpnGateways/vpnConnections";
/**
 * ARM API version the template uses for the connection. At least 2023-11-01: earlier versions have
 * no `dpdTimeoutSeconds` on a link connection (it sat on the connection), so the link property this
 * template sets would not be part of the request's schema. 2025-01-01 is the version azurerm 4.55
 * itself sends for vpnConnections with link-level DPD and a link `sharedKey`.
 */
export const VPN_CONNECTION_API_VERSION = "2025-01-01";
/** Name of the template's secure parameter. */
export const SHARED_KEY_PARAMETER = "sharedKey";
/** Dead peer detection timeout: Azure's recommended value for faster failover between instances. */
const DPD_TIMEOUT_SECONDS = 45;

/** What one connection needs. */
export interface VpnConnectionTemplateProps {
  /** The hub's site-to-site gateway name. */
  readonly gatewayName: string;
  /** Connection name (`cn-<customer>`). */
  readonly connectionName: string;
  /** The customer's VPN site. */
  readonly siteId: string;
  /** The site's link. */
  readonly siteLinkId: string;
  /** The checked IPsec/IKE policy (ipsec-policy.ts). */
  readonly ipsecPolicy: VirtualNetworkGatewayConnectionIpsecPolicy;
}

/**
 * An incremental-mode template with one vpnConnections resource: IKEv2, static routing (no BGP),
 * the custom IPsec/IKE policy, no internet security (no default route to customers), no outputs (nothing read back).
 */
export function vpnConnectionTemplate(props: VpnConnectionTemplateProps): Record<string, unknown> {
  const p = props.ipsecPolicy;
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: { [SHARED_KEY_PARAMETER]: { type: "securestring" } },
    resources: [
      {
        type: VPN_CONNECTION_TYPE,
        apiVersion: VPN_CONNECTION_API_VERSION,
        name: `${props.gatewayName}/${props.connectionName}`,
        properties: {
          remoteVpnSite: { id: props.siteId },
          enableInternetSecurity: false,
          vpnLinkConnections: [
            {
              name: props.connectionName,
              properties: {
                vpnSiteLink: { id: props.siteLinkId },
                sharedKey: `[parameters('${SHARED_KEY_PARAMETER}')]`,
                vpnConnectionProtocolType: "IKEv2",
                // Static routing: the hub installs only the site's address_cidrs (site-to-site-vpn.ts).
                enableBgp: false,
                usePolicyBasedTrafficSelectors: false,
                dpdTimeoutSeconds: DPD_TIMEOUT_SECONDS,
                ipsecPolicies: [
                  {
                    saLifeTimeSeconds: p.saLifetime,
                    saDataSizeKilobytes: p.saDatasize,
                    ipsecEncryption: p.ipsecEncryption,
                    ipsecIntegrity: p.ipsecIntegrity,
                    ikeEncryption: p.ikeEncryption,
                    ikeIntegrity: p.ikeIntegrity,
                    dhGroup: p.dhGroup,
                    pfsGroup: p.pfsGroup,
                  },
                ],
              },
            },
          ],
        },
      },
    ],
    outputs: {},
  };
}

/**
 * The deployment's parameters: the shared key as a reference to a Key Vault secret, never a value.
 * A pinned `secretVersion` makes a rotation a reviewed change: a new version id changes the
 * parameters, so terraform redeploys the template and ARM sets the new key on the connection.
 */
export function sharedKeyReference(keyVaultId: string, secretName: string, secretVersion?: string): Record<string, unknown> {
  return { [SHARED_KEY_PARAMETER]: { reference: { keyVault: { id: keyVaultId }, secretName, ...(secretVersion ? { secretVersion } : {}) } } };
}

/** The vpnConnections resources of a synthesized template_content (for policy rules and the reachability model). */
export function vpnConnectionsIn(templateContent: unknown): Record<string, any>[] {
  if (typeof templateContent !== "string") return [];
  try {
    const template = JSON.parse(templateContent) as { resources?: Record<string, any>[] };
    return (template.resources ?? []).filter((r) => r.type === VPN_CONNECTION_TYPE);
  } catch {
    return [];
  }
}
