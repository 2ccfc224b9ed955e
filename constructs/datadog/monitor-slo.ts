import { ServiceLevelObjective } from "@cdktf/provider-datadog/lib/service-level-objective";
import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { AlertMonitor } from "./alert-monitor";
import { Ownership, ownershipTags } from "./ownership";
import { SLO_TIMEFRAMES } from "./options";

/** Props of {@link MonitorSlo}. */
export interface MonitorSloProps {
  /** e.g. "public API availability and latency". */
  readonly title: string;
  /** The team and service the SLO belongs to; it is named and tagged after it. */
  readonly owner: Ownership;
  /** The SLI: the share of time none of these monitors is alerting. */
  readonly monitors: readonly AlertMonitor[];
  /** Target, percent (e.g. 99.9). */
  readonly targetPercent: number;
  /** Warn before the target is breached; must be stricter (higher) than the target. @default none */
  readonly warningPercent?: number;
  /** Rolling window the target is measured over: `7d`, `30d` or `90d`. */
  readonly timeframe: (typeof SLO_TIMEFRAMES)[number];
}

/** A monitor-based SLO: good time is time in which none of the given monitors alerts. */
export class MonitorSlo extends Construct {
  /** The SLO resource. */
  public readonly slo: ServiceLevelObjective;

  constructor(scope: Construct, id: string, props: MonitorSloProps) {
    super(scope, id);
    const { targetPercent: target, warningPercent: warning } = props;
    if (!(target > 0 && target < 100)) {
      throw new ConfigError(`targetPercent must be above 0 and below 100 (e.g. 99.9), got ${target}`, this);
    }
    if (warning !== undefined && !(warning > target && warning < 100)) {
      throw new ConfigError(`warningPercent ${warning} must be above targetPercent ${target} and below 100 so it warns before the target is missed`, this);
    }
    if (props.monitors.length === 0) {
      throw new ConfigError("a monitor-based SLO needs at least one monitor", this);
    }
    this.slo = new ServiceLevelObjective(this, "slo", {
      name: `[${props.owner.env}] ${props.owner.service}: ${props.title}`,
      description: `Share of ${props.timeframe} in which none of the ${props.owner.service} SLI monitors alerts. Target ${target}%.`,
      type: "monitor",
      monitorIds: props.monitors.map((m) => m.monitorId),
      timeframe: props.timeframe,
      targetThreshold: target,
      ...(warning === undefined ? {} : { warningThreshold: warning }),
      thresholds: [{ timeframe: props.timeframe, target, ...(warning === undefined ? {} : { warning }) }],
      tags: ownershipTags(props.owner, this),
    });
  }
}
