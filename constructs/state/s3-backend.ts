import { S3Backend, TerraformStack } from "cdktf";

/** Where one stack keeps its state in the environment's S3 state bucket. */
export interface S3StateBackendProps {
  /** State bucket created by the environment's bootstrap stack. */
  readonly bucket: string;
  /** Object key, one per stack, e.g. "test/aws/network.tfstate". */
  readonly key: string;
  /** Region of the state bucket. */
  readonly region: string;
  /**
   * The state KMS key, by key or alias ARN (see `stateKeyAliasArn`). Without it terraform's
   * `encrypt = true` sends an explicit AES256 header and state would bypass the key's policy and
   * its CloudTrail trail; the state bucket's policy refuses such writes.
   */
  readonly kmsKeyId: string;
}

/**
 * Point a stack at its S3 state object: encrypted with the state KMS key (state, lock file), locked with S3 native lock files
 * (terraform >= 1.10), no DynamoDB table.
 *
 * cdktf 0.21's typed S3Backend config predates `use_lockfile`, so it is set through an override;
 * the synthesized backend block is what terraform reads, so the lock is real.
 */
export function useS3StateBackend(stack: TerraformStack, props: S3StateBackendProps): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: props.bucket,
    key: props.key,
    region: props.region,
    encrypt: true,
    kmsKeyId: props.kmsKeyId,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}
