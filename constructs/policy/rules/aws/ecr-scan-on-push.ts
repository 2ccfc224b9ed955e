import { block, blocks, isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule, StackResources } from "../../rule";

/** Registry-level scanning (basic or enhanced) also covers every repository of the stack's account. */
function registryScansOnPush(stack: StackResources): boolean {
  return stack
    .ofType("aws_ecr_registry_scanning_configuration")
    .some((config) => blocks(config.attributes.rule).some((rule) => ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"].includes(String(rule.scan_frequency))));
}

/** Every pushed image is scanned for known vulnerabilities. */
export const ecrScanOnPush: PolicyRule = {
  id: "AWS-ECR-002",
  externalIds: ["Checkov CKV_AWS_163"],
  description: "ECR repositories scan images on push (repository or registry scanning configuration)",
  severity: "medium",
  fix: "Set image_scanning_configuration { scan_on_push = true }, or add an aws_ecr_registry_scanning_configuration rule scanning on push",
  appliesTo: ["aws_ecr_repository"],
  check(resource, stack) {
    if (isTrue(block(resource.attributes.image_scanning_configuration)?.scan_on_push)) return COMPLIANT;
    return registryScansOnPush(stack) ? COMPLIANT : nonCompliant("image_scanning_configuration.scan_on_push is not true");
  },
};
