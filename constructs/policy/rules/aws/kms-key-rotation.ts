import { isTrue } from "../../attributes";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, PolicyRule } from "../../rule";

/** Symmetric keys rotate their material yearly; asymmetric and HMAC keys cannot rotate. */
export const kmsKeyRotation: PolicyRule = {
  id: "AWS-KMS-001",
  externalIds: ["Checkov CKV_AWS_7"],
  description: "Symmetric customer-managed KMS keys have automatic rotation enabled",
  severity: "medium",
  fix: "Set enable_key_rotation = true (EncryptionKey does this)",
  appliesTo: ["aws_kms_key"],
  check(resource) {
    const spec = resource.attributes.customer_master_key_spec;
    if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return NOT_APPLICABLE;
    return isTrue(resource.attributes.enable_key_rotation) ? COMPLIANT : nonCompliant("enable_key_rotation is not true");
  },
};
