import { isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** No shared static admin kubeconfig exists that bypasses Entra ID and auditing. */
export const aksLocalAccountsDisabled: PolicyRule = {
  id: "AZURE-AKS-003",
  externalIds: ["Checkov CKV_AZURE_141", "PSRule Azure.AKS.LocalAccounts"],
  description: "AKS clusters disable local accounts",
  severity: "high",
  fix: "Set local_account_disabled = true",
  appliesTo: ["azurerm_kubernetes_cluster"],
  check(resource) {
    return isTrue(resource.attributes.local_account_disabled) ? COMPLIANT : nonCompliant("local_account_disabled is not true");
  },
};
