import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EbsReaper } from "../../constructs/aws/cost/ebs-reaper";
import { ebsVolumePrices } from "../../lambdas/ebs-reaper/pricing";
import { AwsTestEnvironment, EbsReaperConfig } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";

/**
 * `<env>-aws-cost`: cost controls. Today the unattached-EBS reaper; its role ARN is an output
 * because every member account's ReaperMemberRole must trust it.
 */
export class AwsCostStack extends AwsEnvironmentStack {
  /** The reaper. */
  public readonly reaper: EbsReaper;

  constructor(scope: Construct, env: AwsTestEnvironment, config: EbsReaperConfig) {
    super(scope, "cost", { env });
    this.reaper = new EbsReaper(this, "ebs-reaper", {
      name: `${env.name}-ebs-reaper`,
      region: env.region,
      accountId: env.accountId,
      ...config,
      // The repository's price table for the environment's region, like `npm run cost`.
      prices: config.prices ?? ebsVolumePrices(env.region),
    });
    new TerraformOutput(this, "reaper-role-arn", { value: this.reaper.role.arn, description: "Trusted by ReaperMemberRole in member accounts" });
    new TerraformOutput(this, "reaper-function-name", { value: this.reaper.function.functionName });
    new TerraformOutput(this, "reaper-topic-arn", { value: this.reaper.topic.arn });
    new TerraformOutput(this, "reaper-dlq-url", { value: this.reaper.deadLetterQueue.url });
  }
}
