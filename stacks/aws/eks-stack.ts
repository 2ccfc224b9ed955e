import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EksCluster } from "../../constructs/aws/eks/eks-cluster";
import { OffHoursSchedule } from "../../constructs/aws/eks/off-hours-schedule";
import { runnerSubnetCidrs, withRunnerEgress } from "../../constructs/core/ci-runners";
import { standardTags } from "../../constructs/core/tags";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";
import { ciRoles } from "./ci-stack";

/** What the EKS stack needs from the network stack. */
export interface AwsEksStackProps {
  readonly privateSubnetIds: string[];
}

/** `<env>-aws-eks`: the cluster, its node groups, add-ons and access entries. */
export class AwsEksStack extends AwsEnvironmentStack {
  /** The cluster; workload stacks read its endpoint and CA from here. */
  public readonly cluster: EksCluster;
  /** The nightly scale-down, when the environment configures `eks.offHours`. */
  public readonly offHours?: OffHoursSchedule;

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
      ciAccess: { planRoleArn: ciRoles(env).plan.arn, applyRoleArn: ciRoles(env).apply.arn },
      // The CI runners' network (ci.runners) is the one source of their addresses in both lists.
      publicEndpoint: { ...env.eks.publicEndpoint, allowedCidrs: env.eks.publicEndpoint.enabled ? withRunnerEgress(env.eks.publicEndpoint.allowedCidrs, env.ci.runners) : env.eks.publicEndpoint.allowedCidrs },
      privateEndpointCidrs: runnerSubnetCidrs(env.ci.runners),
      logRetentionDays: env.eks.logRetentionDays,
      nodeGroups: env.eks.nodeGroups,
      resourceTags: standardTags({ environment: env.name, ...env.tags }),
    });
    const offHours = env.eks.offHours;
    if (offHours) {
      this.offHours = new OffHoursSchedule(this, "off-hours", {
        ...offHours,
        name: env.eks.clusterName,
        groups: env.eks.nodeGroups.map((spec) => {
          const awake = { min: spec.minSize, max: spec.maxSize, desired: spec.desiredSize };
          const nodeGroup = this.cluster.nodeGroups[spec.name].nodeGroup;
          return {
            name: spec.name,
            nodeGroup,
            autoscalingGroupName: nodeGroup.resources.get(0).autoscalingGroups.get(0).name,
            awake,
            // Kept groups shrink to their minimum (never below it); the others go to zero, max included,
            // so nothing scales them up at night.
            asleep: offHours.keepAwake.includes(spec.name) ? { ...awake, desired: spec.minSize } : { min: 0, max: 0, desired: 0 },
          };
        }).filter((g) => g.asleep.desired !== g.awake.desired || g.asleep.max !== g.awake.max),
      });
    }
    new TerraformOutput(this, "cluster-name", { value: this.cluster.name });
    new TerraformOutput(this, "cluster-endpoint", { value: this.cluster.endpoint });
    new TerraformOutput(this, "oidc-provider-arn", { value: this.cluster.oidcProvider.arn });
  }
}
