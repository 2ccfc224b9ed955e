import { block, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

const ENGINES = ["azure", "calico", "cilium"];

/** NetworkPolicy objects are only enforced when the cluster runs a policy engine. */
export const aksNetworkPolicy: PolicyRule = {
  id: "AZURE-AKS-004",
  externalIds: ["Checkov CKV_AZURE_7", "PSRule Azure.AKS.NetworkPolicy"],
  description: "AKS clusters run a network policy engine (azure, calico or cilium)",
  severity: "high",
  fix: "Set network_profile { network_policy = \"azure\" } (or calico/cilium)",
  appliesTo: ["azurerm_kubernetes_cluster"],
  check(resource) {
    const policy = block(resource.attributes.network_profile)?.network_policy;
    return ENGINES.includes(String(policy)) ? COMPLIANT : nonCompliant(`network_profile.network_policy is ${show(policy)}`);
  },
};
