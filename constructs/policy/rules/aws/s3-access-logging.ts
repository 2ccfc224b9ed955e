import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { bucketCompanions } from "./s3-bucket-companions";

/** Who read or wrote which object is recorded (state holds every resource's attributes). */
export const s3AccessLogging: PolicyRule = {
  id: "AWS-S3-005",
  externalIds: ["Checkov CKV_AWS_18", "cdk-nag AwsSolutions-S1"],
  description: "S3 buckets have server access logging to a separate bucket",
  severity: "medium",
  fix: "Add an aws_s3_bucket_logging for the bucket with a target_bucket other than itself (S3StateBucket does)",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const logging = bucketCompanions(bucket, stack, "aws_s3_bucket_logging");
    if (logging.length === 0) return nonCompliant("no aws_s3_bucket_logging for this bucket");
    const self = [bucket.attributes.bucket, `\${${bucket.address}.id}`, `\${${bucket.address}.bucket}`];
    return logging.some((l) => !self.includes(l.attributes.target_bucket as string))
      ? COMPLIANT
      : nonCompliant("aws_s3_bucket_logging targets the bucket itself");
  },
};
