import { Testing } from "cdktf";
import { S3StateBucket, stateKeyAlias } from "../../../constructs/state/s3-state-bucket";
import { AwsStateStack } from "../../../stacks/aws/state-stack";
import { emptyStack, environments, resourcesOf, synthJson } from "../../helpers/synth";

/** Companion resources of the state bucket itself, not of its access-log bucket. */
const stateBucketOnly = (companions: any[]) => companions.filter((c) => !String(c.bucket).includes("access-logs"));

describe("S3StateBucket", () => {
  const stack = new AwsStateStack(Testing.app(), environments().testAws);
  const json = synthJson(stack);

  it("versions, encrypts with a rotating KMS key, blocks public access and survives destroy", () => {
    const bucket = Object.values(json.resource.aws_s3_bucket)[0];
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(resourcesOf(stack, "aws_s3_bucket_versioning")[0].versioning_configuration.status).toBe("Enabled");
    const sse = stateBucketOnly(resourcesOf(stack, "aws_s3_bucket_server_side_encryption_configuration"))[0].rule[0];
    expect(sse.apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(resourcesOf(stack, "aws_kms_key")[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resourcesOf(stack, "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("denies every request that is not over TLS", () => {
    const doc = Object.values(json.data.aws_iam_policy_document).find((d: any) => d.statement[0].sid === "DenyInsecureTransport");
    expect(doc.statement[0]).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  it("denies state writes that are not SSE-KMS with the state key (terraform sends AES256 without kms_key_id)", () => {
    const doc = Object.values(json.data.aws_iam_policy_document).find((d: any) => d.statement.some((s: any) => s.sid === "DenyPutWithoutKms")) as any;
    const bySid = Object.fromEntries(doc.statement.map((s: any) => [s.sid, s]));
    expect(bySid.DenyPutWithoutKms).toMatchObject({
      effect: "Deny",
      actions: ["s3:PutObject"],
      principals: [{ type: "*", identifiers: ["*"] }],
      condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }],
    });
    expect(bySid.DenyPutWithOtherKey.condition[0]).toMatchObject({ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id" });
    expect(bySid.DenyPutWithOtherKey.condition[0].values).toEqual([expect.stringMatching(/aws_kms_key\..*\.arn/), expect.stringMatching(/aws_kms_alias\..*\.arn/)]);
    expect(Object.values(json.resource.aws_kms_alias as Record<string, any>)[0].name).toBe(`alias/${stateKeyAlias("fintech-test-aws-tfstate-111122223333")}`);
  });

  it("logs every state access to a separate SSE-S3 bucket that only S3 log delivery for this bucket and account may write", () => {
    const logging = resourcesOf(stack, "aws_s3_bucket_logging")[0];
    const buckets = json.resource.aws_s3_bucket as Record<string, any>;
    const [stateId] = Object.entries(buckets).find(([, b]) => b.bucket === "fintech-test-aws-tfstate-111122223333")!;
    const [logId, logBucket] = Object.entries(buckets).find(([, b]) => b.bucket === "fintech-test-aws-tfstate-111122223333-access-logs")!;
    expect(logging.bucket).toBe(`\${aws_s3_bucket.${stateId}.id}`);
    expect(logging.target_bucket).toBe(`\${aws_s3_bucket.${logId}.id}`);
    expect(logBucket.lifecycle).toEqual({ prevent_destroy: true });
    const logSse = resourcesOf(stack, "aws_s3_bucket_server_side_encryption_configuration").find((c) => c.bucket.includes(logId));
    expect(logSse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    const delivery = Object.values(json.data.aws_iam_policy_document as Record<string, any>)
      .flatMap((d) => d.statement)
      .find((s: any) => s.sid === "AllowStateBucketLogDelivery");
    expect(delivery.principals).toEqual([{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }]);
    expect(delivery.condition.map((c: any) => c.variable).sort()).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
    expect(resourcesOf(stack, "aws_s3_bucket_lifecycle_configuration").find((c) => c.bucket.includes(logId)).rule[0].expiration).toEqual([{ days: 365 }]);
  });

  it("rejects an access-log bucket equal to the state bucket and a retention under 90 days", () => {
    expect(() => new S3StateBucket(emptyStack(), "b", { bucketName: "my-state", accessLogBucketName: "my-state" })).toThrow(
      /accessLogBucketName must differ from bucketName "my-state"/,
    );
    expect(() => new S3StateBucket(emptyStack(), "b", { bucketName: "my-state", accessLogRetentionDays: 30 })).toThrow(
      /accessLogRetentionDays must be an integer of at least 90 \(an audit window\), got 30/,
    );
  });

  it("expires non-current state versions after the recovery window", () => {
    const rule = stateBucketOnly(resourcesOf(stack, "aws_s3_bucket_lifecycle_configuration"))[0].rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
  });

  it("keeps its own state locally, outside cdktf.out", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../.bootstrap-state/test-aws-state.tfstate" } });
  });

  it("rejects a recovery window shorter than 30 days", () => {
    const stack2 = emptyStack();
    expect(() => new S3StateBucket(stack2, "b", { bucketName: "my-state", noncurrentVersionDays: 7 })).toThrow(
      /s\/b: noncurrentVersionDays must be an integer of at least 30 \(the state recovery window\), got 7/,
    );
  });

  it("rejects an invalid bucket name", () => {
    const stack2 = emptyStack();
    expect(() => new S3StateBucket(stack2, "b", { bucketName: "My_State" })).toThrow(/bucketName "My_State" is not a valid S3 bucket name/);
  });
  it("rejects a key guard that is not an IAM role ARN", () => {
    expect(() => new S3StateBucket(emptyStack(), "state", { bucketName: "fintech-test-state", keyGuardedFrom: ["test-ci-apply"] })).toThrow(
      /keyGuardedFrom\[0\] "test-ci-apply" must be an IAM role ARN like arn:aws:iam::123456789012:role\/test-ci-apply/,
    );
  });

  it("adds no deny to the key policy when nothing is guarded", () => {
    const stack = emptyStack();
    new S3StateBucket(stack, "state", { bucketName: "fintech-test-state" });
    expect(JSON.stringify(synthJson(stack).data.aws_iam_policy_document)).not.toMatch(/KeepStateKey/);
  });
});
