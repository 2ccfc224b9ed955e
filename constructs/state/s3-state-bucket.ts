import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { EncryptionKey } from "../aws/kms/encryption-key";
import { ConfigError } from "../errors";
import { suppressRule } from "../policy/suppressions";

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
  /**
   * Bucket receiving the state bucket's server access logs (who read or wrote which state object).
   * @default `<bucketName>-access-logs`
   */
  readonly accessLogBucketName?: string;
  /**
   * Days access logs are kept.
   * @default 365 (a year of audit trail for the state, which holds every resource's secrets-adjacent attributes)
   */
  readonly accessLogRetentionDays?: number;
  /**
   * IAM role ARNs the state key's own policy forbids to disable, delete, re-policy or re-alias it:
   * the CI apply role, which holds AdministratorAccess. On the key itself, so it holds whatever
   * alias points where. @default [] (no such deny)
   */
  readonly keyGuardedFrom?: readonly string[];
}

/**
 * What a guarded principal may not do to the state key: make it unusable (disable, schedule
 * deletion), lock the account out of it (rewrite its policy) or move its alias off it (UpdateAlias
 * and DeleteAlias need permission on the key too; CreateAlias would point a second alias at it).
 */
export const STATE_KEY_GUARDED_ACTIONS = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:UpdateAlias", "kms:DeleteAlias", "kms:CreateAlias"];

const DEFAULT_NONCURRENT_VERSION_DAYS = 90;
const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 365;
const ACCESS_LOG_SUFFIX = "-access-logs";
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IAM_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** S3 server access logging delivers with this service principal. */
const LOGGING_SERVICE = "logging.s3.amazonaws.com";

/** The state key's alias name (without "alias/"); the S3 backend names the key by its alias ARN. */
export function stateKeyAlias(bucketName: string): string {
  return `tfstate/${bucketName}`;
}

/**
 * The state key's alias ARN, known before the key exists: what every S3 backend of the
 * environment sends as `kms_key_id` (a backend block cannot reference a resource).
 */
export function stateKeyAliasArn(props: { readonly region: string; readonly accountId: string; readonly bucketName: string }): string {
  return `arn:aws:kms:${props.region}:${props.accountId}:alias/${stateKeyAlias(props.bucketName)}`;
}

function checkBucketName(scope: Construct, field: string, name: string): void {
  if (!BUCKET_NAME.test(name) || name.includes("..")) {
    throw new ConfigError(`${field} "${name}" is not a valid S3 bucket name (3-63 of a-z, 0-9, ".", "-")`, scope);
  }
}

/**
 * The parts both buckets share: versioning, all public access blocked, bucket-owner-enforced
 * (no ACLs; policy-based log delivery needs it), and a policy that denies plain HTTP plus `extra`.
 */
function hardenBucket(scope: Construct, bucket: S3Bucket, extra: DataAwsIamPolicyDocumentStatement[]): S3BucketPolicy {
  new S3BucketVersioningA(scope, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const policy = new DataAwsIamPolicyDocument(scope, "tls-only", {
    statement: [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      ...extra,
    ],
  });
  return new S3BucketPolicy(scope, "policy", { bucket: bucket.id, policy: policy.json });
}

/**
 * The S3 bucket that holds an environment's terraform state: versioned, SSE-KMS with a rotating
 * key, bucket-owner-enforced, all public access blocked, TLS-only, old versions expired after a
 * recovery window, and protected from `terraform destroy`.
 *
 * Threats stopped: a writer that omits or changes the encryption header (terraform with
 * `encrypt = true` and no key sends AES256) cannot store state outside the key, whose policy and
 * CloudTrail record every decrypt — the bucket policy denies PutObject unless it is `aws:kms`
 * with this key; and state reads leave a trail — server access logs go to a separate bucket.
 */
export class S3StateBucket extends Construct {
  /** The bucket resource. */
  public readonly bucket: S3Bucket;
  /** The key encrypting state objects. */
  public readonly key: EncryptionKey;
  /** The bucket receiving the state bucket's server access logs. */
  public readonly accessLogBucket: S3Bucket;

  constructor(scope: Construct, id: string, props: S3StateBucketProps) {
    super(scope, id);
    const noncurrentVersionDays = props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
    const accessLogBucketName = props.accessLogBucketName ?? `${props.bucketName}${ACCESS_LOG_SUFFIX}`;
    const accessLogRetentionDays = props.accessLogRetentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;
    checkBucketName(this, "bucketName", props.bucketName);
    checkBucketName(this, "accessLogBucketName", accessLogBucketName);
    if (accessLogBucketName === props.bucketName) {
      throw new ConfigError(`accessLogBucketName must differ from bucketName "${props.bucketName}" (logging a bucket into itself loops); omit it for "<bucketName>${ACCESS_LOG_SUFFIX}"`, this);
    }
    if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 30) {
      throw new ConfigError(
        `noncurrentVersionDays must be an integer of at least 30 (the state recovery window), got ${noncurrentVersionDays}`,
        this,
      );
    }
    if (!Number.isInteger(accessLogRetentionDays) || accessLogRetentionDays < 90) {
      throw new ConfigError(`accessLogRetentionDays must be an integer of at least 90 (an audit window), got ${accessLogRetentionDays}`, this);
    }

    const guarded = props.keyGuardedFrom ?? [];
    guarded.forEach((arn, i) => {
      if (!IAM_ROLE_ARN.test(arn)) throw new ConfigError(`keyGuardedFrom[${i}] "${arn}" must be an IAM role ARN like arn:aws:iam::123456789012:role/test-ci-apply`, this);
    });
    this.key = new EncryptionKey(this, "key", {
      alias: stateKeyAlias(props.bucketName),
      description: `Encrypts terraform state in s3://${props.bucketName}`,
      // Threat: a merged change running as the CI apply role disables or schedules deletion of the
      // state key (state unreadable) after re-pointing its alias, which an alias-keyed IAM deny
      // would no longer match. The key's own policy names no alias. Principal "*" with a condition
      // (not the role as principal) because KMS rejects policies naming roles that do not exist yet.
      statements: guarded.length
        ? [
            {
              sid: "KeepStateKey",
              effect: "Deny",
              actions: STATE_KEY_GUARDED_ACTIONS,
              resources: ["*"],
              principals: [{ type: "AWS", identifiers: ["*"] }],
              condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [...guarded] }],
            },
          ]
        : [],
    });
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      lifecycle: { preventDestroy: true },
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
    const objects = [`${this.bucket.arn}/*`];
    const anyone = [{ type: "*", identifiers: ["*"] }];
    hardenBucket(this, this.bucket, [
      {
        sid: "DenyPutWithoutKms",
        effect: "Deny",
        actions: ["s3:PutObject"],
        resources: objects,
        principals: anyone,
        condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }],
      },
      {
        // The backend names the key by alias ARN; S3 may also see the key ARN (SDKs that resolve it).
        sid: "DenyPutWithOtherKey",
        effect: "Deny",
        actions: ["s3:PutObject"],
        resources: objects,
        principals: anyone,
        condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: [this.key.arn, this.key.aliasArn] }],
      },
    ]);

    const logs = new Construct(this, "access-logs");
    this.accessLogBucket = new S3Bucket(logs, "bucket", { bucket: accessLogBucketName, lifecycle: { preventDestroy: true } });
    // S3 delivers access logs only into SSE-S3 buckets (SSE-KMS targets are not supported).
    new S3BucketServerSideEncryptionConfigurationA(logs, "encryption", {
      bucket: this.accessLogBucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    suppressRule(this.accessLogBucket, "AWS-S3-002", "S3 server access log delivery does not support SSE-KMS target buckets; SSE-S3 is used");
    suppressRule(this.accessLogBucket, "AWS-S3-005", "this is the access-log target; logging it into itself would loop");
    new S3BucketLifecycleConfiguration(logs, "lifecycle", {
      bucket: this.accessLogBucket.id,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: accessLogRetentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const caller = new DataAwsCallerIdentity(logs, "caller");
    const deliveryPolicy = hardenBucket(logs, this.accessLogBucket, [
      {
        // Only S3 log delivery for this state bucket in this account (confused-deputy guard).
        sid: "AllowStateBucketLogDelivery",
        effect: "Allow",
        actions: ["s3:PutObject"],
        resources: [`${this.accessLogBucket.arn}/*`],
        principals: [{ type: "Service", identifiers: [LOGGING_SERVICE] }],
        condition: [
          { test: "ArnLike", variable: "aws:SourceArn", values: [this.bucket.arn] },
          { test: "StringEquals", variable: "aws:SourceAccount", values: [caller.accountId] },
        ],
      },
    ]);
    new S3BucketLoggingA(this, "logging", {
      bucket: this.bucket.id,
      targetBucket: this.accessLogBucket.id,
      targetPrefix: "",
      dependsOn: [deliveryPolicy],
    });
  }
}
