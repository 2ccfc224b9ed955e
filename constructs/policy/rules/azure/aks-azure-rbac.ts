import { block, isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Kubernetes authorization is granted with Azure role assignments, audited in one place. */
export const aksAzureRbac: PolicyRule = {
  id: "AZURE-AKS-002",
  externalIds: ["PSRule Azure.AKS.AzureRBAC"],
  description: "AKS clusters use Azure RBAC for Kubernetes authorization",
  severity: "medium",
  fix: "Set azure_active_directory_role_based_access_control.azure_rbac_enabled = true",
  appliesTo: ["azurerm_kubernetes_cluster"],
  check(resource) {
    const entra = block(resource.attributes.azure_active_directory_role_based_access_control);
    return isTrue(entra?.azure_rbac_enabled) ? COMPLIANT : nonCompliant("azure_rbac_enabled is not true");
  },
};
