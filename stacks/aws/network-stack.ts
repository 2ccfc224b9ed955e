import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../../constructs/aws/kms/encryption-key";
import { logsKeyStatement } from "../../constructs/aws/logs/encrypted-log-group";
import { VpcNetwork } from "../../constructs/aws/network/vpc-network";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";

/** `<env>-aws-network`: the VPC the cluster runs in, with its flow logs. */
export class AwsNetworkStack extends AwsEnvironmentStack {
  /** The VPC and its subnets. */
  public readonly network: VpcNetwork;

  constructor(scope: Construct, env: AwsTestEnvironment) {
    super(scope, "network", { env });
    const key = new EncryptionKey(this, "logs-key", {
      alias: `${env.name}/network-logs`,
      description: `Encrypts ${env.name} VPC flow logs`,
      statements: [logsKeyStatement(env.region, env.accountId)],
    });
    this.network = new VpcNetwork(this, "vpc", {
      name: env.name,
      cidr: env.network.vpcCidr,
      azCount: env.network.azCount,
      publicSubnetPrefix: env.network.publicSubnetPrefix,
      privateSubnetPrefix: env.network.privateSubnetPrefix,
      subnetCidrs: env.network.subnetCidrs,
      natGateways: env.network.natGateways,
      eksClusterNames: [env.eks.clusterName],
      flowLogKmsKeyArn: key.arn,
      flowLogRetentionDays: env.network.flowLogRetentionDays,
    });
    new TerraformOutput(this, "vpc-id", { value: this.network.vpc.id });
    new TerraformOutput(this, "private-subnet-ids", { value: this.network.privateSubnetIds });
  }
}
