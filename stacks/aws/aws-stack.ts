import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { standardTags } from "../../constructs/core/tags";
import { localStatePath } from "../../constructs/state/local-state";
import { useS3StateBackend } from "../../constructs/state/s3-backend";
import { stateKeyAliasArn } from "../../constructs/state/s3-state-bucket";
import { AwsTestEnvironment } from "../../environments/schema";

/** Props shared by every stack of an AWS environment. */
export interface AwsEnvironmentStackProps {
  /** The parsed environment config. */
  readonly env: AwsTestEnvironment;
  /**
   * Keep state in a local file instead of the S3 bucket. Only the bootstrap stack that creates
   * the bucket does this: it cannot store its state in a bucket that does not exist yet.
   * @default false
   */
  readonly localState?: boolean;
}

/**
 * A stack of an AWS environment: named `<env>-aws-<unit>`, with its own state key
 * `<env>/aws/<unit>.tfstate`, and a provider that tags everything and refuses any account
 * but the environment's.
 */
export class AwsEnvironmentStack extends TerraformStack {
  /** The environment this stack belongs to. */
  public readonly env: AwsTestEnvironment;

  constructor(scope: Construct, unit: string, props: AwsEnvironmentStackProps) {
    super(scope, `${props.env.name}-aws-${unit}`);
    this.env = props.env;
    new AwsProvider(this, "aws", {
      region: props.env.region,
      allowedAccountIds: [props.env.accountId],
      defaultTags: [{ tags: standardTags({ environment: props.env.name, ...props.env.tags }) }],
    });
    if (props.localState) {
      new LocalBackend(this, { path: localStatePath(this.node.id) });
    } else {
      useAwsEnvironmentState(this, props.env, unit);
    }
  }
}

/**
 * Keep a stack's state in the environment's bucket under `<env>/aws/<unit>.tfstate`. Shared with
 * stacks of the environment that need no AWS provider (e.g. observability, which talks to Datadog).
 */
export function useAwsEnvironmentState(stack: TerraformStack, env: AwsTestEnvironment, unit: string): void {
  useS3StateBackend(stack, {
    bucket: env.state.bucketName,
    key: `${env.name}/aws/${unit}.tfstate`,
    region: env.region,
    kmsKeyId: stateKeyAliasArn({ region: env.region, accountId: env.accountId, bucketName: env.state.bucketName }),
  });
}
