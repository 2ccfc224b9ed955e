import { block, strings } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { allContainersOf, containerName, DEPLOYMENT_TYPES } from "./pod-spec";

/** Containers start without Linux capabilities (NET_RAW, CHOWN, ...) and add back only what they need. */
export const dropAllCapabilities: PolicyRule = {
  id: "K8S-006",
  externalIds: ["Kyverno require-drop-all", "Checkov CKV_K8S_37"],
  description: "Containers drop ALL Linux capabilities",
  severity: "medium",
  fix: "Set security_context { capabilities { drop = [\"ALL\"] } } on every container",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    return fromProblems(
      allContainersOf(deployment)
        .filter((c) => !strings(block(block(c.security_context)?.capabilities)?.drop).includes("ALL"))
        .map((c) => `${containerName(c)} does not drop ALL capabilities`),
    );
  },
};
