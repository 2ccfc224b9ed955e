/**
 * Who arrives through the Virtual WAN hub, and what each may reach: the config side of network
 * isolation, shared by the hub firewall's policy (firewall-rules.ts), the spoke's NSGs and the
 * reachability check that proves the result.
 *
 * Threat: every customer network and the point-to-site pool are inside Azure's `VirtualNetwork`
 * service tag, so the default `AllowVnetInBound` would let any of them reach any port of any spoke
 * subnet the firewall lets them to. The NSG rules here deny each customer range and the P2S pool
 * ahead of any broad allow, after allowing exactly the ports config grants: defense in depth
 * behind the firewall.
 */
import { NetworkSecurityGroupSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-group";
import { overlaps, parseCidr, within } from "../../core/cidr";
import { ConfigError } from "../../errors";

/** A spoke destination a customer may reach. */
export interface GrantedAccess {
  /** Destination range inside the spoke VNet (a load balancer IP, a subnet). */
  readonly cidr: string;
  /** Destination ports. */
  readonly ports: readonly number[];
  /** @default "Tcp" */
  readonly protocol?: "Tcp" | "Udp";
}

/** A customer network behind a site-to-site tunnel and what it may reach in the spoke. */
export interface IsolatedCustomer {
  /** Customer name, as in config; names the NSG rules. */
  readonly name: string;
  /** The customer's networks (its local network gateway's address space). */
  readonly addressSpaces: readonly string[];
  /** What the customer may reach in the spoke; everything else from it is denied. */
  readonly access: readonly GrantedAccess[];
}

/** A database endpoint point-to-site administrators reach. */
export interface DatabaseTarget {
  /** Database name, as in `workloads.databases`. */
  readonly name: string;
  /** The endpoint's address (a /32 private endpoint, at most a /28). */
  readonly cidr: string;
  /** The database port (e.g. 5432). */
  readonly port: number;
}

/** Everything the hub firewall and the spoke NSGs need to know about traffic arriving through the hub. */
export interface HubIsolation {
  /** Customers, in config order (their order fixes NSG rule priorities). */
  readonly customers: readonly IsolatedCustomer[];
  /** Point-to-site client pools. */
  readonly pointToSitePool: readonly string[];
  /** Databases the P2S pool reaches (endpoint and port only). */
  readonly pointToSiteDatabases: readonly DatabaseTarget[];
}

/** Priority bands: allows first, then the per-customer and P2S denies, then the internet deny. */
export const ISOLATION_PRIORITIES = {
  /** First customer grant; one more per grant. */
  customerAllow: 1000,
  /** First P2S database allow; one more per database. */
  pointToSiteAllow: 2000,
  /** First customer deny (inbound and outbound); one more per customer. */
  customerDeny: 3000,
  /** The P2S pool's deny (inbound and outbound). */
  pointToSiteDeny: 3900,
  /** The internet deny (inbound). */
  internetDeny: 4000,
} as const;
/** Most allow rules per band (Azure priorities are unique per direction, 100-4096). */
const BAND = 900;

/** A spoke subnet whose NSG enforces isolation. */
export interface GuardedSubnet {
  /** Field name in config, for messages: "aksNodeSubnetCidr". */
  readonly field: string;
  /** The subnet's range. */
  readonly cidr: string;
}

/**
 * Check what config grants before anything is built: a customer may only be granted ranges inside
 * a guarded spoke subnet, never another customer's range or the P2S pool; P2S database targets must
 * lie in the spoke, in a guarded subnet. Throws a ConfigError naming the field, the value and the fix.
 */
export function checkIsolation(isolation: HubIsolation, vnetCidr: string, guarded: readonly GuardedSubnet[]): void {
  const vnet = parseCidr("vnetCidr", vnetCidr);
  const subnets = guarded.map((g) => ({ ...g, block: parseCidr(g.field, g.cidr) }));
  const where = subnets.map((s) => `${s.field} ${s.cidr}`).join(" or ");
  const pools = isolation.pointToSitePool.map((cidr, i) => ({ cidr, block: parseCidr(`pointToSite.addressPool[${i}]`, cidr) }));
  for (const customer of isolation.customers) {
    if (customer.access.length === 0) {
      throw new ConfigError(`customers[${customer.name}].access is empty: the customer could reach nothing through its tunnel; grant the spoke services it uses ({ cidr, ports })`);
    }
    customer.access.forEach((grant, i) => {
      const field = `customers[${customer.name}].access[${i}].cidr`;
      const block = parseCidr(field, grant.cidr);
      for (const other of isolation.customers) {
        const hit = other.addressSpaces.find((range) => overlaps(block, parseCidr(`customers[${other.name}].addressSpaces`, range)));
        if (hit) {
          throw new ConfigError(
            `${field} ${grant.cidr} overlaps customer ${other.name === customer.name ? "its own" : other.name + "'s"} range ${hit}; a customer may only be granted spoke services, never a customer network`,
          );
        }
      }
      const pool = pools.find((p) => overlaps(block, p.block));
      if (pool) throw new ConfigError(`${field} ${grant.cidr} overlaps the point-to-site pool ${pool.cidr}; customers never reach VPN clients`);
      if (!within(vnet, block)) throw new ConfigError(`${field} ${grant.cidr} is outside the spoke VNet ${vnetCidr}; grant a spoke service address`);
      if (!subnets.some((s) => within(s.block, block))) {
        throw new ConfigError(`${field} ${grant.cidr} is not inside ${where}, where an NSG enforces the grant; use an address in one of them`);
      }
    });
  }
  for (const db of isolation.pointToSiteDatabases) {
    const field = `vpn.pointToSite.databases "${db.name}"`;
    const block = parseCidr(`workloads.databases[${db.name}].cidr`, db.cidr);
    if (!within(vnet, block)) {
      throw new ConfigError(`${field}: endpoint ${db.cidr} is outside the spoke VNet ${vnetCidr}; point-to-site only reaches databases in the spoke (use its private endpoint address there)`);
    }
    if (!subnets.some((s) => s.field === "databaseSubnetCidr" && within(s.block, block))) {
      throw new ConfigError(`${field}: endpoint ${db.cidr} is not inside network.databaseSubnetCidr${subnets.some((s) => s.field === "databaseSubnetCidr") ? "" : " (not set)"}; put the private endpoint in the database subnet, whose NSG admits the P2S pool to it`);
    }
  }
}

type Rule = NetworkSecurityGroupSecurityRule;

function rule(name: string, priority: number, direction: "Inbound" | "Outbound", access: "Allow" | "Deny", description: string, over: Partial<Rule>): Rule {
  return {
    name,
    description,
    priority,
    direction,
    access,
    protocol: "*",
    sourcePortRange: "*",
    destinationPortRange: "*",
    ...over,
  } as Rule;
}

function inSubnet(subnet: string, cidr: string): boolean {
  return within(parseCidr("subnet", subnet), parseCidr("cidr", cidr));
}

function bandPriority(band: number, index: number, what: string): number {
  if (index >= BAND) throw new ConfigError(`too many ${what} rules for one NSG priority band (${BAND}); split the grants`);
  return band + index;
}

/**
 * NSG rules isolating one spoke subnet: allow each customer exactly its granted ports to addresses
 * in this subnet, allow the P2S pool exactly its databases here, then deny every customer range and
 * the P2S pool (all ports, both directions) ahead of Azure's default AllowVnetIn/OutBound, and deny
 * the internet inbound. Rule names carry the customer, so adding one never renames another's rules.
 */
export function isolationRules(subnetCidr: string, isolation: HubIsolation): Rule[] {
  const allows: Rule[] = [];
  let allowIndex = 0;
  for (const customer of isolation.customers) {
    customer.access.forEach((grant, i) => {
      if (!inSubnet(subnetCidr, grant.cidr)) return;
      allows.push(
        rule(`allow-${customer.name}-${i}`, bandPriority(ISOLATION_PRIORITIES.customerAllow, allowIndex++, "customer allow"), "Inbound", "Allow", `Customer ${customer.name}: the service ports its config grants`, {
          protocol: grant.protocol ?? "Tcp",
          sourceAddressPrefixes: [...customer.addressSpaces],
          destinationAddressPrefix: grant.cidr,
          destinationPortRange: undefined,
          destinationPortRanges: grant.ports.map(String),
        }),
      );
    });
  }
  isolation.pointToSiteDatabases
    .filter((db) => inSubnet(subnetCidr, db.cidr))
    .forEach((db, i) =>
      allows.push(
        rule(`allow-p2s-${db.name}`, bandPriority(ISOLATION_PRIORITIES.pointToSiteAllow, i, "point-to-site allow"), "Inbound", "Allow", `DB admins over point-to-site: ${db.name} only`, {
          protocol: "Tcp",
          sourceAddressPrefixes: [...isolation.pointToSitePool],
          destinationAddressPrefix: db.cidr,
          destinationPortRange: String(db.port),
        }),
      ),
    );
  const denies = isolation.customers.flatMap((customer, i) => [
    rule(`deny-${customer.name}-inbound`, bandPriority(ISOLATION_PRIORITIES.customerDeny, i, "customer deny"), "Inbound", "Deny", `Customer ${customer.name}: nothing but its grants above`, {
      sourceAddressPrefixes: [...customer.addressSpaces],
      destinationAddressPrefix: "*",
    }),
    rule(`deny-to-${customer.name}`, bandPriority(ISOLATION_PRIORITIES.customerDeny, i, "customer deny"), "Outbound", "Deny", `Never initiate into customer ${customer.name}`, {
      sourceAddressPrefix: "*",
      destinationAddressPrefixes: [...customer.addressSpaces],
    }),
  ]);
  const pointToSite =
    isolation.pointToSitePool.length === 0
      ? []
      : [
          rule("deny-point-to-site-inbound", ISOLATION_PRIORITIES.pointToSiteDeny, "Inbound", "Deny", "VPN clients: nothing but their databases above", {
            sourceAddressPrefixes: [...isolation.pointToSitePool],
            destinationAddressPrefix: "*",
          }),
          rule("deny-to-point-to-site", ISOLATION_PRIORITIES.pointToSiteDeny, "Outbound", "Deny", "Never initiate into VPN clients", {
            sourceAddressPrefix: "*",
            destinationAddressPrefixes: [...isolation.pointToSitePool],
          }),
        ];
  const internet = rule("deny-internet-inbound", ISOLATION_PRIORITIES.internetDeny, "Inbound", "Deny", "No public ingress; open one deliberately with a rule of lower priority number.", {
    sourceAddressPrefix: "Internet",
    destinationAddressPrefix: "*",
  });
  return [...allows, ...denies, ...pointToSite, internet];
}
