import { block, blocks } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { bucketCompanions } from "./s3-bucket-companions";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

function usesKms(configuration: unknown): boolean {
  return blocks(block(configuration)?.rule ?? []).some((rule) =>
    KMS_ALGORITHMS.includes(String(block(rule.apply_server_side_encryption_by_default)?.sse_algorithm)),
  );
}

/** Objects are encrypted with SSE-KMS, so reading them also needs kms:Decrypt on the key. */
export const s3KmsEncryption: PolicyRule = {
  id: "AWS-S3-002",
  externalIds: ["Checkov CKV_AWS_145"],
  description: "S3 buckets encrypt objects by default with SSE-KMS",
  severity: "high",
  fix: "Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = \"aws:kms\" and a kms_master_key_id",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    if (usesKms(bucket.attributes.server_side_encryption_configuration)) return COMPLIANT;
    const configured = bucketCompanions(bucket, stack, "aws_s3_bucket_server_side_encryption_configuration").some((c) =>
      usesKms({ rule: c.attributes.rule }),
    );
    return configured ? COMPLIANT : nonCompliant("no server-side encryption configuration with sse_algorithm aws:kms for this bucket");
  },
};
