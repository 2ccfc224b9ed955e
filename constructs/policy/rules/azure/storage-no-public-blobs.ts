import { isFalse, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** No container can be switched to anonymous read access. */
export const storageNoPublicBlobs: PolicyRule = {
  id: "AZURE-ST-002",
  externalIds: ["Checkov CKV_AZURE_190", "PSRule Azure.Storage.BlobPublicAccess"],
  description: "Storage accounts disallow anonymous (public) blob access",
  severity: "critical",
  fix: "Set allow_nested_items_to_be_public = false (azurerm defaults it to true)",
  appliesTo: ["azurerm_storage_account"],
  check(resource) {
    const allowed = resource.attributes.allow_nested_items_to_be_public;
    return isFalse(allowed) ? COMPLIANT : nonCompliant(`allow_nested_items_to_be_public is ${show(allowed ?? true)}`);
  },
};
