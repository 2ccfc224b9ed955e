import { isFalse, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Access needs an Entra ID identity; account keys (full, unaudited access) are refused. */
export const storageSharedKeyDisabled: PolicyRule = {
  id: "AZURE-ST-003",
  externalIds: ["Checkov CKV2_AZURE_40", "PSRule Azure.Storage.LocalAuth"],
  description: "Storage accounts disable shared key (account key and SAS) authorization",
  severity: "high",
  fix: "Set shared_access_key_enabled = false and use Entra ID (e.g. use_azuread_auth in the azurerm backend)",
  appliesTo: ["azurerm_storage_account"],
  check(resource) {
    const enabled = resource.attributes.shared_access_key_enabled;
    return isFalse(enabled) ? COMPLIANT : nonCompliant(`shared_access_key_enabled is ${show(enabled ?? true)}`);
  },
};
