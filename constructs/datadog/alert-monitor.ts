import { Monitor } from "@cdktf/provider-datadog/lib/monitor";
import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { notificationMessage, NotificationTargets, validateTargets } from "./notifications";
import { Ownership, ownershipTags } from "./ownership";
import { unconfirmedTagNotes } from "./metric-catalogue";
import { parseMonitorQuery, windowSeconds } from "./query";

/** What a threshold measures; decides the range it must lie in. */
export type ThresholdUnit = "percent" | "fraction" | "seconds" | "count" | "bytes-per-second";

/** Critical and optional warning thresholds. */
export interface MonitorThresholds {
  /** Must equal the threshold in the query. */
  readonly critical: number;
  /** Fires first: below critical for `>` queries, above it for `<` queries. @default none */
  readonly warning?: number;
}

/**
 * What a monitor does when its query returns nothing. There is no default: a monitor on a metric
 * that always reports must alert when it goes silent; one on a sparse error count must not.
 */
export type NoDataPolicy =
  | {
      /** Alert when the query has returned nothing for `afterMinutes`: for metrics that always report. */
      readonly notify: true;
      /** Minutes of silence before the no-data alert; at least twice the query's evaluation window. */
      readonly afterMinutes: number;
    }
  | {
      /** Stay quiet on missing data: for sparse metrics such as error counts that are absent when all is well. */
      readonly notify: false;
    };

/** Props of {@link AlertMonitor}. */
export interface AlertMonitorProps {
  /** Short title; the monitor is named `[env] service: title`. */
  readonly title: string;
  /** What the alert means and what to check first; becomes the message body. */
  readonly description: string;
  /** A full metric monitor query, validated against the metric catalogue. */
  readonly query: string;
  /** Critical (equal to the query's threshold) and optional warning level, in `unit`. */
  readonly thresholds: MonitorThresholds;
  /** Unit of the thresholds; bounds them (percent 0-100, fraction 0-1, seconds up to a day, counts and rates >= 0). */
  readonly unit: ThresholdUnit;
  /** env/service/team the monitor is named after and tagged with, linking it to the service page. */
  readonly owner: Ownership;
  /** Who is told on warning, alert, no data and recovery, and how often it renotifies. */
  readonly notifications: NotificationTargets;
  /** Whether silence alerts; required because the right answer depends on the metric. */
  readonly noData: NoDataPolicy;
  /**
   * 1 (highest) to 5.
   * @default 2
   */
  readonly priority?: number;
}

const DEFAULT_PRIORITY = 2;
const UNIT_RANGES: Record<ThresholdUnit, { min: number; max: number }> = {
  percent: { min: 0, max: 100 },
  fraction: { min: 0, max: 1 },
  seconds: { min: 0, max: 86400 },
  count: { min: 0, max: Number.MAX_SAFE_INTEGER },
  "bytes-per-second": { min: 0, max: Number.MAX_SAFE_INTEGER },
};

/**
 * A Datadog metric monitor that cannot be silently wrong: the query is parsed and checked at
 * synth, thresholds are ordered and in range, every monitor carries env/service/team tags,
 * routes warnings and alerts to the environment's targets, renotifies while unresolved and
 * states its no-data behaviour. Cloud-integration metrics get the evaluation delay they need,
 * sparse counts do not wait for a full window, and anomaly monitors get trigger/recovery windows
 * matching their alert window.
 */
export class AlertMonitor extends Construct {
  /** The monitor resource. */
  public readonly monitor: Monitor;
  /** Monitor id as a number token, for SLOs. */
  public readonly monitorId: number;

  constructor(scope: Construct, id: string, props: AlertMonitorProps) {
    super(scope, id);
    const parsed = parseMonitorQuery(props.query, this);
    const { critical, warning } = props.thresholds;
    const range = UNIT_RANGES[props.unit];
    for (const [name, value] of Object.entries({ critical, warning })) {
      if (value === undefined) continue;
      if (!Number.isFinite(value) || value < range.min || value > range.max) {
        throw new ConfigError(`thresholds.${name} ${value} is out of range for ${props.unit} (${range.min}-${range.max})`, this);
      }
    }
    if (parsed.threshold !== critical) {
      throw new ConfigError(`the query threshold ${parsed.threshold} differs from thresholds.critical ${critical}; Datadog requires them equal`, this);
    }
    const rising = parsed.comparator.startsWith(">");
    if (warning !== undefined && (rising ? warning >= critical : warning <= critical)) {
      throw new ConfigError(
        `thresholds.warning ${warning} must be ${rising ? "below" : "above"} thresholds.critical ${critical} (the query alerts when the value is ${parsed.comparator} critical); lower the warning or raise the critical`,
        this,
      );
    }
    validateTargets(props.notifications, this);
    const priority = props.priority ?? DEFAULT_PRIORITY;
    if (!Number.isInteger(priority) || priority < 1 || priority > 5) {
      throw new ConfigError(`priority must be an integer from 1 to 5, got ${priority}`, this);
    }
    if (props.noData.notify) {
      const minimum = (2 * windowSeconds(parsed.window)) / 60;
      if (!Number.isInteger(props.noData.afterMinutes) || props.noData.afterMinutes < minimum) {
        throw new ConfigError(
          `noData.afterMinutes must be an integer of at least twice the ${parsed.window} evaluation window (${minimum}), got ${props.noData.afterMinutes}`,
          this,
        );
      }
    }

    // A tag no public source confirms is named in the message, so whoever sees "no data" knows where to look first.
    const notes = parsed.metrics.flatMap((m) => unconfirmedTagNotes(m.name, [...m.filters.map((f) => f.key), ...m.groupBy]));
    const description = [props.description.trim(), ...notes].join("\n");
    const evaluationDelay = Math.max(0, ...parsed.metrics.map((m) => m.definition.delaySeconds ?? 0));
    const sparse = parsed.metrics.some((m) => m.definition.kind === "count");
    const alertWindow = parsed.anomaly?.options.alert_window;
    this.monitor = new Monitor(this, "monitor", {
      name: `[${props.owner.env}] ${props.owner.service}: ${props.title}`,
      type: "query alert",
      query: props.query,
      message: notificationMessage(description, props.notifications),
      escalationMessage: `Still unresolved after ${props.notifications.renotifyMinutes} minutes. ${props.notifications.alert.join(" ")}`,
      monitorThresholds: { critical: String(critical), ...(warning === undefined ? {} : { warning: String(warning) }) },
      ...(alertWindow ? { monitorThresholdWindows: { triggerWindow: alertWindow, recoveryWindow: alertWindow } } : {}),
      notifyNoData: props.noData.notify,
      ...(props.noData.notify ? { noDataTimeframe: props.noData.afterMinutes } : {}),
      renotifyInterval: props.notifications.renotifyMinutes,
      renotifyStatuses: props.noData.notify ? ["alert", "no data"] : ["alert"],
      ...(evaluationDelay > 0 ? { evaluationDelay } : {}),
      requireFullWindow: !sparse,
      includeTags: true,
      priority: String(priority),
      tags: ownershipTags(props.owner, this),
    });
    this.monitorId = this.monitor.getNumberAttribute("id");
  }
}
