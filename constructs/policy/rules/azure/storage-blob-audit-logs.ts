import { fromProblems, PolicyRule } from "../../rule";
import { BLOB_AUDIT_CATEGORIES } from "../../../azure/monitor/audit-categories";
import { missingCategories, settingsFor } from "./diagnostic-settings";

/** Who read, wrote or deleted which blob (terraform state holds live secrets) is recorded. */
export const storageBlobAuditLogs: PolicyRule = {
  id: "AZURE-ST-005",
  externalIds: ["PSRule Azure.Storage.Logs"],
  description: "Storage accounts send blob StorageRead, StorageWrite and StorageDelete logs to a Log Analytics workspace",
  severity: "medium",
  fix: "Add an azurerm_monitor_diagnostic_setting with target_resource_id \"<account id>/blobServices/default\", the three categories and log_analytics_workspace_id (AuditLogs construct)",
  appliesTo: ["azurerm_storage_account"],
  check(account, stack) {
    const missing = missingCategories(settingsFor(account, stack, "/blobServices/default"), BLOB_AUDIT_CATEGORIES);
    return fromProblems(missing.length > 0 ? [`no diagnostic setting on blobServices/default sends ${missing.join(", ")} to a Log Analytics workspace`] : []);
  },
};
