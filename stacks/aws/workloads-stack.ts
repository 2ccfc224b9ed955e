import { Construct } from "constructs";
import { eksToken, execKubernetesProvider, KubernetesClusterAccess } from "../../constructs/kubernetes/cluster-access";
import { ConfigError } from "../../constructs/errors";
import { AwsTestEnvironment } from "../../environments/schema";
import { DeployedWorkloads, deployWorkloads } from "../kubernetes/deploy-workloads";
import { AwsEnvironmentStack } from "./aws-stack";

/** What the workloads stack needs from the EKS stack. */
export interface AwsWorkloadsStackProps {
  /** The EKS cluster's endpoint, CA and name. */
  readonly cluster: KubernetesClusterAccess;
}

/**
 * `<env>-aws-workloads`: the team namespaces and services on EKS. Terraform authenticates with
 * `aws eks get-token` as whoever runs it; images come from the environment's ECR repositories.
 */
export class AwsWorkloadsStack extends AwsEnvironmentStack {
  /** The namespaces and workloads built. */
  public readonly deployed: DeployedWorkloads;

  constructor(scope: Construct, env: AwsTestEnvironment, props: AwsWorkloadsStackProps) {
    super(scope, "workloads", { env });
    execKubernetesProvider(this, "kubernetes", props.cluster, eksToken(props.cluster.clusterName, env.region));
    const registry = env.workloads.registry ?? `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com`;
    if (env.workloads.registry === undefined) {
      const repositories = env.ecr.repositories.map((r) => r.name);
      for (const service of env.workloads.services) {
        if (!repositories.includes(service.image.repository)) {
          throw new ConfigError(
            `workloads.services ${service.name} image.repository "${service.image.repository}" is not an ECR repository of this environment (${repositories.join(", ") || "none"}); add it to ecr.repositories`,
            this,
          );
        }
      }
    }
    this.deployed = deployWorkloads(this, env.workloads, registry);
  }
}
