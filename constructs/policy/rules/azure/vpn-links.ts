/**
 * The site-to-site tunnels a synthesized resource defines, whatever the resource: a VNet gateway
 * connection, a Virtual WAN connection (azurerm_vpn_gateway_connection, one per vpn_link), or a
 * Virtual WAN connection deployed by an ARM template (azurerm_resource_group_template_deployment,
 * which is how the pre-shared key stays out of state). Rules check the tunnels, not the wrapper.
 */
import { block, blocks } from "../../attributes";
import { PolicyResource } from "../../rule";

/** One tunnel: its IKE version and its IPsec/IKE policy in the VNet gateway connection's field names. */
export interface VpnLink {
  /** Where in the resource, for messages: "" or "vpn_link[0]" or "template vpnConnections cn-acme". */
  readonly where: string;
  /** "IKEv2", "IKEv1"; undefined = the resource's default (IKEv2 for all three). */
  readonly protocol?: unknown;
  /** The custom policy, undefined when none is pinned. */
  readonly ipsecPolicy?: Record<string, unknown>;
  /** Whether the tunnel runs BGP; undefined = the resource's default (off for all three). */
  readonly bgp?: unknown;
  /** The resource's name for that switch, for messages. */
  readonly bgpField: string;
}

/** Resource types that define site-to-site tunnels. */
export const VPN_LINK_TYPES = ["azurerm_virtual_network_gateway_connection", "azurerm_vpn_gateway_connection", "azurerm_resource_group_template_deployment"];
const ARM_CONNECTION = "Microsoft.Network/vpnGateways/vpnConnections";

/** The tunnels `resource` defines; [] when it defines none (e.g. a template deploying something else). */
export function vpnLinks(resource: PolicyResource): VpnLink[] {
  const a = resource.attributes;
  switch (resource.type) {
    case "azurerm_virtual_network_gateway_connection":
      return a.type === "IPsec" ? [{ where: "", protocol: a.connection_protocol, ipsecPolicy: block(a.ipsec_policy), bgp: a.bgp_enabled, bgpField: "bgp_enabled" }] : [];
    case "azurerm_vpn_gateway_connection":
      return blocks(a.vpn_link).map((link, i) => {
        const p = block(link.ipsec_policy);
        return {
          where: `vpn_link[${i}] `,
          protocol: link.protocol,
          bgp: link.bgp_enabled,
          bgpField: "bgp_enabled",
          ipsecPolicy: p && {
            ike_encryption: p.ike_encryption_algorithm, ike_integrity: p.ike_integrity_algorithm, dh_group: p.dh_group,
            ipsec_encryption: p.encryption_algorithm, ipsec_integrity: p.integrity_algorithm, pfs_group: p.pfs_group,
          },
        };
      });
    case "azurerm_resource_group_template_deployment":
      return armConnections(a.template_content).flatMap((connection) =>
        blocks(connection.properties?.vpnLinkConnections).map((link) => {
          const props = (link.properties ?? {}) as Record<string, any>;
          const p = (props.ipsecPolicies ?? [])[0] as Record<string, unknown> | undefined;
          return {
            where: `template ${connection.name} link ${String(link.name)}: `,
            protocol: props.vpnConnectionProtocolType,
            bgp: props.enableBgp,
            bgpField: "enableBgp",
            ipsecPolicy: p && {
              ike_encryption: p.ikeEncryption, ike_integrity: p.ikeIntegrity, dh_group: p.dhGroup,
              ipsec_encryption: p.ipsecEncryption, ipsec_integrity: p.ipsecIntegrity, pfs_group: p.pfsGroup,
            },
          };
        }),
      );
    default:
      return [];
  }
}

function armConnections(templateContent: unknown): Record<string, any>[] {
  if (typeof templateContent !== "string") return [];
  try {
    const resources = (JSON.parse(templateContent) as { resources?: Record<string, any>[] }).resources ?? [];
    return resources.filter((r) => r.type === ARM_CONNECTION);
  } catch {
    return [];
  }
}
