import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { S3StateBucket } from "../../constructs/state/s3-state-bucket";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";
import { ciRoles } from "./ci-stack";

/**
 * `<env>-aws-state`: the bootstrap stack that creates the state bucket every other stack of the
 * environment stores its state in. Its own state is local by design (see README, "Bootstrap").
 */
export class AwsStateStack extends AwsEnvironmentStack {
  /** The state bucket. */
  public readonly stateBucket: S3StateBucket;

  constructor(scope: Construct, env: AwsTestEnvironment) {
    super(scope, "state", { env, localState: true });
    this.stateBucket = new S3StateBucket(this, "state-bucket", {
      bucketName: env.state.bucketName,
      noncurrentVersionDays: env.state.noncurrentVersionDays,
      // The CI apply role (AdministratorAccess) may not disable, delete or re-alias the state key.
      keyGuardedFrom: [ciRoles(env).apply.arn],
    });
    new TerraformOutput(this, "bucket-name", { value: this.stateBucket.bucket.bucket });
    new TerraformOutput(this, "kms-key-arn", { value: this.stateBucket.key.arn });
  }
}
