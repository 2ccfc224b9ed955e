import { Construct } from "constructs";
import { AlertMonitor, MonitorThresholds } from "./alert-monitor";
import { ApmOperation } from "./metric-catalogue";
import { NotificationTargets } from "./notifications";
import { Ownership } from "./ownership";
import { AnomalyAlgorithm, anomalies, metric, MonitorWindow, monitorQuery } from "./query";

/** Anomaly detection on a service's database error count. */
export interface DatabaseErrorAnomalyProps {
  /** Span operation of the database client, e.g. "pg.query" (metric trace.pg.query.errors); see databaseSpans() in tracer.ts. */
  readonly operation: ApmOperation;
  /**
   * The `service` tag the database client's spans carry: NOT the application's name under most
   * tracers' default schema (dd-trace-js v0: `<service>-postgres`); see databaseSpans() in tracer.ts.
   */
  readonly service: string;
  /** Anomaly rollup interval in seconds, at most a fifth of the alert window. */
  readonly intervalSeconds: number;
  /** `agile` follows the seasonal traffic pattern and adapts quickly to level shifts; `robust` is steadier and ignores short spikes; `basic` has no seasonality. */
  readonly algorithm: AnomalyAlgorithm;
  /** Band width in deviations, 1-6. */
  readonly bounds: number;
  /** How long the count must stay outside the band before alerting. */
  readonly alertWindow: MonitorWindow;
}

/** Props of {@link ServiceMonitors}. */
export interface ServiceMonitorsProps {
  /** The service (as tagged on its traces) and its team; also filters the APM metrics by env and service. */
  readonly owner: Ownership;
  /** Who is told when latency, error rate or database errors go wrong. */
  readonly notifications: NotificationTargets;
  /** Span operation of inbound requests, e.g. "http.request". */
  readonly apmOperation: ApmOperation;
  /** p95 request latency, seconds. */
  readonly latencyP95Seconds: MonitorThresholds;
  /** Share of requests that fail, percent. */
  readonly errorRatePercent: MonitorThresholds;
  /** @default no database anomaly monitor */
  readonly databaseErrors?: DatabaseErrorAnomalyProps;
}

/** Anomaly models need history around the alert window to compare against. */
const ANOMALY_EVALUATION_WINDOW: MonitorWindow = "last_4h";

/**
 * The APM monitors of one service: p95 latency, error rate and, when the service talks to a
 * database, anomaly detection on its database error count (a spike that fixed thresholds miss
 * when the normal level swings with traffic).
 */
export class ServiceMonitors extends Construct {
  /** p95 latency monitor. */
  public readonly latency: AlertMonitor;
  /** Error-rate monitor. */
  public readonly errorRate: AlertMonitor;
  /** Present when `databaseErrors` is set. */
  public readonly databaseErrors?: AlertMonitor;

  constructor(scope: Construct, id: string, props: ServiceMonitorsProps) {
    super(scope, id);
    const { owner, notifications } = props;
    const filter = { env: owner.env, service: owner.service };
    const trace = `trace.${props.apmOperation}`;

    this.latency = new AlertMonitor(this, "latency-p95", {
      title: "p95 latency high",
      description: `p95 latency of ${owner.service} is {{value}} s (threshold {{threshold}} s). Check the slowest resources in APM, recent deploys and database latency.`,
      query: monitorQuery(
        { aggregator: "percentile", window: "last_5m", expression: metric({ aggregator: "p95", metric: trace, filter }), comparator: ">", threshold: props.latencyP95Seconds.critical },
        this,
      ),
      thresholds: props.latencyP95Seconds,
      unit: "seconds",
      owner,
      notifications,
      // No traffic means no latency: availability is the synthetic tests' job, not this monitor's.
      noData: { notify: false },
    });

    const count = (suffix: string) => metric({ aggregator: "sum", metric: `${trace}.${suffix}`, filter, modifier: "as_count" });
    this.errorRate = new AlertMonitor(this, "error-rate", {
      title: "error rate high",
      description: `${owner.service} fails {{value}}% of requests (threshold {{threshold}}%). Check the error tracking view and the last deploy.`,
      query: monitorQuery(
        { aggregator: "sum", window: "last_10m", expression: `(${count("errors")} / ${count("hits")}) * 100`, comparator: ">", threshold: props.errorRatePercent.critical },
        this,
      ),
      thresholds: props.errorRatePercent,
      unit: "percent",
      owner,
      notifications,
      noData: { notify: false },
    });

    if (props.databaseErrors) {
      const db = props.databaseErrors;
      this.databaseErrors = new AlertMonitor(this, "database-errors-anomaly", {
        title: "database errors anomalous",
        description: `Database errors (${db.operation} spans of service ${db.service}, called by ${owner.service}) are outside the ${db.algorithm} anomaly band (${db.bounds} deviations). Correlate with APM profiles of slow queries, network latency to the database and recent deploys.`,
        query: monitorQuery(
          {
            aggregator: "avg",
            window: ANOMALY_EVALUATION_WINDOW,
            expression: anomalies(metric({ aggregator: "sum", metric: `trace.${db.operation}.errors`, filter: { env: owner.env, service: db.service }, modifier: "as_count" }), {
              algorithm: db.algorithm,
              bounds: db.bounds,
              alertWindow: db.alertWindow,
              intervalSeconds: db.intervalSeconds,
            }),
            comparator: ">=",
            threshold: 1,
          },
          this,
        ),
        // Critical when the whole alert window is anomalous.
        thresholds: { critical: 1 },
        unit: "fraction",
        owner,
        notifications,
        noData: { notify: false },
      });
    }
  }
}
