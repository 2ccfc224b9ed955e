import { asNumber, block, isReference, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { HPA_TYPES } from "./pod-spec";

const MIN_REPLICAS = 2;

/** With one replica, draining its node (or a crash) takes the service down. */
export const hpaMinReplicas: PolicyRule = {
  id: "K8S-009",
  externalIds: [],
  description: `HorizontalPodAutoscalers keep at least ${MIN_REPLICAS} replicas`,
  severity: "high",
  fix: `Set min_replicas >= ${MIN_REPLICAS} (Workload defaults to 2); a single-replica service needs a suppression with its reason`,
  appliesTo: HPA_TYPES,
  check(hpa) {
    const value = block(hpa.attributes.spec)?.min_replicas;
    if (isReference(value)) return COMPLIANT;
    // Kubernetes defaults minReplicas to 1 when unset.
    const min = asNumber(value) ?? 1;
    return min >= MIN_REPLICAS ? COMPLIANT : nonCompliant(`min_replicas is ${show(value ?? 1)}`);
  },
};
