import { Block, block, isSet } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { containerName, containersOf, DEPLOYMENT_TYPES } from "./pod-spec";

function missing(container: Block): string[] {
  const resources = block(container.resources) ?? {};
  const requests = (resources.requests ?? {}) as Block;
  const limits = (resources.limits ?? {}) as Block;
  return [
    ...(isSet(requests.cpu) ? [] : ["requests.cpu"]),
    ...(isSet(requests.memory) ? [] : ["requests.memory"]),
    ...(isSet(limits.memory) ? [] : ["limits.memory"]),
  ];
}

/** The scheduler can place pods and a leaking container is OOM-killed alone, not the node. */
export const containerResources: PolicyRule = {
  id: "K8S-001",
  externalIds: ["Kyverno require-requests-limits", "Checkov CKV_K8S_10", "Checkov CKV_K8S_12", "Checkov CKV_K8S_13"],
  description: "Every container requests CPU and memory and has a memory limit",
  severity: "high",
  fix: "Set resources { requests = { cpu, memory }, limits = { memory } } on every container (Workload requires them)",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    return fromProblems(
      containersOf(deployment).flatMap((c) => {
        const gaps = missing(c);
        return gaps.length ? [`${containerName(c)} lacks ${gaps.join(", ")}`] : [];
      }),
    );
  },
};
