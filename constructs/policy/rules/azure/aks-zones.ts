import { isReference, strings } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { NODE_POOL_TYPES, nodePoolOf } from "./aks-node-pools";

/** Nodes spread over zones, so a zone outage leaves capacity for the workloads. */
export const aksZones: PolicyRule = {
  id: "AZURE-AKS-005",
  externalIds: ["PSRule Azure.AKS.AvailabilityZone"],
  description: "AKS node pools span at least two availability zones",
  severity: "high",
  fix: "Set zones = [\"1\", \"2\", \"3\"] on the default node pool and every node pool",
  appliesTo: NODE_POOL_TYPES,
  check(resource) {
    const zones = nodePoolOf(resource).zones;
    if (isReference(zones)) return COMPLIANT;
    const count = strings(zones).length;
    return count >= 2 ? COMPLIANT : nonCompliant(`node pool spans ${count} zone(s)`);
  },
};
