import { block, isFalse, isSet } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** People sign in to the cluster with Entra ID identities, so access follows the directory. */
export const aksEntraIntegration: PolicyRule = {
  id: "AZURE-AKS-001",
  externalIds: ["Checkov CKV_AZURE_5", "PSRule Azure.AKS.ManagedAAD"],
  description: "AKS clusters use Kubernetes RBAC with managed Entra ID integration",
  severity: "high",
  fix: "Set azure_active_directory_role_based_access_control { tenant_id = ..., admin_group_object_ids = [...] } and keep role_based_access_control_enabled = true",
  appliesTo: ["azurerm_kubernetes_cluster"],
  check(resource) {
    if (isFalse(resource.attributes.role_based_access_control_enabled)) return nonCompliant("role_based_access_control_enabled is false");
    const entra = block(resource.attributes.azure_active_directory_role_based_access_control);
    if (!entra) return nonCompliant("azure_active_directory_role_based_access_control is not configured");
    return isSet(entra.tenant_id) || isSet(entra.admin_group_object_ids)
      ? COMPLIANT
      : nonCompliant("azure_active_directory_role_based_access_control sets neither tenant_id nor admin_group_object_ids");
  },
};
