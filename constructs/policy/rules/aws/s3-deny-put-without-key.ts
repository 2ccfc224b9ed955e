import { block, blocks } from "../../attributes";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, PolicyRule } from "../../rule";
import { hasWildcardPrincipal, IamStatement, policyStatements } from "./iam-document";
import { bucketCompanions } from "./s3-bucket-companions";

const SSE_HEADER = "s3:x-amz-server-side-encryption";
const KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";

function deniesPut(statement: IamStatement, variable: string, allowed: (values: readonly string[]) => boolean): boolean {
  return (
    statement.effect === "Deny" &&
    hasWildcardPrincipal(statement) &&
    statement.actions.some((a) => a === "s3:PutObject" || a === "s3:*" || a === "*") &&
    statement.conditions.some((c) => c.test === "StringNotEquals" && c.variable === variable && allowed(c.values))
  );
}

/** The bucket's default KMS key, when its encryption configuration names one. */
function defaultKmsKey(bucket: Parameters<PolicyRule["check"]>[0], stack: Parameters<PolicyRule["check"]>[1]): string | undefined {
  for (const config of bucketCompanions(bucket, stack, "aws_s3_bucket_server_side_encryption_configuration")) {
    for (const rule of blocks(config.attributes.rule)) {
      const byDefault = block(rule.apply_server_side_encryption_by_default);
      if (String(byDefault?.sse_algorithm).startsWith("aws:kms") && typeof byDefault?.kms_master_key_id === "string") return byDefault.kms_master_key_id;
    }
  }
  return undefined;
}

/**
 * A bucket encrypted with a customer key refuses writes that name another encryption: a client
 * sending AES256 (terraform's `encrypt = true` without a key) or another key would otherwise
 * store objects outside the key's policy and audit trail.
 */
export const s3DenyPutWithoutKey: PolicyRule = {
  id: "AWS-S3-006",
  externalIds: [],
  description: "S3 buckets with a default KMS key deny PutObject unless it is aws:kms with that key",
  severity: "high",
  fix: `Add bucket-policy Deny statements for s3:PutObject on StringNotEquals ${SSE_HEADER} "aws:kms" and StringNotEquals ${KEY_HEADER} <the key ARN>`,
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const key = defaultKmsKey(bucket, stack);
    if (!key) return NOT_APPLICABLE;
    const statements = bucketCompanions(bucket, stack, "aws_s3_bucket_policy").flatMap((p) => policyStatements(p.attributes.policy, stack) ?? []);
    const problems = [];
    if (!statements.some((s) => deniesPut(s, SSE_HEADER, (v) => v.length === 1 && v[0] === "aws:kms"))) {
      problems.push(`no Deny of s3:PutObject when ${SSE_HEADER} is not "aws:kms"`);
    }
    if (!statements.some((s) => deniesPut(s, KEY_HEADER, (v) => v.includes(key)))) {
      problems.push(`no Deny of s3:PutObject when ${KEY_HEADER} is not ${key}`);
    }
    return problems.length === 0 ? COMPLIANT : nonCompliant(problems.join("; "));
  },
};
