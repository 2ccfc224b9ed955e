import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";
import { OfficeHours, officeHoursProblems, weeklyRecurrence } from "./office-hours";

/** Size of an Auto Scaling group. */
export interface GroupSize {
  /** Fewest instances. */
  readonly min: number;
  /** Most instances (0 at night, so nothing can scale the group back up). */
  readonly max: number;
  /** Instances to run. */
  readonly desired: number;
}

/** One node group's Auto Scaling group and its sizes awake and asleep. */
export interface ScheduledGroup {
  /** Node group name, used in the scheduled actions' names. */
  readonly name: string;
  /** `aws_eks_node_group.resources[0].autoscaling_groups[0].name`. */
  readonly autoscalingGroupName: string;
  /**
   * The managed node group behind the ASG. When given, terraform stops managing its min/max (the
   * schedule owns them) so a plan at night neither shows drift nor wakes the group. @default none
   */
  readonly nodeGroup?: EksNodeGroup;
  /** The configured size, restored at `start`. */
  readonly awake: GroupSize;
  /** The size outside office hours. */
  readonly asleep: GroupSize;
}

/** Props of {@link OffHoursSchedule}. */
export interface OffHoursScheduleProps extends OfficeHours {
  /** Prefix of the scheduled actions' names, e.g. the cluster name. */
  readonly name: string;
  /** The node groups to put to sleep and wake; a group not listed is left alone. */
  readonly groups: readonly ScheduledGroup[];
}

/** Scheduled actions of one node group. */
export interface GroupActions {
  /** Restores the configured size at the start of office hours. */
  readonly wake: AutoscalingSchedule;
  /** Applies the night size at the end of office hours. */
  readonly sleep: AutoscalingSchedule;
}

/**
 * Scales node groups' Auto Scaling groups down outside office hours and back at the start of the
 * next office day: two scheduled actions per group, in the office's time zone (the ASG service
 * follows its daylight saving).
 *
 * Scale-in of a managed node group's ASG goes through EKS's termination lifecycle hook: EKS cordons
 * and drains each node (evictions respect PodDisruptionBudgets), and once its drain timeout passes
 * the instance is terminated anyway. So PDBs delay the nightly scale-down; they cannot block it.
 * See docs/cost.md "Off-hours schedule".
 */
export class OffHoursSchedule extends Construct {
  /** Scheduled actions by node group: the one that wakes it and the one that puts it to sleep. */
  public readonly actions: Record<string, GroupActions> = {};

  constructor(scope: Construct, id: string, props: OffHoursScheduleProps) {
    super(scope, id);
    const problems = officeHoursProblems(props);
    if (problems.length > 0) throw new ConfigError(problems.map((p) => `officeHours.${p.field} ${p.message}`).join("; "), this);
    for (const group of props.groups) {
      for (const [state, size] of [["awake", group.awake], ["asleep", group.asleep]] as const) {
        if (![size.min, size.max, size.desired].every((n) => Number.isInteger(n) && n >= 0) || size.min > size.desired || size.desired > size.max) {
          throw new ConfigError(`node group "${group.name}" ${state} size ${JSON.stringify(size)} needs whole numbers with min <= desired <= max`, this);
        }
      }
      const action = (kind: "wake" | "sleep", time: string, size: GroupSize) =>
        new AutoscalingSchedule(this, `${group.name}-${kind}`, {
          scheduledActionName: `${props.name}-${group.name}-${kind}`,
          autoscalingGroupName: group.autoscalingGroupName,
          recurrence: weeklyRecurrence(time, props.days),
          timeZone: props.timeZone,
          minSize: size.min,
          maxSize: size.max,
          desiredCapacity: size.desired,
        });
      this.actions[group.name] = { wake: action("wake", props.start, group.awake), sleep: action("sleep", props.end, group.asleep) };
      if (group.nodeGroup) scheduleOwnsScaling(group.nodeGroup);
    }
  }
}

const SCALING_SIZES = ["scaling_config[0].min_size", "scaling_config[0].max_size", "scaling_config[0].desired_size"];

/**
 * EKS reports the ASG's scheduled min/max back as the node group's scaling_config, so without this
 * every night plan shows drift and applying it would wake the group. The wake action carries the
 * configured sizes, so a size change in config still reaches the group at the next wake.
 */
function scheduleOwnsScaling(nodeGroup: EksNodeGroup): void {
  const ignored = nodeGroup.lifecycle?.ignoreChanges;
  const existing = Array.isArray(ignored) ? ignored : [];
  nodeGroup.lifecycle = { ...nodeGroup.lifecycle, ignoreChanges: [...new Set([...existing, ...SCALING_SIZES])] };
}
