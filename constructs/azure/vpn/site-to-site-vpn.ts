import { ResourceGroupTemplateDeployment } from "@cdktf/provider-azurerm/lib/resource-group-template-deployment";
import { VpnGateway } from "@cdktf/provider-azurerm/lib/vpn-gateway";
import { VpnSite } from "@cdktf/provider-azurerm/lib/vpn-site";
import { Construct } from "constructs";
import { Netmask } from "netmask";
import { assertNoOverlaps, NamedCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";
import { GrantedAccess } from "../network/isolation";
import { ipsecPolicyFor, IpsecPolicy } from "./ipsec-policy";
import { checkScaleUnits } from "./scale-units";
import { CUSTOMER_BGP_REFUSED } from "./static-routing";
import { sharedKeyReference, vpnConnectionTemplate } from "./vpn-connection-template";

/** One customer network reached through an IPsec tunnel. */
export interface CustomerSite {
  /** Stable name (3-32 lower-case letters, digits, dashes): it names the resources and the secret. */
  readonly name: string;
  /** The customer VPN device: a public IPv4 address or an FQDN. */
  readonly gatewayAddress: string;
  /**
   * Customer networks reachable through the tunnel: the only routes the hub installs for this
   * customer's connection (static routing; customers never run BGP, see {@link SiteToSiteVpn}).
   */
  readonly addressSpaces: readonly string[];
  /**
   * Spoke destinations the customer may reach: the hub firewall's only allow rules for it and the
   * spoke NSGs' grants (network/isolation.ts, network/firewall-rules.ts).
   */
  readonly access: readonly GrantedAccess[];
  /** IPsec/IKE policy. @default STRONG_IPSEC_POLICY */
  readonly ipsecPolicy?: IpsecPolicy;
  /**
   * Key Vault secret holding the pre-shared key. Terraform never reads it: Azure Resource Manager
   * resolves it while deploying the connection (an ARM Key Vault reference).
   * @default `s2s-psk-<name>`
   */
  readonly sharedKeySecretName?: string;
  /**
   * Key Vault secret version to deploy (32 hex characters). Pinning it makes a key rotation a
   * reviewed change: the new version id redeploys the connection with the new key.
   * @default the latest version when the connection is deployed (a rotation then needs a redeploy)
   */
  readonly sharedKeyVersion?: string;
}

/** Props of {@link SiteToSiteVpn}. */
export interface SiteToSiteVpnProps {
  /** Name of the site-to-site VPN gateway in the hub. */
  readonly gatewayName: string;
  /** The secured virtual hub the gateway lives in. */
  readonly virtualHubId: string;
  /** The virtual WAN the customers' VPN sites belong to. */
  readonly virtualWanId: string;
  /** Resource group for the gateway, sites and connections. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /**
   * Gateway scale units: each is 500 Mbps of aggregate site-to-site throughput (both instances).
   * @default 1
   */
  readonly scaleUnits?: number;
  /** Ranges on our side (hub, spoke VNet, P2S pools) no customer range may overlap. */
  readonly occupiedRanges: readonly NamedCidr[];
  /** The customers. */
  readonly customers: readonly CustomerSite[];
  /**
   * Resource id of the Key Vault holding the pre-shared keys: each connection's key is an ARM Key
   * Vault reference resolved by Azure Resource Manager, never by terraform.
   */
  readonly keyVaultId: string;
}

/** Default scale units of the site-to-site gateway (500 Mbps). */
export const DEFAULT_S2S_SCALE_UNITS = 1;
/** Most scale units a Virtual WAN site-to-site gateway takes (20 Gbps). */
export const MAX_S2S_SCALE_UNITS = 40;
/** Name of each customer's only VPN site link (one device per customer). */
export const SITE_LINK_NAME = "primary";

const NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const FQDN = /^(?=.{4,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;
/** Addresses a customer VPN device on the internet can never have. */
const NON_PUBLIC = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"].map(
  (cidr) => new Netmask(cidr),
);

function isIpv4(value: string): boolean {
  const match = IPV4.exec(value);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

/** Secret name holding a customer's pre-shared key. */
export function sharedKeySecretName(customer: CustomerSite): string {
  return customer.sharedKeySecretName ?? `s2s-psk-${customer.name}`;
}

/**
 * Site-to-site IPsec for customers on a Virtual WAN hub: one VPN gateway in the secured hub
 * (active-active across two instances), and per customer a VPN site (its device and ranges) and an
 * IKEv2 connection with a strong custom IPsec/IKE policy. Each customer is its own child construct
 * keyed by name, so adding or removing one never changes another's resources. Routing intent sends
 * every flow from a customer through the hub firewall (network/secured-hub.ts).
 *
 * Customers use static routing only: no site link has BGP and every connection sets
 * `enableBgp: false`, so the routes the hub installs for a connection are exactly the site's
 * `address_cidrs` (checked at synth to overlap nothing of ours nor another customer), and the hub
 * advertises nothing to the customer. Over BGP a customer's device could advertise a more specific
 * prefix of the spoke (the hub prefers the longest match) or another customer's range and draw
 * traffic the firewall allows towards itself, and it would learn every other branch's prefixes.
 * Microsoft documents no filter of branch advertisements against connected VNets, and the hub
 * selects the longest prefix match first ("Virtual hub routing preference"). Route maps could
 * filter, but the docs read here do not confirm they work alongside routing intent
 * (docs/network-isolation.md).
 *
 * Pre-shared keys never pass through terraform plan or state. azurerm_vpn_gateway_connection's
 * read copies `vpn_link[].shared_key` from Azure into state, so the connection is deployed by an
 * ARM template (azurerm_resource_group_template_deployment) whose `sharedKey` parameter is a Key
 * Vault reference: Azure Resource Manager reads the secret server-side while deploying. Terraform
 * holds the template and the reference (vault id and secret name), never the key; the deployment
 * has no outputs. Trade-off: terraform sees drift only in the template and parameters it sent,
 * not in the live connection (see docs/network-isolation.md).
 */
export class SiteToSiteVpn extends Construct {
  /** The hub's site-to-site gateway. */
  public readonly gateway: VpnGateway;
  /** VPN site per customer name. */
  public readonly sites: Readonly<Record<string, VpnSite>>;
  /** Connection (as an ARM deployment) per customer name. */
  public readonly connections: Readonly<Record<string, ResourceGroupTemplateDeployment>>;
  /** Azure names of the connections, in config order (what monitors look up). */
  public readonly connectionNames: readonly string[];
  /** Connection name -> Key Vault secret name of its pre-shared key. */
  public readonly sharedKeySecretNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    const scaleUnits = props.scaleUnits ?? DEFAULT_S2S_SCALE_UNITS;
    checkAt(this, () => {
      checkScaleUnits("vpn.scaleUnits", scaleUnits, MAX_S2S_SCALE_UNITS);
      checkCustomers(props);
    });
    this.gateway = new VpnGateway(this, "gateway", {
      name: props.gatewayName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      virtualHubId: props.virtualHubId,
      scaleUnit: scaleUnits,
    });
    const sites: Record<string, VpnSite> = {};
    const connections: Record<string, ResourceGroupTemplateDeployment> = {};
    for (const customer of props.customers) {
      const scope = new Construct(this, customer.name);
      const site = new VpnSite(scope, "site", {
        name: `vst-${customer.name}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        virtualWanId: props.virtualWanId,
        addressCidrs: [...customer.addressSpaces],
        link: [
          {
            name: SITE_LINK_NAME,
            ...(isIpv4(customer.gatewayAddress) ? { ipAddress: customer.gatewayAddress } : { fqdn: customer.gatewayAddress }),
          },
        ],
      });
      sites[customer.name] = site;
      const name = `cn-${customer.name}`;
      connections[customer.name] = new ResourceGroupTemplateDeployment(scope, "connection", {
        name,
        resourceGroupName: props.resourceGroupName,
        // Incremental: the deployment touches only the connection it declares.
        deploymentMode: "Incremental",
        templateContent: JSON.stringify(
          vpnConnectionTemplate({
            gatewayName: this.gateway.name,
            connectionName: name,
            siteId: site.id,
            siteLinkId: `${site.id}/vpnSiteLinks/${SITE_LINK_NAME}`,
            ipsecPolicy: ipsecPolicyFor(`customers[${customer.name}].ipsecPolicy`, customer.ipsecPolicy),
          }),
        ),
        parametersContent: JSON.stringify(sharedKeyReference(props.keyVaultId, sharedKeySecretName(customer), customer.sharedKeyVersion)),
      });
    }
    this.sites = sites;
    this.connections = connections;
    this.connectionNames = props.customers.map((customer) => `cn-${customer.name}`);
    this.sharedKeySecretNames = Object.fromEntries(props.customers.map((customer) => [`cn-${customer.name}`, sharedKeySecretName(customer)]));
  }
}

function checkCustomers(props: SiteToSiteVpnProps): void {
  const seen = new Set<string>();
  for (const [index, customer] of props.customers.entries()) {
    const field = `customers[${index}]`;
    if (!NAME.test(customer.name)) {
      throw new ConfigError(`${field}.name "${customer.name}" must be 3-32 lower-case letters, digits or dashes`);
    }
    if (seen.has(customer.name)) {
      throw new ConfigError(`${field}.name "${customer.name}" is used by another customer; customer names must be unique`);
    }
    seen.add(customer.name);
    checkGatewayAddress(`customers[${customer.name}].gatewayAddress`, customer.gatewayAddress);
    if (customer.addressSpaces.length === 0) {
      throw new ConfigError(`customers[${customer.name}].addressSpaces is empty; list the customer networks reached through the tunnel`);
    }
    if (customer.access.length === 0) {
      throw new ConfigError(`customers[${customer.name}].access is empty: the customer could reach nothing through its tunnel; grant the hub services it uses ({ cidr, ports })`);
    }
    // Untyped callers (plain JS, config that bypassed the schema) could still pass the old field.
    if ("bgp" in customer) {
      throw new ConfigError(`customers[${customer.name}].bgp ${JSON.stringify((customer as { bgp?: unknown }).bgp)}: ${CUSTOMER_BGP_REFUSED}`);
    }
    if (customer.sharedKeyVersion !== undefined && !/^[0-9a-f]{32}$/.test(customer.sharedKeyVersion)) {
      throw new ConfigError(`customers[${customer.name}].sharedKeyVersion "${customer.sharedKeyVersion}" is not a Key Vault secret version (32 lower-case hex characters, the last part of the secret's id)`);
    }
    // Strength is checked here too so every problem surfaces before any resource is built.
    ipsecPolicyFor(`customers[${customer.name}].ipsecPolicy`, customer.ipsecPolicy);
  }
  const customerRanges = props.customers.flatMap((customer) =>
    customer.addressSpaces.map((cidr, i) => ({ name: `customers[${customer.name}].addressSpaces[${i}]`, cidr })),
  );
  assertNoOverlaps(
    [...props.occupiedRanges, ...customerRanges],
    "every customer needs its own range outside the hub VNet and the point-to-site pool (agree a NAT range with the customer if needed)",
  );
}

function checkGatewayAddress(field: string, address: string): void {
  if (isIpv4(address)) {
    const blocked = NON_PUBLIC.find((block) => block.contains(address));
    if (blocked) {
      throw new ConfigError(`${field} "${address}" is not a public address (inside ${blocked.toString()}); use the customer VPN device's public IPv4 address or FQDN`);
    }
    return;
  }
  if (IPV4.test(address) || !FQDN.test(address)) {
    throw new ConfigError(`${field} "${address}" is neither a public IPv4 address nor an FQDN; use e.g. 192.0.2.10 or vpn.customer.example`);
  }
}
