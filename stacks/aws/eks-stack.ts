import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EksCluster } from "../../constructs/aws/eks/eks-cluster";
import { standardTags } from "../../constructs/core/tags";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";

/** What the EKS stack needs from the network stack. */
export interface AwsEksStackProps {
  readonly privateSubnetIds: string[];
}

/** `<env>-aws-eks`: the cluster, its node groups, add-ons and access entries. */
export class AwsEksStack extends AwsEnvironmentStack {
  /** The cluster; workload stacks read its endpoint and CA from here. */
  public readonly cluster: EksCluster;

  constructor(scope: Construct, env: AwsTestEnvironment, props: AwsEksStackProps) {
    super(scope, "eks", { env });
    this.cluster = new EksCluster(this, "cluster", {
      name: env.eks.clusterName,
      version: env.eks.version,
      region: env.region,
      accountId: env.accountId,
      subnetIds: props.privateSubnetIds,
      adminPrincipals: env.eks.adminPrincipals,
      teamAccess: env.eks.teamAccess,
      publicEndpoint: env.eks.publicEndpoint,
      logRetentionDays: env.eks.logRetentionDays,
      nodeGroups: env.eks.nodeGroups,
      resourceTags: standardTags({ environment: env.name, ...env.tags }),
    });
    new TerraformOutput(this, "cluster-name", { value: this.cluster.name });
    new TerraformOutput(this, "cluster-endpoint", { value: this.cluster.endpoint });
    new TerraformOutput(this, "oidc-provider-arn", { value: this.cluster.oidcProvider.arn });
  }
}
