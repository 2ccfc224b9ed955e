import { blocks, refersTo, strings } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/**
 * A virtual hub isolates its branches only when Azure routes their private traffic through a
 * firewall: without a PrivateTraffic routing intent to the hub's Azure Firewall, branch-to-branch
 * (customer to customer, customer to VPN client) and branch-to-VNet traffic is routed directly.
 */
export const vhubRoutingIntent: PolicyRule = {
  id: "AZURE-VWAN-001",
  externalIds: [],
  description: "Every virtual hub has a routing intent sending PrivateTraffic to an Azure Firewall in that hub",
  severity: "critical",
  fix: "Add azurerm_virtual_hub_routing_intent { routing_policy { destinations = [\"PrivateTraffic\"], next_hop = <the hub's azurerm_firewall>.id } } (SecuredHub does)",
  appliesTo: ["azurerm_virtual_hub"],
  check(hub, stack) {
    const firewalls = stack.ofType("azurerm_firewall").filter((f) => blocks(f.attributes.virtual_hub).some((v) => refersTo(v.virtual_hub_id, hub)));
    if (firewalls.length === 0) return nonCompliant("no azurerm_firewall (AZFW_Hub) in this hub");
    const intents = stack.ofType("azurerm_virtual_hub_routing_intent").filter((r) => refersTo(r.attributes.virtual_hub_id, hub));
    if (intents.length === 0) return nonCompliant("no azurerm_virtual_hub_routing_intent for this hub");
    const policies = intents.flatMap((r) => blocks(r.attributes.routing_policy)).filter((p) => strings(p.destinations).includes("PrivateTraffic"));
    if (policies.length === 0) return nonCompliant("the routing intent has no routing_policy for PrivateTraffic");
    return policies.some((p) => firewalls.some((f) => refersTo(p.next_hop, f)))
      ? COMPLIANT
      : nonCompliant("the PrivateTraffic routing_policy's next_hop is not this hub's firewall");
  },
};
