import { block, isTrue } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";
import { allContainersOf, containerName, DEPLOYMENT_TYPES } from "./pod-spec";

/** An attacker cannot drop binaries into the image filesystem; writable paths are explicit volumes. */
export const readOnlyRootFilesystem: PolicyRule = {
  id: "K8S-004",
  externalIds: ["Kyverno require-ro-rootfs", "Checkov CKV_K8S_22"],
  description: "Containers have a read-only root filesystem",
  severity: "medium",
  fix: "Set security_context { read_only_root_filesystem = true } on every container; mount an emptyDir where it must write",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment) {
    return fromProblems(
      allContainersOf(deployment)
        .filter((c) => !isTrue(block(c.security_context)?.read_only_root_filesystem))
        .map((c) => `${containerName(c)} has a writable root filesystem`),
    );
  },
};
