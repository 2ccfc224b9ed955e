import { Block, block } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { allContainersOf, containerName, DEPLOYMENT_TYPES, podSpecOf } from "./pod-spec";

const CONFINED = ["RuntimeDefault", "Localhost"];

function seccompType(securityContext: Block | undefined): unknown {
  return block(securityContext?.seccomp_profile)?.type;
}

/** System calls are filtered by the runtime's default seccomp profile. */
export const seccompRuntimeDefault: PolicyRule = {
  id: "K8S-007",
  externalIds: ["Kyverno restrict-seccomp-strict", "Checkov CKV_K8S_31"],
  description: "Pods run with the RuntimeDefault (or a Localhost) seccomp profile",
  severity: "medium",
  fix: "Set security_context { seccomp_profile { type = \"RuntimeDefault\" } } on the pod spec",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    const podType = seccompType(block(podSpecOf(deployment).security_context));
    return fromProblems(
      allContainersOf(deployment)
        .filter((c) => {
          const own = seccompType(block(c.security_context));
          return own === undefined ? !CONFINED.includes(String(podType)) : !CONFINED.includes(String(own));
        })
        .map((c) => `${containerName(c)} runs without a confining seccomp profile`),
    );
  },
};
