/**
 * The metrics this library queries, with the tag keys each one reports.
 *
 * Datadog accepts any metric name and any tag and simply shows "no data" for a typo, so a
 * misspelt monitor never fires. Checking every query against this catalogue at synth turns
 * that silent failure into a ConfigError. Add a metric here (with its real tag keys) before
 * using it in a monitor, dashboard or custom query.
 */
import { editDistance } from "../core/did-you-mean";

/** How Datadog stores a metric; it decides which aggregators and modifiers are meaningful. */
export type MetricKind = "count" | "rate" | "gauge" | "distribution";

/** One catalogued metric. */
export interface MetricDefinition {
  /** Storage type. `.as_count()` needs count or rate; `p95:` needs a distribution. */
  readonly kind: MetricKind;
  /** Tag keys the metric is reported with; a filter or `by` on any other key is a typo. */
  readonly tags: readonly string[];
  /** The public page or file that shows the metric exists with this kind. */
  readonly source: string;
  /** Tag key -> the public page or file that shows the metric carries it. */
  readonly tagSources: Readonly<Record<string, string>>;
  /**
   * Tag key -> why it is believed to exist although no public source confirms it on this metric.
   * A monitor filtering on such a tag says so in its message. @default none
   */
  readonly unconfirmedTags?: Readonly<Record<string, string>>;
  /**
   * Cloud integration metrics arrive late (crawled from CloudWatch / Azure Monitor); monitors on
   * them need an evaluation delay of this many seconds or they evaluate incomplete data.
   * @default 0
   */
  readonly delaySeconds?: number;
}

/** Public sources the catalogue cites, one constant each so every entry names where it comes from. */
export const SOURCES = {
  /** Trace metrics: names, kinds and tags. */
  apm: "https://docs.datadoghq.com/tracing/metrics/metrics_namespace/ (trace.<SPAN_NAME>.hits and .errors are COUNTs, trace.<SPAN_NAME> is the latency DISTRIBUTION; tags env, service, version, resource, resource_name, http.status_code, http.status_class and the agent's host tags)",
  /** The kubelet check's metric list. */
  kubeletMetadata: "https://github.com/DataDog/integrations-core/blob/master/kubelet/metadata.csv",
  /** The agent's kubelet provider test: which tags the container metrics carry. */
  kubeletAgentTest:
    "https://github.com/DataDog/datadog-agent/blob/main/pkg/collector/corechecks/containers/kubelet/provider/pod/provider_test.go (TestTransformCrashedPods: containers.last_state.terminated tagged kube_container_name, kube_deployment, reason:oomkilled; containers.restarts tagged kube_container_name, kube_deployment, kube_namespace)",
  /** The kube-state-metrics core check's metric list, with tags per metric. */
  kubeStateMetadata: "https://github.com/DataDog/integrations-core/blob/master/kubernetes_state_core/metadata.csv (each row lists its tags)",
  /** Where the kube_cluster_name tag comes from. */
  clusterName: "https://docs.datadoghq.com/integrations/eks_fargate/ (DD_CLUSTER_NAME sets the kube_cluster_name tag on the agent's metrics)",
  /** The Azure integration's metric list. */
  azure: "https://docs.datadoghq.com/integrations/azure/ (Metrics table; metrics carry the resource's region, resource group and Azure tags)",
  /** Azure Monitor's metrics of Virtual WAN gateways (names and dimensions, not Datadog's). */
  vwanMetrics: "https://learn.microsoft.com/azure/virtual-wan/monitor-virtual-wan-reference (site-to-site VPN gateway metrics of Microsoft.Network/vpnGateways)",
  /** The azure.*.count resource-health metric. */
  azureCount: "https://docs.datadoghq.com/integrations/guide/azure-count-metric/ (azure.*.count: one per resource with a status tag, plus the namespace's metadata tags)",
  /** The AWS Lambda integration's metric list. */
  lambda: "https://docs.datadoghq.com/integrations/amazon_lambda/ (aws.lambda.errors and aws.lambda.invocations are COUNTs)",
  /** Tags the AWS integration sets per service. */
  awsTags: "https://docs.datadoghq.com/integrations/amazon_web_services/ (Tags: Lambda functionname, resource, executedversion, memorysize, runtime; all AWS metrics region, aws_account)",
} as const;

const APM_TAG_KEYS = ["env", "service", "version", "resource", "resource_name", "http.status_code", "http.status_class", "host"] as const;
const APM = { tags: APM_TAG_KEYS, source: SOURCES.apm, tagSources: Object.fromEntries(APM_TAG_KEYS.map((key) => [key, SOURCES.apm])) };

/**
 * Span operations whose trace metrics the platform's services emit, each with the tracer source
 * that shows the span name. A trace metric is named `trace.<operation>[.hits|.errors]`; which
 * operation a service reports is derived from its tracer settings (constructs/datadog/tracer.ts),
 * never typed by hand. Another tracer's span names come in here with their sources.
 */
export const APM_OPERATION_SOURCES = {
  /** dd-trace-js inbound http, naming schema v0. */
  "http.request": "https://github.com/DataDog/dd-trace-js/blob/master/packages/datadog-plugin-http/test/naming.js (server v0)",
  /** dd-trace-js inbound http, naming schema v1. */
  "http.server.request": "https://github.com/DataDog/dd-trace-js/blob/master/packages/datadog-plugin-http/test/naming.js (server v1)",
  /** dd-trace-js with express, either schema. */
  "express.request": "https://github.com/DataDog/dd-trace-js/blob/master/packages/dd-trace/src/plugins/util/web.js (setFramework names the span <framework>.request)",
  /** dd-trace-js node-postgres, naming schema v0. */
  "pg.query": "https://github.com/DataDog/dd-trace-js/blob/master/packages/datadog-plugin-pg/test/naming.js (v0)",
  /** dd-trace-js node-postgres, naming schema v1. */
  "postgresql.query": "https://github.com/DataDog/dd-trace-js/blob/master/packages/datadog-plugin-pg/test/naming.js (v1)",
} as const;
/** Span operations with a source, from {@link APM_OPERATION_SOURCES}. */
export const APM_OPERATIONS = Object.keys(APM_OPERATION_SOURCES) as (keyof typeof APM_OPERATION_SOURCES)[];
/** A span operation from {@link APM_OPERATIONS}. */
export type ApmOperation = keyof typeof APM_OPERATION_SOURCES;

function apmMetrics(): Record<string, MetricDefinition> {
  const metrics: Record<string, MetricDefinition> = {};
  for (const operation of APM_OPERATIONS) {
    const source = `${SOURCES.apm}; span name: ${APM_OPERATION_SOURCES[operation]}`;
    metrics[`trace.${operation}`] = { kind: "distribution", ...APM, source };
    metrics[`trace.${operation}.hits`] = { kind: "count", ...APM, source };
    metrics[`trace.${operation}.errors`] = { kind: "count", ...APM, source };
  }
  return metrics;
}

/** Tags a Kubernetes metric carries, each with its source; the cluster tag comes from the agent's cluster name. */
function kube(source: string, tagSources: Record<string, string>, unconfirmedTags?: Record<string, string>): MetricDefinition {
  const all = { kube_cluster_name: SOURCES.clusterName, ...tagSources };
  return { kind: "gauge", source, tags: [...Object.keys(all), ...Object.keys(unconfirmedTags ?? {})], tagSources: all, ...(unconfirmedTags ? { unconfirmedTags } : {}) };
}
const KSM = (...keys: string[]) => Object.fromEntries(keys.map((key) => [key, SOURCES.kubeStateMetadata]));
const KUBELET = (...keys: string[]) => Object.fromEntries(keys.map((key) => [key, SOURCES.kubeletAgentTest]));
const POD_NAME_ON_KUBELET = {
  pod_name: "not in kubelet/metadata.csv nor in the agent's kubelet tests; the agent's tagger adds pod tags to container metrics at orchestrator cardinality",
};

/** Datadog's crawler for Azure Monitor lags by several minutes. */
const AZURE_DELAY_SECONDS = 900;
/** CloudWatch metrics are crawled every ~10 minutes. */
const AWS_DELAY_SECONDS = 900;
const AZURE_TAG_SOURCES = { resource_group: SOURCES.azure, region: SOURCES.azure, subscription_id: SOURCES.azure };
const AZURE_NAME_TAG = {
  name: "Datadog tags Azure metrics with the resource name; the integration page does not list the tag key, check it in Metrics Explorer",
};
/** azure.<namespace>.count of a hub gateway: one series per gateway with its Resource Health status. */
function azureGatewayCount(): MetricDefinition {
  return {
    kind: "gauge",
    source: `${SOURCES.azureCount}; that Datadog emits it for this resource type is not shown on a public page: unconfirmed`,
    tags: ["resource_group", "region", "subscription_id", "status", "name"],
    tagSources: { ...AZURE_TAG_SOURCES, status: SOURCES.azureCount },
    unconfirmedTags: AZURE_NAME_TAG,
    delaySeconds: AZURE_DELAY_SECONDS,
  };
}
const LAMBDA_TAG_SOURCES = { functionname: SOURCES.awsTags, resource: SOURCES.awsTags, region: SOURCES.awsTags, aws_account: SOURCES.awsTags };

/** Every metric a query may reference, by name, with the public source that shows it exists. */
export const METRIC_CATALOGUE: Readonly<Record<string, MetricDefinition>> = {
  ...apmMetrics(),
  // Survives the container's restart: the kubelet check reports the LAST terminated state's reason.
  "kubernetes.containers.last_state.terminated": kube(`${SOURCES.kubeletMetadata} (gauge)`, { ...KUBELET("kube_container_name", "kube_deployment", "reason", "kube_namespace") }, POD_NAME_ON_KUBELET),
  "kubernetes.containers.restarts": kube(`${SOURCES.kubeletMetadata} (gauge)`, KUBELET("kube_container_name", "kube_deployment", "kube_namespace"), POD_NAME_ON_KUBELET),
  // Reflects only the CURRENT terminated state: gone seconds after the restart. Kept so the drill can show it misses OOM kills.
  "kubernetes_state.container.status_report.count.terminated": kube(SOURCES.kubeStateMetadata, KSM("kube_namespace", "pod_name", "kube_container_name", "reason")),
  "kubernetes_state.hpa.current_replicas": kube(SOURCES.kubeStateMetadata, KSM("kube_namespace", "horizontalpodautoscaler")),
  "kubernetes_state.hpa.max_replicas": kube(SOURCES.kubeStateMetadata, KSM("kube_namespace", "horizontalpodautoscaler")),
  "kubernetes_state.hpa.desired_replicas": kube(SOURCES.kubeStateMetadata, KSM("kube_namespace", "horizontalpodautoscaler")),
  "kubernetes_state.deployment.replicas_unavailable": kube(SOURCES.kubeStateMetadata, KSM("kube_namespace", "kube_deployment")),
  "kubernetes_state.deployment.replicas_desired": kube(SOURCES.kubeStateMetadata, KSM("kube_namespace", "kube_deployment")),
  "kubernetes_state.node.by_condition": kube(SOURCES.kubeStateMetadata, KSM("condition", "node", "status")),
  "kubernetes_state.node.count": kube(SOURCES.kubeStateMetadata, KSM("kernel_version", "os_image", "container_runtime_version", "kubelet_version")),
  // Virtual WAN hub gateways (Microsoft.Network/vpnGateways, Microsoft.Network/p2sVpnGateways).
  "azure.network_vpngateways.tunnel_average_bandwidth": {
    kind: "rate",
    source: `${SOURCES.vwanMetrics} (Tunnel Bandwidth, TunnelAverageBandwidth, bytes per second) under ${SOURCES.azure} naming; the Datadog name is derived, not shown on a Datadog page: unconfirmed`,
    tags: ["resource_group", "region", "subscription_id", "name", "connectionname"],
    tagSources: AZURE_TAG_SOURCES,
    unconfirmedTags: {
      ...AZURE_NAME_TAG,
      connectionname:
        "Azure Monitor reports the vWAN site-to-site tunnel metrics per ConnectionName dimension; no public Datadog source shows the dimension becoming a connectionname tag, nor whether its value is the connection or its link name, check it in Metrics Explorer",
    },
    delaySeconds: AZURE_DELAY_SECONDS,
  },
  "azure.network_vpngateways.count": azureGatewayCount(),
  "azure.network_p2svpngateways.count": azureGatewayCount(),
  "aws.lambda.errors": { kind: "count", source: SOURCES.lambda, tags: Object.keys(LAMBDA_TAG_SOURCES), tagSources: LAMBDA_TAG_SOURCES, delaySeconds: AWS_DELAY_SECONDS },
  "aws.lambda.invocations": { kind: "count", source: SOURCES.lambda, tags: Object.keys(LAMBDA_TAG_SOURCES), tagSources: LAMBDA_TAG_SOURCES, delaySeconds: AWS_DELAY_SECONDS },
};

/** The notes of every unconfirmed tag `metric` is filtered or grouped on, for a monitor's message. */
export function unconfirmedTagNotes(metric: string, keys: readonly string[]): string[] {
  const notes = lookupMetric(metric)?.unconfirmedTags ?? {};
  return [...new Set(keys)].filter((key) => key in notes).map((key) => `Tag ${key} on ${metric} is unconfirmed: ${notes[key]}.`);
}

/** The catalogued metric `name`, or undefined when it is not catalogued. */
export function lookupMetric(name: string): MetricDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(METRIC_CATALOGUE, name) ? METRIC_CATALOGUE[name] : undefined;
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
