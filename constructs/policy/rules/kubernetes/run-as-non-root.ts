import { block, isFalse, isTrue } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { allContainersOf, containerName, DEPLOYMENT_TYPES, podSpecOf } from "./pod-spec";

/** A container escape does not start as root on the node. */
export const runAsNonRoot: PolicyRule = {
  id: "K8S-003",
  externalIds: ["Kyverno require-run-as-nonroot", "Checkov CKV_K8S_23"],
  description: "Containers run as non-root (runAsNonRoot on the pod or every container)",
  severity: "high",
  fix: "Set security_context { run_as_non_root = true } on the pod spec (or on every container)",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    const podLevel = isTrue(block(podSpecOf(deployment).security_context)?.run_as_non_root);
    return fromProblems(
      allContainersOf(deployment)
        .filter((c) => {
          const own = block(c.security_context)?.run_as_non_root;
          return isFalse(own) || (!podLevel && !isTrue(own));
        })
        .map((c) => `${containerName(c)} may run as root`),
    );
  },
};
