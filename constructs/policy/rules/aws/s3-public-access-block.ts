import { isTrue } from "../../attributes";
import { fromProblems, nonCompliant, PolicyRule } from "../../rule";
import { bucketCompanions } from "./s3-bucket-companions";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** No ACL or policy can make the bucket public, whatever is attached later. */
export const s3PublicAccessBlock: PolicyRule = {
  id: "AWS-S3-004",
  externalIds: ["Checkov CKV2_AWS_6", "Checkov CKV_AWS_53", "Checkov CKV_AWS_54", "Checkov CKV_AWS_55", "Checkov CKV_AWS_56"],
  description: "S3 buckets have a public access block with all four settings on",
  severity: "critical",
  fix: `Add an aws_s3_bucket_public_access_block for the bucket with ${FLAGS.join(", ")} = true`,
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const [pab] = bucketCompanions(bucket, stack, "aws_s3_bucket_public_access_block");
    if (!pab) return nonCompliant("the bucket has no aws_s3_bucket_public_access_block");
    return fromProblems(FLAGS.filter((flag) => !isTrue(pab.attributes[flag])).map((flag) => `${flag} is not true`));
  },
};
