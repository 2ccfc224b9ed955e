import { isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Data-plane access is granted with Azure role assignments, not per-vault access policies. */
export const keyVaultRbac: PolicyRule = {
  id: "AZURE-KV-002",
  externalIds: ["PSRule Azure.KeyVault.RBAC"],
  description: "Key Vaults use Azure RBAC for data-plane authorization",
  severity: "medium",
  fix: "Set rbac_authorization_enabled = true and grant roles such as Key Vault Secrets User",
  appliesTo: ["azurerm_key_vault"],
  check(resource) {
    // azurerm 4.x renamed enable_rbac_authorization to rbac_authorization_enabled; accept either.
    const enabled = isTrue(resource.attributes.rbac_authorization_enabled) || isTrue(resource.attributes.enable_rbac_authorization);
    return enabled ? COMPLIANT : nonCompliant("rbac_authorization_enabled is not true");
  },
};
