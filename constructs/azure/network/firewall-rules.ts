/**
 * The secured hub's firewall policy, from config only: each customer's ranges may reach exactly the
 * spoke addresses and ports its `access` lists, the point-to-site pool exactly its database
 * endpoints and ports. Nothing else is allowed, so Azure Firewall's default deny drops every other
 * private flow that routing intent sends through it: customer to customer, customer to VPN client,
 * VPN client to anything but a database, and anything into a customer or the VPN client pool.
 */
import { FirewallPolicyRuleCollectionGroupNetworkRuleCollection } from "@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group";
import { HubIsolation } from "./isolation";

/** Priority of the isolation rule collection group (100-65000; lower is evaluated first). */
export const ISOLATION_RULE_GROUP_PRIORITY = 1000;
/** Priorities of the two allow collections inside it. */
export const FIREWALL_COLLECTION_PRIORITIES = {
  /** `allow-customers`: each customer's grants. */
  customers: 1000,
  /** `allow-point-to-site`: the P2S pool's database endpoints. */
  pointToSite: 1100,
} as const;

/**
 * Network rule collections allowing what config grants and nothing else. Rule names carry the
 * customer (and grant index), so adding a customer never renames another's rules.
 */
export function firewallRuleCollections(isolation: HubIsolation): FirewallPolicyRuleCollectionGroupNetworkRuleCollection[] {
  const customers = isolation.customers.flatMap((customer) =>
    customer.access.map((grant, i) => ({
      name: `${customer.name}-${i}`,
      description: `Customer ${customer.name}: the service ports its config grants`,
      protocols: [(grant.protocol ?? "Tcp").toUpperCase()],
      sourceAddresses: [...customer.addressSpaces],
      destinationAddresses: [grant.cidr],
      destinationPorts: grant.ports.map(String),
    })),
  );
  const databases = isolation.pointToSitePool.length === 0
    ? []
    : isolation.pointToSiteDatabases.map((db) => ({
        name: `p2s-${db.name}`,
        description: `DB admins over point-to-site: ${db.name} only`,
        protocols: ["TCP"],
        sourceAddresses: [...isolation.pointToSitePool],
        destinationAddresses: [db.cidr],
        destinationPorts: [String(db.port)],
      }));
  return [
    ...(customers.length > 0 ? [{ name: "allow-customers", priority: FIREWALL_COLLECTION_PRIORITIES.customers, action: "Allow", rule: customers }] : []),
    ...(databases.length > 0 ? [{ name: "allow-point-to-site", priority: FIREWALL_COLLECTION_PRIORITIES.pointToSite, action: "Allow", rule: databases }] : []),
  ];
}
