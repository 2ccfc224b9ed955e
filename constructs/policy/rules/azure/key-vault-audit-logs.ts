import { fromProblems, PolicyRule } from "../../rule";
import { KEY_VAULT_AUDIT_CATEGORIES } from "../../../azure/monitor/audit-categories";
import { missingCategories, settingsFor } from "./diagnostic-settings";

/** Every read of a secret (the customers' pre-shared keys) leaves a trail in Log Analytics. */
export const keyVaultAuditLogs: PolicyRule = {
  id: "AZURE-KV-003",
  externalIds: ["Checkov CKV_AZURE_110", "PSRule Azure.KeyVault.Logs"],
  description: "Key Vaults send AuditEvent logs to a Log Analytics workspace (diagnostic setting)",
  severity: "high",
  fix: "Add an azurerm_monitor_diagnostic_setting for the vault with enabled_log { category = \"AuditEvent\" } and log_analytics_workspace_id (AuditLogs construct)",
  appliesTo: ["azurerm_key_vault"],
  check(vault, stack) {
    const missing = missingCategories(settingsFor(vault, stack), KEY_VAULT_AUDIT_CATEGORIES);
    return fromProblems(missing.length > 0 ? [`no diagnostic setting sends ${missing.join(", ")} to a Log Analytics workspace`] : []);
  },
};
