import { Testing } from "cdktf";
import { S3StateBucket } from "../../../constructs/state/s3-state-bucket";
import { AwsStateStack } from "../../../stacks/aws/state-stack";
import { emptyStack, environments, resourcesOf, synthJson } from "../../helpers/synth";

describe("S3StateBucket", () => {
  const stack = new AwsStateStack(Testing.app(), environments().testAws);
  const json = synthJson(stack);

  it("versions, encrypts with a rotating KMS key, blocks public access and survives destroy", () => {
    const bucket = Object.values(json.resource.aws_s3_bucket)[0];
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(resourcesOf(stack, "aws_s3_bucket_versioning")[0].versioning_configuration.status).toBe("Enabled");
    const sse = resourcesOf(stack, "aws_s3_bucket_server_side_encryption_configuration")[0].rule[0];
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

  it("expires non-current state versions after the recovery window", () => {
    const rule = resourcesOf(stack, "aws_s3_bucket_lifecycle_configuration")[0].rule[0];
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
});
