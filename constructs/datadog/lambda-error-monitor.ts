import { Construct } from "constructs";
import { AlertMonitor } from "./alert-monitor";
import { NotificationTargets } from "./notifications";
import { Ownership } from "./ownership";
import { metric, monitorQuery } from "./query";

/** Props of {@link LambdaErrorMonitor}. */
export interface LambdaErrorMonitorProps {
  /** The team and service that own the function; the monitor is named and tagged after it. */
  readonly owner: Ownership;
  /** Who is told when a run fails. */
  readonly notifications: NotificationTargets;
  /** Lambda function name. */
  readonly functionName: string;
}

/**
 * Any error of a Lambda function (CloudWatch metrics through the Datadog AWS integration). For a
 * scheduled job like the EBS reaper a single failed run is worth a look: the next run is hours away.
 */
export class LambdaErrorMonitor extends Construct {
  /** The errors monitor. */
  public readonly monitor: AlertMonitor;

  constructor(scope: Construct, id: string, props: LambdaErrorMonitorProps) {
    super(scope, id);
    this.monitor = new AlertMonitor(this, "errors", {
      owner: props.owner,
      notifications: props.notifications,
      title: `Lambda ${props.functionName} errors`,
      description: `${props.functionName} failed {{value}} time(s) in the last hour. Read its log group and the dead-letter queue; failed runs are retried on the next schedule.`,
      query: monitorQuery(
        {
          aggregator: "sum",
          window: "last_1h",
          // Datadog lower-cases the functionname tag value.
          expression: metric({ aggregator: "sum", metric: "aws.lambda.errors", filter: { functionname: props.functionName.toLowerCase() }, modifier: "as_count" }),
          comparator: ">",
          threshold: 0,
        },
        this,
      ),
      thresholds: { critical: 0 },
      unit: "count",
      // A scheduled function is silent between runs; no data is normal.
      noData: { notify: false },
    });
  }
}
