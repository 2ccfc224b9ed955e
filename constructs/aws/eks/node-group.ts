import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";

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

/**
 * An EKS managed node group on a launch template that requires IMDSv2 (hop limit 2, so pods
 * cannot borrow the node's credentials through a proxy hop) and encrypted gp3 root volumes.
 * The autoscaler owns desired_size after creation, so terraform does not fight it.
 */
export class ManagedNodeGroup extends Construct {
  /** The node group resource. */
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    validateNodeGroup(this, props);
    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.clusterName}-${props.name}-`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
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
  if (spec.instanceTypes.length === 0) throw new ConfigError(`${where}: instanceTypes is empty; list at least one`, scope);
  if (spec.capacityType === "SPOT" && spec.instanceTypes.length < 2) {
    throw new ConfigError(
      `${where}: SPOT capacity with a single instance type (${spec.instanceTypes.join(", ")}) stalls when that pool is exhausted; list at least two`,
      scope,
    );
  }
}
