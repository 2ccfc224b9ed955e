import { isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** A deleted vault or secret stays recoverable for the retention period, even against an admin. */
export const keyVaultPurgeProtection: PolicyRule = {
  id: "AZURE-KV-001",
  externalIds: ["Checkov CKV_AZURE_110", "PSRule Azure.KeyVault.PurgeProtect"],
  description: "Key Vaults enable purge protection",
  severity: "high",
  fix: "Set purge_protection_enabled = true (irreversible by design)",
  appliesTo: ["azurerm_key_vault"],
  check(resource) {
    return isTrue(resource.attributes.purge_protection_enabled) ? COMPLIANT : nonCompliant("purge_protection_enabled is not true");
  },
};
