import { asNumber, isReference, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Log events expire instead of accumulating cost and personal data forever. */
export const logGroupRetention: PolicyRule = {
  id: "AWS-LOGS-002",
  externalIds: ["Checkov CKV_AWS_66"],
  description: "CloudWatch log groups set a retention period",
  severity: "low",
  fix: "Set retention_in_days to a CloudWatch-accepted value (e.g. 30, 90, 365)",
  appliesTo: ["aws_cloudwatch_log_group"],
  check(resource) {
    const days = resource.attributes.retention_in_days;
    if (isReference(days)) return COMPLIANT;
    const value = asNumber(days);
    return value !== undefined && value > 0 ? COMPLIANT : nonCompliant(`retention_in_days is ${show(days)} (events never expire)`);
  },
};
