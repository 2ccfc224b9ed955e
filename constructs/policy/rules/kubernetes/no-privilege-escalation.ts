import { block, isFalse } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { allContainersOf, containerName, DEPLOYMENT_TYPES } from "./pod-spec";

/** setuid binaries cannot gain more privileges than the process started with. */
export const noPrivilegeEscalation: PolicyRule = {
  id: "K8S-005",
  externalIds: ["Kyverno disallow-privilege-escalation", "Checkov CKV_K8S_20"],
  description: "Containers set allowPrivilegeEscalation to false",
  severity: "high",
  fix: "Set security_context { allow_privilege_escalation = false } on every container",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    return fromProblems(
      allContainersOf(deployment)
        .filter((c) => !isFalse(block(c.security_context)?.allow_privilege_escalation))
        .map((c) => `${containerName(c)} allows privilege escalation`),
    );
  },
};
