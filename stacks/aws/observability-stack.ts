import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { useDatadogProvider } from "../../constructs/datadog/datadog-provider";
import { EnvironmentObservability } from "../../constructs/datadog/environment-observability";
import { AwsTestEnvironment } from "../../environments/schema";
import { useAwsEnvironmentState } from "./aws-stack";

/** What the observability stack watches besides the config's services. */
export interface AwsObservabilityStackProps {
  /** Lambda functions whose errors alert (e.g. the EBS reaper of the cost stack). @default none */
  readonly lambdas?: readonly { readonly functionName: string; readonly service: string }[];
}

/**
 * `<env>-aws-observability`: Datadog monitors, API tests, the load-event dashboard and the SLO of
 * the AWS environment. State lives in the environment's bucket like every other stack, but the
 * stack has no AWS provider: it only talks to Datadog (keys from DD_API_KEY / DD_APP_KEY).
 */
export class AwsObservabilityStack extends TerraformStack {
  /** Everything the stack creates in Datadog. */
  public readonly observability: EnvironmentObservability;

  constructor(scope: Construct, env: AwsTestEnvironment, props: AwsObservabilityStackProps = {}) {
    super(scope, `${env.name}-aws-observability`);
    useAwsEnvironmentState(this, env, "observability");
    useDatadogProvider(this, env.observability.site);
    this.observability = new EnvironmentObservability(this, "observability", {
      ...env.observability,
      env: env.name,
      platformTeam: env.tags.owner,
      clusterName: env.eks.clusterName,
      workloads: env.workloads.services,
      lambdas: props.lambdas ?? [],
    });
  }
}
