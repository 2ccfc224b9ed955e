import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { hasWildcardPrincipal, IamStatement, policyStatements } from "./iam-document";
import { bucketCompanions } from "./s3-bucket-companions";

function deniesInsecureTransport(statement: IamStatement): boolean {
  return (
    statement.effect === "Deny" &&
    hasWildcardPrincipal(statement) &&
    statement.actions.some((action) => action === "s3:*" || action === "*") &&
    statement.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false"))
  );
}

/** The bucket policy refuses plain-HTTP requests. */
export const s3TlsOnly: PolicyRule = {
  id: "AWS-S3-003",
  externalIds: ["cdk-nag AwsSolutions-S10", "Prowler s3_bucket_secure_transport_policy"],
  description: "S3 bucket policies deny requests without TLS (aws:SecureTransport = false)",
  severity: "high",
  fix: "Attach an aws_s3_bucket_policy with a Deny of s3:* for principal * when Bool aws:SecureTransport is \"false\"",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const policies = bucketCompanions(bucket, stack, "aws_s3_bucket_policy");
    if (policies.length === 0) return nonCompliant("the bucket has no aws_s3_bucket_policy");
    const enforced = policies.some((policy) => policyStatements(policy.attributes.policy, stack)?.some(deniesInsecureTransport));
    return enforced ? COMPLIANT : nonCompliant("the bucket policy has no Deny statement on aws:SecureTransport = false");
  },
};
