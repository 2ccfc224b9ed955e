import { show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** A pushed tag always names the same image, so a deployment pinned to a tag cannot drift. */
export const ecrImmutableTags: PolicyRule = {
  id: "AWS-ECR-001",
  externalIds: ["Checkov CKV_AWS_51"],
  description: "ECR repositories have immutable image tags",
  severity: "high",
  fix: "Set image_tag_mutability = \"IMMUTABLE\"",
  appliesTo: ["aws_ecr_repository"],
  check(resource) {
    const mutability = resource.attributes.image_tag_mutability;
    return mutability === "IMMUTABLE" ? COMPLIANT : nonCompliant(`image_tag_mutability is ${show(mutability ?? "MUTABLE")}`);
  },
};
