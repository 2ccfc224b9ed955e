import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";
import { imdsHopLimitOne } from "../../policy/rules/aws/imds-hop-limit-one";
import { MIN_SUPPRESSION_REASON, suppressRule } from "../../policy/suppressions";

/** A Kubernetes taint on every node of a group. */
export interface NodeTaint {
  /** Taint key, e.g. "CriticalAddonsOnly". */
  readonly key: string;
  /** Taint value. @default none */
  readonly value?: string;
  /** What happens to pods that do not tolerate it. */
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** Sizing and placement of one managed node group. */
export interface NodeGroupSpec {
  /** Node group name, unique in the cluster. */
  readonly name: string;
  /** ON_DEMAND for system pods; SPOT (with several instance types) for interruptible work. @default "ON_DEMAND" */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /** Instance types; SPOT groups need at least two so one exhausted pool does not stall scaling. */
  readonly instanceTypes: string[];
  /** Fewest nodes the autoscaler keeps. */
  readonly minSize: number;
  /** Most nodes the autoscaler may add. */
  readonly maxSize: number;
  /** Nodes at creation; afterwards the cluster autoscaler owns the count. */
  readonly desiredSize: number;
  /** Root volume size. @default 50 */
  readonly diskSizeGiB?: number;
  /** Kubernetes node labels. @default none */
  readonly labels?: Record<string, string>;
  /** Kubernetes taints. @default none */
  readonly taints?: NodeTaint[];
  /**
   * Instance metadata (IMDS) response hop limit. 1 means a response never survives the extra hop
   * into a pod's network namespace, so pods cannot read the node role's credentials (the CNI and
   * the EBS CSI driver use IRSA and do not need them). 2 is only for workloads that truly need
   * node credentials and requires `imdsHopLimitReason`.
   * @default 1
   */
  readonly imdsHopLimit?: 1 | 2;
  /** Why this group needs hop limit 2; shown as the suppression reason in the policy report. @default none */
  readonly imdsHopLimitReason?: string;
}

/** Props of {@link ManagedNodeGroup}. */
export interface ManagedNodeGroupProps extends NodeGroupSpec {
  /** Cluster the group joins. */
  readonly clusterName: string;
  /** IAM role the nodes run as. */
  readonly nodeRoleArn: string;
  /** Private subnets the nodes are placed in. */
  readonly subnetIds: string[];
  /** Tags for the instances and volumes the group launches (default_tags do not reach them). */
  readonly resourceTags?: Record<string, string>;
  /** Created after these (node role policies, the CNI add-on). */
  readonly dependsOn?: ITerraformDependable[];
}

const DEFAULT_DISK_GIB = 50;
/** Pods sit one network hop behind the node: a hop limit of 1 keeps IMDS answers from reaching them. */
export const DEFAULT_IMDS_HOP_LIMIT = 1;

/**
 * An EKS managed node group on a launch template that requires IMDSv2 with a response hop limit
 * of 1 (pods cannot take the node role's credentials) and encrypted gp3 root volumes.
 * The autoscaler owns desired_size after creation, so terraform does not fight it.
 */
export class ManagedNodeGroup extends Construct {
  /** The node group resource. */
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    validateNodeGroup(this, props);
    const hopLimit = props.imdsHopLimit ?? DEFAULT_IMDS_HOP_LIMIT;
    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.clusterName}-${props.name}-`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: hopLimit },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.diskSizeGiB ?? DEFAULT_DISK_GIB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({
        resourceType,
        tags: { ...props.resourceTags, "eks-node-group": props.name },
      })),
    });
    if (hopLimit !== DEFAULT_IMDS_HOP_LIMIT) {
      suppressRule(launchTemplate, imdsHopLimitOne.id, `node group "${props.name}": ${props.imdsHopLimitReason}`);
    }
    this.nodeGroup = new EksNodeGroup(this, "group", {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      capacityType: props.capacityType ?? "ON_DEMAND",
      instanceTypes: props.instanceTypes,
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.desiredSize },
      updateConfig: { maxUnavailable: 1 },
      labels: props.labels,
      taint: props.taints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.toString() },
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
      dependsOn: props.dependsOn,
    });
  }
}

function validateNodeGroup(scope: Construct, spec: NodeGroupSpec): void {
  const where = `node group "${spec.name}"`;
  for (const field of ["minSize", "maxSize", "desiredSize"] as const) {
    if (!Number.isInteger(spec[field]) || spec[field] < 0) {
      throw new ConfigError(`${where}: ${field} must be a non-negative integer, got ${spec[field]}`, scope);
    }
  }
  if (spec.maxSize < 1) throw new ConfigError(`${where}: maxSize must be at least 1, got ${spec.maxSize}`, scope);
  if (spec.minSize > spec.maxSize) {
    throw new ConfigError(`${where}: minSize ${spec.minSize} is greater than maxSize ${spec.maxSize}; raise maxSize or lower minSize`, scope);
  }
  if (spec.desiredSize < spec.minSize || spec.desiredSize > spec.maxSize) {
    throw new ConfigError(
      `${where}: desiredSize ${spec.desiredSize} is outside [minSize ${spec.minSize}, maxSize ${spec.maxSize}]; choose a value in that range`,
      scope,
    );
  }
  const hopLimit = spec.imdsHopLimit ?? DEFAULT_IMDS_HOP_LIMIT;
  if (hopLimit !== 1 && hopLimit !== 2) {
    throw new ConfigError(`${where}: imdsHopLimit must be 1 (or 2 with imdsHopLimitReason), got ${hopLimit}`, scope);
  }
  if (hopLimit === 2 && (spec.imdsHopLimitReason ?? "").trim().length < MIN_SUPPRESSION_REASON) {
    throw new ConfigError(
      `${where}: imdsHopLimit 2 lets every pod on the group take the node role's credentials; set imdsHopLimitReason (at least ${MIN_SUPPRESSION_REASON} characters, why this workload needs node credentials) or use 1, got reason ${JSON.stringify(spec.imdsHopLimitReason ?? "")}`,
      scope,
    );
  }
  if (spec.instanceTypes.length === 0) throw new ConfigError(`${where}: instanceTypes is empty; list at least one`, scope);
  if (spec.capacityType === "SPOT" && spec.instanceTypes.length < 2) {
    throw new ConfigError(
      `${where}: SPOT capacity with a single instance type (${spec.instanceTypes.join(", ")}) stalls when that pool is exhausted; list at least two`,
      scope,
    );
  }
}
