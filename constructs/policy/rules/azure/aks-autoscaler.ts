import { isSet, isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { NODE_POOL_TYPES, nodePoolOf } from "./aks-node-pools";

/** Nodes follow pod demand, so HPA scale-outs find room and idle nodes are removed. */
export const aksAutoscaler: PolicyRule = {
  id: "AZURE-AKS-006",
  externalIds: ["PSRule Azure.AKS.AutoScaling"],
  description: "AKS node pools run the cluster autoscaler with min and max counts",
  severity: "medium",
  fix: "Set auto_scaling_enabled = true with min_count and max_count on every node pool",
  appliesTo: NODE_POOL_TYPES,
  check(resource) {
    const pool = nodePoolOf(resource);
    if (!isTrue(pool.auto_scaling_enabled)) return nonCompliant("auto_scaling_enabled is not true");
    return isSet(pool.min_count) && isSet(pool.max_count) ? COMPLIANT : nonCompliant("min_count or max_count is unset");
  },
};
