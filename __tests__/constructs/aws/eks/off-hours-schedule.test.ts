import { OffHoursSchedule, OffHoursScheduleProps } from "../../../../constructs/aws/eks/off-hours-schedule";
import { weeklyRecurrence } from "../../../../constructs/aws/eks/office-hours";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const props = (over: Partial<OffHoursScheduleProps> = {}): OffHoursScheduleProps => ({
  name: "test-platform",
  timeZone: "Europe/Berlin",
  days: ["MON", "TUE", "WED", "THU", "FRI"],
  start: "07:30",
  end: "19:00",
  groups: [{ name: "workload", autoscalingGroupName: "eks-workload-asg", awake: { min: 2, max: 10, desired: 3 }, asleep: { min: 0, max: 0, desired: 0 } }],
  ...over,
});

describe("OffHoursSchedule", () => {
  it("wakes each group at the start and puts it to sleep at the end, in the office's time zone", () => {
    const stack = emptyStack();
    new OffHoursSchedule(stack, "off-hours", props());
    const actions = resourcesOf(stack, "aws_autoscaling_schedule");
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scheduled_action_name: "test-platform-workload-wake", autoscaling_group_name: "eks-workload-asg", recurrence: "30 7 * * 1,2,3,4,5", time_zone: "Europe/Berlin", min_size: 2, max_size: 10, desired_capacity: 3 }),
        expect.objectContaining({ scheduled_action_name: "test-platform-workload-sleep", recurrence: "0 19 * * 1,2,3,4,5", time_zone: "Europe/Berlin", min_size: 0, max_size: 0, desired_capacity: 0 }),
      ]),
    );
    expect(actions).toHaveLength(2);
  });
  it("writes weekdays in cron numbers, Sunday = 0, sorted and unique", () => {
    expect(weeklyRecurrence("08:05", ["SAT", "SUN", "MON", "MON"])).toBe("5 8 * * 0,1,6");
  });
  it("rejects an invalid time zone", () => {
    expect(() => new OffHoursSchedule(emptyStack(), "o", props({ timeZone: "Mars/Olympus" }))).toThrow(/officeHours.timeZone "Mars\/Olympus" is not an IANA time zone/);
  });
  it("rejects office hours that end before they start", () => {
    expect(() => new OffHoursSchedule(emptyStack(), "o", props({ start: "18:00", end: "09:00" }))).toThrow(/officeHours.end 09:00 is not after start 18:00/);
  });
  it("rejects a sleeping size that is not min <= desired <= max", () => {
    const groups = [{ name: "w", autoscalingGroupName: "a", awake: { min: 2, max: 10, desired: 3 }, asleep: { min: 1, max: 0, desired: 0 } }];
    expect(() => new OffHoursSchedule(emptyStack(), "o", props({ groups }))).toThrow(/node group "w" asleep size .* needs whole numbers with min <= desired <= max/);
  });
});
