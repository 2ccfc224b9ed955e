import { isSet } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { containerName, containersOf, DEPLOYMENT_TYPES } from "./pod-spec";

/** Rollouts and drains wait for ready pods, and hung processes are restarted. */
export const containerProbes: PolicyRule = {
  id: "K8S-002",
  externalIds: ["Kyverno require-pod-probes", "Checkov CKV_K8S_8", "Checkov CKV_K8S_9"],
  description: "Every container has a readiness and a liveness probe",
  severity: "high",
  fix: "Set readiness_probe and liveness_probe on every container",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    return fromProblems(
      containersOf(deployment).flatMap((c) =>
        ["readiness_probe", "liveness_probe"].filter((probe) => !isSet(c[probe])).map((probe) => `${containerName(c)} has no ${probe}`),
      ),
    );
  },
};
