import { asNumber, Block, block, show } from "../../attributes";
import { fromProblems, PolicyResource, PolicyRule, StackResources } from "../../rule";
import { DEPLOYMENT_TYPES, HPA_TYPES, metadataOf, targetsDeployment } from "./pod-spec";

/** An int-or-percent PDB value resolved against `replicas` (Kubernetes rounds percentages up). */
function podsFor(value: unknown, replicas: number): number | undefined {
  if (typeof value === "string" && value.endsWith("%")) {
    const percent = asNumber(value.slice(0, -1));
    return percent === undefined ? undefined : Math.ceil((percent * replicas) / 100);
  }
  return asNumber(value);
}

/** True when every label the PDB selects on is on the deployment's pod template. */
function selects(pdb: PolicyResource, deployment: PolicyResource): boolean {
  const wanted = (block(block(pdb.attributes.spec)?.selector)?.match_labels ?? {}) as Block;
  const spec = block(deployment.attributes.spec);
  const labels = (block(block(spec?.template)?.metadata)?.labels ?? {}) as Block;
  const entries = Object.entries(wanted);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** The fewest pods the deployment runs: its HPA's minimum when scaled, else its replicas (default 1). */
function fewestPods(deployment: PolicyResource, stack: StackResources): number | undefined {
  const hpa = stack.ofType(...HPA_TYPES).find((h) => targetsDeployment(h, deployment));
  const value = hpa ? (block(hpa.attributes.spec)?.min_replicas ?? 1) : (block(deployment.attributes.spec)?.replicas ?? 1);
  return asNumber(value);
}

/** A node drain can always evict at least one pod, so cluster upgrades never stall on this service. */
export const pdbAllowsDrain: PolicyRule = {
  id: "K8S-010",
  externalIds: ["Kyverno pdb-maxunavailable"],
  description: "PodDisruptionBudgets allow at least one eviction (maxUnavailable > 0, minAvailable < replicas)",
  severity: "high",
  fix: "Use max_unavailable = 1 (Workload's default) instead of min_available, and never 0 or 100%",
  appliesTo: ["kubernetes_pod_disruption_budget_v1", "kubernetes_pod_disruption_budget"],
  check(pdb, stack) {
    const spec = block(pdb.attributes.spec) ?? {};
    const problems: string[] = [];
    if (spec.max_unavailable !== undefined && podsFor(spec.max_unavailable, 1) === 0) {
      problems.push(`max_unavailable is ${show(spec.max_unavailable)}: no pod may ever be evicted`);
    }
    if (spec.min_available === "100%") problems.push("min_available is \"100%\": no pod may ever be evicted");
    if (spec.min_available !== undefined && spec.min_available !== "100%") {
      for (const deployment of stack.ofType(...DEPLOYMENT_TYPES).filter((d) => selects(pdb, d))) {
        const pods = fewestPods(deployment, stack);
        const required = pods === undefined ? undefined : podsFor(spec.min_available, pods);
        if (pods !== undefined && required !== undefined && required >= pods) {
          problems.push(`min_available ${show(spec.min_available)} needs ${required} of the ${pods} pod(s) Deployment ${show(metadataOf(deployment).name)} may run with`);
        }
      }
    }
    return fromProblems(problems);
  },
};
