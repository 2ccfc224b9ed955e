import { block, isSet, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Images are encrypted with a key we control and audit, not the AES256 default. */
export const ecrKmsEncryption: PolicyRule = {
  id: "AWS-ECR-003",
  externalIds: ["Checkov CKV_AWS_136"],
  description: "ECR repositories are encrypted with a customer-managed KMS key",
  severity: "medium",
  fix: "Set encryption_configuration { encryption_type = \"KMS\", kms_key = <KMS key ARN> }",
  appliesTo: ["aws_ecr_repository"],
  check(resource) {
    const encryption = block(resource.attributes.encryption_configuration);
    if (encryption?.encryption_type !== "KMS") return nonCompliant(`encryption_type is ${show(encryption?.encryption_type ?? "AES256")}`);
    return isSet(encryption.kms_key) ? COMPLIANT : nonCompliant("encryption_type is KMS but kms_key is unset (AWS-managed key)");
  },
};
