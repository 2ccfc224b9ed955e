import { fromProblems, PolicyRule } from "../../rule";
import { FIREWALL_AUDIT_CATEGORIES } from "../../../azure/monitor/audit-categories";
import { loggedCategories, missingCategories, settingsFor } from "./diagnostic-settings";

/**
 * Every flow the hub firewall allows or denies (customers, VPN clients) and every threat-intel hit
 * leaves a trail in Log Analytics, in resource-specific tables: without it a customer probing
 * another's range, or a rule opened by mistake, is invisible after the fact.
 */
export const firewallAuditLogs: PolicyRule = {
  id: "AZURE-FW-001",
  externalIds: [],
  description: "Azure Firewalls send AZFWNetworkRule, AZFWThreatIntel and AZFWNetworkRuleAggregation logs to a Log Analytics workspace in resource-specific tables",
  severity: "medium",
  fix: "Add an azurerm_monitor_diagnostic_setting for the firewall with those enabled_log categories, log_analytics_workspace_id and log_analytics_destination_type \"Dedicated\" (AuditLogs construct)",
  appliesTo: ["azurerm_firewall"],
  check(firewall, stack) {
    const settings = settingsFor(firewall, stack);
    const missing = missingCategories(settings, FIREWALL_AUDIT_CATEGORIES);
    // Resource-specific tables: one per category, RBAC per table, and what Policy Analytics reads
    // (Microsoft, "Azure Structured Firewall Logs"), rather than the shared AzureDiagnostics table.
    const notDedicated = settings.filter((s) => loggedCategories(s, FIREWALL_AUDIT_CATEGORIES).length > 0 && s.attributes.log_analytics_destination_type !== "Dedicated");
    return fromProblems([
      ...(missing.length > 0 ? [`no diagnostic setting sends ${missing.join(", ")} to a Log Analytics workspace`] : []),
      ...notDedicated.map((s) => `diagnostic setting "${String(s.attributes.name)}" has log_analytics_destination_type ${JSON.stringify(s.attributes.log_analytics_destination_type ?? "AzureDiagnostics")}, not "Dedicated" (resource-specific tables)`),
    ]);
  },
};
