import { isSet } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Log events (which can hold request data) are encrypted with a key we control. */
export const logGroupKms: PolicyRule = {
  id: "AWS-LOGS-001",
  externalIds: ["Checkov CKV_AWS_158"],
  description: "CloudWatch log groups are encrypted with a KMS key",
  severity: "medium",
  fix: "Set kms_key_id (use EncryptedLogGroup with a key whose policy admits CloudWatch Logs)",
  appliesTo: ["aws_cloudwatch_log_group"],
  check(resource) {
    return isSet(resource.attributes.kms_key_id) ? COMPLIANT : nonCompliant("kms_key_id is unset");
  },
};
