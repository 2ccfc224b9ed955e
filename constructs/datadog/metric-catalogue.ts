/**
 * The metrics this library queries, with the tag keys each one reports.
 *
 * Datadog accepts any metric name and any tag and simply shows "no data" for a typo, so a
 * misspelt monitor never fires. Checking every query against this catalogue at synth turns
 * that silent failure into a ConfigError. Add a metric here (with its real tag keys) before
 * using it in a monitor, dashboard or custom query.
 */

/** How Datadog stores a metric; it decides which aggregators and modifiers are meaningful. */
export type MetricKind = "count" | "rate" | "gauge" | "distribution";

/** One catalogued metric. */
export interface MetricDefinition {
  /** Storage type. `.as_count()` needs count or rate; `p95:` needs a distribution. */
  readonly kind: MetricKind;
  /** Tag keys the metric is reported with; a filter or `by` on any other key is a typo. */
  readonly tags: readonly string[];
  /**
   * Cloud integration metrics arrive late (crawled from CloudWatch / Azure Monitor); monitors on
   * them need an evaluation delay of this many seconds or they evaluate incomplete data.
   * @default 0
   */
  readonly delaySeconds?: number;
}

/** Unified service tags every APM and container metric carries. */
const UNIFIED_TAGS = ["env", "service", "version", "team"] as const;

/** Tags of APM trace metrics. */
const APM_TAGS = [...UNIFIED_TAGS, "resource_name", "http.status_code", "http.status_class", "span.kind", "peer.service", "host", "kube_cluster_name", "kube_namespace"];

/** Tags of the Kubernetes (kubelet and kube-state-metrics) checks. */
const KUBE_TAGS = [
  ...UNIFIED_TAGS,
  "kube_cluster_name", "kube_namespace", "kube_deployment", "kube_replica_set", "pod_name", "kube_container_name",
  "container_name", "horizontalpodautoscaler", "node", "host", "reason", "condition", "status",
];

/**
 * Span operations whose trace metrics the platform's services emit. A trace metric is named
 * `trace.<operation>[.hits|.errors]`; the operation depends on the tracer integration.
 */
export const APM_OPERATIONS = [
  // Inbound web requests.
  "http.request", "express.request", "servlet.request", "aspnet_core.request", "flask.request", "django.request", "rack.request",
  // Outbound database calls (node-postgres, psycopg, JDBC, Azure SQL via tedious).
  "pg.query", "postgres.query", "postgresql.query", "mysql.query", "jdbc.query", "tedious.request",
] as const;
/** A span operation from {@link APM_OPERATIONS}. */
export type ApmOperation = (typeof APM_OPERATIONS)[number];

function apmMetrics(): Record<string, MetricDefinition> {
  const metrics: Record<string, MetricDefinition> = {};
  for (const operation of APM_OPERATIONS) {
    metrics[`trace.${operation}`] = { kind: "distribution", tags: APM_TAGS };
    metrics[`trace.${operation}.hits`] = { kind: "count", tags: APM_TAGS };
    metrics[`trace.${operation}.errors`] = { kind: "count", tags: APM_TAGS };
  }
  return metrics;
}

/** Datadog's crawler for Azure Monitor lags by several minutes. */
const AZURE_DELAY_SECONDS = 900;
/** CloudWatch metrics are crawled every ~10 minutes. */
const AWS_DELAY_SECONDS = 900;
const AZURE_TAGS = ["name", "resource_group", "region", "subscription_id", "status", "connectionname", "remoteip", "bgppeeraddress", "environment", "team", "owner"];

/** Every metric a query may reference, by name. */
export const METRIC_CATALOGUE: Readonly<Record<string, MetricDefinition>> = {
  ...apmMetrics(),
  "kubernetes_state.container.status_report.count.terminated": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.container.restarts": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes.containers.restarts": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.hpa.current_replicas": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.hpa.max_replicas": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.hpa.desired_replicas": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.deployment.replicas_unavailable": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.deployment.replicas_desired": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.node.by_condition": { kind: "gauge", tags: KUBE_TAGS },
  "kubernetes_state.node.count": { kind: "gauge", tags: KUBE_TAGS },
  "azure.network_virtualnetworkgateways.tunnel_average_bandwidth": { kind: "rate", tags: AZURE_TAGS, delaySeconds: AZURE_DELAY_SECONDS },
  "azure.network_virtualnetworkgateways.p2s_connection_count": { kind: "gauge", tags: AZURE_TAGS, delaySeconds: AZURE_DELAY_SECONDS },
  "azure.network_virtualnetworkgateways.count": { kind: "gauge", tags: AZURE_TAGS, delaySeconds: AZURE_DELAY_SECONDS },
  "aws.lambda.errors": { kind: "count", tags: ["functionname", "resource", "region", "aws_account", "env", "service", "team"], delaySeconds: AWS_DELAY_SECONDS },
  "aws.lambda.invocations": { kind: "count", tags: ["functionname", "resource", "region", "aws_account", "env", "service", "team"], delaySeconds: AWS_DELAY_SECONDS },
};

/** The catalogued metric `name`, or undefined when it is not catalogued. */
export function lookupMetric(name: string): MetricDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(METRIC_CATALOGUE, name) ? METRIC_CATALOGUE[name] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest of `candidates` to `word` if it is a plausible typo of it (for "did you mean"). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 4)) ? best.candidate : undefined;
}
