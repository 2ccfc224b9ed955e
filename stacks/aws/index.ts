import { Construct } from "constructs";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsCiStack } from "./ci-stack";
import { AwsCostStack } from "./cost-stack";
import { AwsEcrStack } from "./ecr-stack";
import { AwsEksStack } from "./eks-stack";
import { AwsNetworkStack } from "./network-stack";
import { AwsObservabilityStack } from "./observability-stack";
import { AwsStateStack } from "./state-stack";
import { AwsWorkloadsStack } from "./workloads-stack";

/** The stacks of an AWS environment, in bootstrap order. */
export interface AwsEnvironmentStacks {
  /** GitHub OIDC provider and the pipeline's roles (bootstrap, applied by hand). */
  readonly ci: AwsCiStack;
  readonly state: AwsStateStack;
  readonly network: AwsNetworkStack;
  readonly eks: AwsEksStack;
  readonly ecr: AwsEcrStack;
  readonly workloads: AwsWorkloadsStack;
  /** Present when the environment configures the EBS reaper. */
  readonly cost?: AwsCostStack;
  readonly observability: AwsObservabilityStack;
}

/** Build every stack of an AWS environment. Cross-stack values flow through typed props. */
export function buildAwsEnvironment(scope: Construct, env: AwsTestEnvironment): AwsEnvironmentStacks {
  const ci = new AwsCiStack(scope, env);
  const state = new AwsStateStack(scope, env);
  const network = new AwsNetworkStack(scope, env);
  const eks = new AwsEksStack(scope, env, { privateSubnetIds: network.network.privateSubnetIds });
  const ecr = new AwsEcrStack(scope, env, { nodeRoleArn: eks.cluster.nodeRole.arn });
  const cluster = eks.cluster;
  const workloads = new AwsWorkloadsStack(scope, env, { cluster: { host: cluster.endpoint, clusterCaCertificate: cluster.certificateAuthorityData, clusterName: cluster.name } });
  // Images must exist in the repositories before pods pull them; no resource reference says so.
  workloads.addDependency(ecr);
  const cost = env.ebsReaper ? new AwsCostStack(scope, env, env.ebsReaper) : undefined;
  const observability = new AwsObservabilityStack(scope, env, {
    // The reaper's name as given (a plain string, not a token), so no cross-stack state read is needed.
    lambdas: cost ? [{ functionName: cost.reaper.function.functionNameInput ?? "", service: "ebs-reaper" }] : [],
  });
  return { ci, state, network, eks, ecr, workloads, cost, observability };
}
