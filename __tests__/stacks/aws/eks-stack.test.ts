import { Testing } from "cdktf";
import { buildAwsEnvironment } from "../../../stacks/aws";
import { environments, resourcesOf } from "../../helpers/synth";

/** The test environment with two node groups, the first kept awake at night. */
function withOffHours(keepAwake: string[]) {
  const env = environments().testAws;
  const [first, second] = env.eks.nodeGroups;
  env.eks.nodeGroups = [
    { ...first, name: "system", minSize: 1, desiredSize: 2, maxSize: 3 },
    { ...second, name: "workload", minSize: 2, desiredSize: 3, maxSize: 6 },
  ];
  env.eks.offHours = { timeZone: "Europe/Berlin", days: ["MON", "TUE", "WED", "THU", "FRI"], start: "07:00", end: "19:00", keepAwake };
  return buildAwsEnvironment(Testing.app(), env).eks;
}

describe("AWS EKS stack off-hours schedule", () => {
  it("sends unkept node groups to zero and kept ones to their minimum, on the node groups' own ASGs", () => {
    const actions = resourcesOf(withOffHours(["system"]), "aws_autoscaling_schedule");
    const sleep = (group: string) => actions.find((a) => a.scheduled_action_name.endsWith(`-${group}-sleep`));
    expect(sleep("workload")).toMatchObject({ min_size: 0, max_size: 0, desired_capacity: 0 });
    expect(sleep("system")).toMatchObject({ min_size: 1, max_size: 3, desired_capacity: 1 });
    for (const action of actions) {
      expect(action.autoscaling_group_name).toMatch(/^\$\{aws_eks_node_group\.[\w-]+\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/);
    }
    expect(actions.find((a) => a.scheduled_action_name.endsWith("-workload-wake"))).toMatchObject({ min_size: 2, max_size: 6, desired_capacity: 3 });
  });

  it("leaves a scheduled group's sizes to the schedule, so a plan at night neither drifts nor wakes it", () => {
    const groups = resourcesOf(withOffHours([]), "aws_eks_node_group");
    for (const group of groups) {
      expect(group.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["scaling_config[0].min_size", "scaling_config[0].max_size", "scaling_config[0].desired_size"]));
    }
    const env = environments().testAws;
    delete env.eks.offHours;
    for (const group of resourcesOf(buildAwsEnvironment(Testing.app(), env).eks, "aws_eks_node_group")) {
      expect(group.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
    }
  });

  it("adds no action for a kept group already at its minimum", () => {
    const env = environments().testAws;
    env.eks.offHours = { timeZone: "UTC", days: ["MON"], start: "08:00", end: "18:00", keepAwake: env.eks.nodeGroups.map((g) => g.name) };
    env.eks.nodeGroups = env.eks.nodeGroups.map((g) => ({ ...g, desiredSize: g.minSize }));
    expect(resourcesOf(buildAwsEnvironment(Testing.app(), env).eks, "aws_autoscaling_schedule")).toEqual([]);
  });

  it("schedules nothing without offHours", () => {
    const env = environments().testAws;
    delete env.eks.offHours;
    expect(resourcesOf(buildAwsEnvironment(Testing.app(), env).eks, "aws_autoscaling_schedule")).toEqual([]);
  });
});
