import { block, isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { bucketCompanions } from "./s3-bucket-companions";

/** Overwritten or deleted objects (e.g. terraform state) can be restored from older versions. */
export const s3Versioning: PolicyRule = {
  id: "AWS-S3-001",
  externalIds: ["Checkov CKV_AWS_21"],
  description: "S3 buckets have versioning enabled",
  severity: "high",
  fix: "Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = \"Enabled\" }",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    if (isTrue(block(bucket.attributes.versioning)?.enabled)) return COMPLIANT;
    const enabled = bucketCompanions(bucket, stack, "aws_s3_bucket_versioning").some(
      (v) => block(v.attributes.versioning_configuration)?.status === "Enabled",
    );
    return enabled ? COMPLIANT : nonCompliant("no aws_s3_bucket_versioning with status \"Enabled\" for this bucket");
  },
};
