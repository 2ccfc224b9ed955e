import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { EncryptionKey } from "../aws/kms/encryption-key";
import { ConfigError } from "../errors";

/** Props of {@link S3StateBucket}. */
export interface S3StateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /**
   * Days a replaced or deleted state version is kept: the window in which lost state can be
   * restored from bucket versioning.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
}

const DEFAULT_NONCURRENT_VERSION_DAYS = 90;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The S3 bucket that holds an environment's terraform state: versioned, SSE-KMS with a rotating
 * key, bucket-owner-enforced, all public access blocked, TLS-only, old versions expired after a
 * recovery window, and protected from `terraform destroy`.
 */
export class S3StateBucket extends Construct {
  /** The bucket resource. */
  public readonly bucket: S3Bucket;
  /** The key encrypting state objects. */
  public readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: S3StateBucketProps) {
    super(scope, id);
    const noncurrentVersionDays = props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
    if (!BUCKET_NAME.test(props.bucketName) || props.bucketName.includes("..")) {
      throw new ConfigError(`bucketName "${props.bucketName}" is not a valid S3 bucket name (3-63 of a-z, 0-9, ".", "-")`, this);
    }
    if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 30) {
      throw new ConfigError(
        `noncurrentVersionDays must be an integer of at least 30 (the state recovery window), got ${noncurrentVersionDays}`,
        this,
      );
    }

    this.key = new EncryptionKey(this, "key", {
      alias: `tfstate/${props.bucketName}`,
      description: `Encrypts terraform state in s3://${props.bucketName}`,
    });
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      lifecycle: { preventDestroy: true },
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, "tls-only", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(this, "policy", { bucket: this.bucket.id, policy: tlsOnly.json });
  }
}
