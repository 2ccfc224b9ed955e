import { LocalNetworkGateway } from "@cdktf/provider-azurerm/lib/local-network-gateway";
import { VirtualNetworkGatewayConnection } from "@cdktf/provider-azurerm/lib/virtual-network-gateway-connection";
import { Construct } from "constructs";
import { Netmask } from "netmask";
import { assertNoOverlaps, NamedCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";
import { GrantedAccess } from "../network/isolation";
import { checkBgpAsn } from "./bgp-asn";
import { ipsecPolicyFor, IpsecPolicy } from "./ipsec-policy";

/** One customer network reached through an IPsec tunnel. */
export interface CustomerSite {
  /** Stable name (3-32 lower-case letters, digits, dashes): it names the resources and the secret. */
  readonly name: string;
  /** The customer VPN device: a public IPv4 address or an FQDN. */
  readonly gatewayAddress: string;
  /** Customer networks reachable through the tunnel. */
  readonly addressSpaces: readonly string[];
  /** BGP peering; static routes when absent. */
  readonly bgp?: {
    /** The customer's BGP ASN; not one Azure or IANA reserves, e.g. a private one in 64512-65514. */
    readonly asn: number;
    /** IPv4 address of the customer device's BGP speaker that the gateway peers with. */
    readonly peeringAddress: string;
  };
  /**
   * Hub destinations the customer may reach (also the NSG grants, see network/isolation.ts): the
   * tunnel's local traffic selectors, so its IPsec SAs carry nothing else.
   */
  readonly access: readonly GrantedAccess[];
  /** IPsec/IKE policy. @default STRONG_IPSEC_POLICY */
  readonly ipsecPolicy?: IpsecPolicy;
  /**
   * Key Vault secret holding the pre-shared key. Terraform never reads it: the trusted apply step
   * (.github/scripts/set-vpn-shared-keys.sh) copies it onto the connection.
   * @default `s2s-psk-<name>`
   */
  readonly sharedKeySecretName?: string;
}

/** Props of {@link SiteToSiteVpn}. */
export interface SiteToSiteVpnProps {
  /** The VPN gateway the tunnels terminate on. */
  readonly gatewayId: string;
  /** Resource group for the local network gateways and connections. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Ranges on our side (VNet, P2S pools) no customer range may overlap. */
  readonly occupiedRanges: readonly NamedCidr[];
  /** The customers. */
  readonly customers: readonly CustomerSite[];
  /** GatewaySubnet range: a BGP customer's selectors include it, so its BGP session to the gateway's peering addresses passes. */
  readonly gatewaySubnetCidr: string;
}

const NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const FQDN = /^(?=.{4,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;
/** Addresses a customer VPN device on the internet can never have. */
const NON_PUBLIC = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"].map(
  (cidr) => new Netmask(cidr),
);
/** Dead peer detection: Azure's recommended value for faster failover between active-active instances. */
const DPD_TIMEOUT_SECONDS = 45;

function isIpv4(value: string): boolean {
  const match = IPV4.exec(value);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

/** Secret name holding a customer's pre-shared key. */
export function sharedKeySecretName(customer: CustomerSite): string {
  return customer.sharedKeySecretName ?? `s2s-psk-${customer.name}`;
}

/**
 * Site-to-site IPsec tunnels, one per customer: a local network gateway and an IKEv2 connection
 * with a strong custom IPsec/IKE policy. Each customer is its own child construct keyed by name,
 * so adding or removing one never changes another's resources.
 *
 * Pre-shared keys never pass through terraform configuration or plan: no Key Vault data source,
 * no `shared_key` argument. azurerm (4.55 pinned, still in 5.2) has no write-only `shared_key_wo`
 * and cdktf 0.21 has no ephemeral resources, so the key is set out of band: Azure creates each
 * connection with a random key it generates (nobody knows it, so no tunnel can come up with it), and
 * the trusted apply step copies the customer's key from Key Vault onto the connection.
 * `ignore_changes = [shared_key]` keeps terraform from ever planning a key change. Residual: the
 * provider's refresh reads the live key back into state (marked sensitive); see
 * docs/runbooks/site-to-site-customer.md.
 */
export class SiteToSiteVpn extends Construct {
  /** Connection per customer name. */
  public readonly connections: Readonly<Record<string, VirtualNetworkGatewayConnection>>;
  /** Azure names of the connections, in config order (what monitors look up). */
  public readonly connectionNames: readonly string[];
  /** Connection name -> Key Vault secret name of its pre-shared key, for the trusted apply step. */
  public readonly sharedKeySecretNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    checkAt(this, () => checkCustomers(props));
    const connections: Record<string, VirtualNetworkGatewayConnection> = {};
    for (const customer of props.customers) {
      const site = new Construct(this, customer.name);
      const local = new LocalNetworkGateway(site, "local-gateway", {
        name: `lgw-${customer.name}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        ...(isIpv4(customer.gatewayAddress) ? { gatewayAddress: customer.gatewayAddress } : { gatewayFqdn: customer.gatewayAddress }),
        addressSpace: [...customer.addressSpaces],
        bgpSettings: customer.bgp && { asn: customer.bgp.asn, bgpPeeringAddress: customer.bgp.peeringAddress },
      });
      connections[customer.name] = new VirtualNetworkGatewayConnection(site, "connection", {
        name: `cn-${customer.name}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        type: "IPsec",
        connectionProtocol: "IKEv2",
        virtualNetworkGatewayId: props.gatewayId,
        localNetworkGatewayId: local.id,
        enableBgp: customer.bgp !== undefined,
        dpdTimeoutSeconds: DPD_TIMEOUT_SECONDS,
        ipsecPolicy: ipsecPolicyFor(`customers[${customer.name}].ipsecPolicy`, customer.ipsecPolicy),
        // Isolation, first layer: the SAs carry only (granted hub ranges) x (this customer's ranges),
        // so packets to or from another customer or the P2S pool match no SA. Azure proposes custom
        // selectors only as initiator, hence InitiatorOnly (an IKEv2 responder may narrow, never widen).
        usePolicyBasedTrafficSelectors: true,
        connectionMode: "InitiatorOnly",
        trafficSelectorPolicy: [{ localAddressCidrs: localSelectors(customer, props.gatewaySubnetCidr), remoteAddressCidrs: [...customer.addressSpaces] }],
        lifecycle: { ignoreChanges: ["shared_key"] },
      });
    }
    this.connections = connections;
    this.connectionNames = props.customers.map((customer) => `cn-${customer.name}`);
    this.sharedKeySecretNames = Object.fromEntries(props.customers.map((customer) => [`cn-${customer.name}`, sharedKeySecretName(customer)]));
  }
}

/** Hub ranges a customer's tunnel carries: its grants, plus the GatewaySubnet for a BGP session. */
export function localSelectors(customer: CustomerSite, gatewaySubnetCidr: string): string[] {
  return [...new Set([...customer.access.map((grant) => grant.cidr), ...(customer.bgp ? [gatewaySubnetCidr] : [])])];
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
    if (customer.bgp) {
      checkBgpAsn(`customers[${customer.name}].bgp.asn`, customer.bgp.asn);
      if (!isIpv4(customer.bgp.peeringAddress)) {
        throw new ConfigError(`customers[${customer.name}].bgp.peeringAddress "${customer.bgp.peeringAddress}" must be an IPv4 address`);
      }
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
