/**
 * Emulates what the Datadog agent, the tracers and the cloud integrations report for one
 * environment, series by series, shaped like real data (tags from the metric catalogue's
 * sources): a healthy baseline with daily and weekly traffic patterns and noise, plus incident
 * injectors that change only the series an incident touches. Everything is derived from the
 * environment's config and its stacks, so a new service, workload, customer or Lambda gets its
 * series (and its monitors their scenarios) without touching this file.
 *
 * Span names and the database's service tag come from constructs/datadog/tracer.ts, whose table
 * __tests__/constructs/datadog/tracer.test.ts pins to dd-trace-js's own naming tests.
 */
import { databaseSpans, DatabaseClient, inboundOperation, TracerSettings } from "../../constructs/datadog/tracer";
import { Fixture, random, Series, seedOf, valuesOf } from "./fixture";

/** What the emulator needs to know about an environment. */
export interface EnvironmentModel {
  /** `env` tag value, e.g. "prod". */
  readonly env: string;
  /** kube_cluster_name. */
  readonly clusterName: string;
  /** Kubernetes workloads (Deployment, HPA and container share the name). */
  readonly workloads: readonly { readonly name: string; readonly namespace: string; readonly minReplicas: number; readonly maxReplicas: number }[];
  /** Traced services and their database client. */
  readonly services: readonly { readonly name: string; readonly tracer: TracerSettings; readonly database?: { readonly client: DatabaseClient; readonly service?: string } }[];
  /** Azure VPN gateway and the names of its customers' connections, when the environment has one. */
  readonly vpn?: { readonly gatewayName: string; readonly pointToSiteGatewayName?: string; readonly connections: readonly string[] };
  /** Lambda function names. */
  readonly lambdas: readonly string[];
}

/** Cluster nodes the emulator reports. */
const NODES = ["node-0", "node-1", "node-2"];
/** Replicas (pods) per workload the kubelet series are reported for. */
const PODS_PER_WORKLOAD = 2;
const REQUESTS_PER_MINUTE = 600;
const DB_ERRORS_PER_MINUTE = 3;
const LATENCY_SECONDS = 0.12;
const TUNNEL_BYTES_PER_SECOND = 40_000;
/** Resource Health count metrics of the hub's site-to-site and point-to-site gateways. */
export const VPN_GATEWAY_COUNTS: readonly string[] = ["azure.network_vpngateways.count", "azure.network_p2svpngateways.count"];
/** The reaper runs on a schedule; the emulator invokes it hourly at minute 5. */
const LAMBDA_PERIOD_MINUTES = 60;

/** Traffic relative to the weekday peak at `minuteOfWeek` (Monday 00:00 = 0): daily curve, quieter weekends. */
export function traffic(minuteOfWeek: number): number {
  const day = Math.floor(minuteOfWeek / 1440) % 7;
  const hour = (minuteOfWeek % 1440) / 60;
  const daily = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 16) * Math.PI));
  return daily * (day >= 5 ? 0.55 : 1);
}

/** The pod names of a workload, as Kubernetes would generate them. */
export function podNames(workload: string): string[] {
  return Array.from({ length: PODS_PER_WORKLOAD }, (_, i) => `${workload}-7d9f8c6b5-${"abcdefgh"[i]}x${i}`);
}

/** Builds the baseline of one environment and injects incidents into it. */
export class AgentEmulator {
  constructor(
    /** The environment being emulated. */
    public readonly model: EnvironmentModel,
  ) {}

  /**
   * A healthy baseline over `minutes`, starting at `startMinuteOfWeek` (Monday 00:00 = 0).
   * `apmOnly` leaves out everything but trace metrics (the long anomaly fixtures).
   */
  baseline(minutes: number, startMinuteOfWeek: number, apmOnly = false): Fixture {
    const fixture = new Fixture(minutes);
    const series = (metric: string, tags: Record<string, string>, value: (minute: number, noise: () => number) => number | undefined): void => {
      const noise = random(seedOf(`${metric}{${JSON.stringify(tags)}}`));
      fixture.add({ metric, tags, values: valuesOf(minutes, (m) => value((startMinuteOfWeek + m) % 10080, noise)) });
    };
    const { env } = this.model;
    for (const service of this.model.services) {
      const inbound = inboundOperation(service.tracer);
      const tags = { env, service: service.name, version: "1.4.2", resource_name: "post_/payments", host: "i-0a1b2c3d" };
      series(`trace.${inbound}.hits`, tags, (m, n) => Math.round(REQUESTS_PER_MINUTE * traffic(m) * (0.9 + 0.2 * n())));
      series(`trace.${inbound}.errors`, tags, (m, n) => (n() < 0.5 ? 1 : 0) * Math.round(1 + REQUESTS_PER_MINUTE * traffic(m) * 0.001));
      series(`trace.${inbound}`, tags, (_, n) => LATENCY_SECONDS * (0.85 + 0.3 * n()));
      if (service.database) {
        const db = databaseSpans(service.tracer, service.name, service.database.client, service.database.service);
        const dbTags = { env, service: db.service, resource_name: "select_payments", host: "i-0a1b2c3d" };
        series(`trace.${db.operation}.hits`, dbTags, (m, n) => Math.round(4 * REQUESTS_PER_MINUTE * traffic(m) * (0.9 + 0.2 * n())));
        // Poisson-like noise around a traffic-following mean: errors are counts, sparse at night.
        series(`trace.${db.operation}.errors`, dbTags, (m, n) => Math.max(0, Math.round(DB_ERRORS_PER_MINUTE * traffic(m) + (n() - 0.5) * 2 * Math.sqrt(DB_ERRORS_PER_MINUTE * traffic(m) + 0.1))));
      }
    }
    if (apmOnly) return fixture;

    const cluster = { kube_cluster_name: this.model.clusterName };
    for (const w of this.model.workloads) {
      const scope = { ...cluster, kube_namespace: w.namespace };
      const replicas = (m: number) => Math.min(w.maxReplicas - 1, Math.max(w.minReplicas, Math.round(w.minReplicas + (w.maxReplicas - w.minReplicas) * 0.5 * traffic(m))));
      podNames(w.name).forEach((pod, i) => {
        const container = { ...scope, kube_deployment: w.name, kube_container_name: w.name, pod_name: pod };
        series("kubernetes.containers.restarts", container, () => i);
        // Pod 1 restarted once after an application error long ago; pod 0 never terminated.
        for (const reason of ["oomkilled", "error"]) {
          series("kubernetes.containers.last_state.terminated", { ...container, reason }, () => (i === 1 && reason === "error" ? 1 : undefined));
          series("kubernetes_state.container.status_report.count.terminated", { ...scope, pod_name: pod, kube_container_name: w.name, reason }, () => undefined);
        }
      });
      const hpa = { ...scope, horizontalpodautoscaler: w.name };
      series("kubernetes_state.hpa.current_replicas", hpa, (m) => replicas(m));
      series("kubernetes_state.hpa.desired_replicas", hpa, (m) => replicas(m));
      series("kubernetes_state.hpa.max_replicas", hpa, () => w.maxReplicas);
      series("kubernetes_state.deployment.replicas_unavailable", { ...scope, kube_deployment: w.name }, () => 0);
      series("kubernetes_state.deployment.replicas_desired", { ...scope, kube_deployment: w.name }, (m) => replicas(m));
    }
    for (const node of NODES) {
      for (const status of ["true", "false", "unknown"]) {
        series("kubernetes_state.node.by_condition", { ...cluster, node, condition: "ready", status }, () => (status === "true" ? 1 : 0));
      }
    }
    series("kubernetes_state.node.count", { ...cluster, kubelet_version: "v1.32.3" }, () => NODES.length);

    if (this.model.vpn) {
      const azure = { resource_group: "rg-prod-hub", region: "westeurope", subscription_id: "sub" };
      const gateway = { name: this.model.vpn.gatewayName.toLowerCase(), ...azure };
      for (const connection of this.model.vpn.connections) {
        series("azure.network_vpngateways.tunnel_average_bandwidth", { ...gateway, connectionname: connection.toLowerCase() }, (m, n) => TUNNEL_BYTES_PER_SECOND * (0.3 + traffic(m)) * (0.8 + 0.4 * n()));
      }
      const gateways: [string, string | undefined][] = [["azure.network_vpngateways.count", this.model.vpn.gatewayName], ["azure.network_p2svpngateways.count", this.model.vpn.pointToSiteGatewayName]];
      for (const [metric, name] of gateways) {
        if (!name) continue;
        for (const status of ["running", "unavailable"]) series(metric, { name: name.toLowerCase(), ...azure, status }, () => (status === "running" ? 1 : undefined));
      }
    }
    for (const fn of this.model.lambdas) {
      const tags = { functionname: fn.toLowerCase(), resource: fn.toLowerCase(), region: "eu-west-1", aws_account: "111122223333" };
      const run = (m: number) => (m % LAMBDA_PERIOD_MINUTES === 5 ? 1 : undefined);
      series("aws.lambda.invocations", tags, (m) => run(m));
      series("aws.lambda.errors", tags, (m) => (run(m) === undefined ? undefined : 0));
    }
    return fixture;
  }
}

/** Minutes [from, from + duration) of a fixture. */
function during(from: number, duration = Infinity): (m: number) => boolean {
  return (m) => m >= from && m < from + duration;
}

function edit(series: Series, at: (m: number) => boolean, value: (old: number, m: number) => number): Float64Array {
  return series.values.map((old, m) => (at(m) ? value(old, m) : old));
}

/** Incidents, each a function from a fixture to the fixture with that incident in it. */
export const incidents = {
  /** The database's error count multiplied by `factor` for `duration` minutes. */
  databaseErrors: (model: EnvironmentModel, service: string, factor: number, from: number, duration: number) => (f: Fixture) => {
    const s = model.services.find((x) => x.name === service)!;
    const db = databaseSpans(s.tracer, s.name, s.database!.client, s.database!.service);
    return f.with((x) => (x.metric === `trace.${db.operation}.errors` && x.tags.service === db.service ? edit(x, during(from, duration), (v) => Math.max(1, v) * factor) : undefined));
  },
  /** Request latency of `seconds`. */
  latency: (model: EnvironmentModel, service: string, seconds: number, from: number) => (f: Fixture) => {
    const op = inboundOperation(model.services.find((x) => x.name === service)!.tracer);
    return f.with((x) => (x.metric === `trace.${op}` && x.tags.service === service ? edit(x, during(from), () => seconds) : undefined));
  },
  /** `percent` of requests fail. */
  errorRate: (model: EnvironmentModel, service: string, percent: number, from: number) => (f: Fixture) => {
    const op = inboundOperation(model.services.find((x) => x.name === service)!.tracer);
    const hits = f.of(`trace.${op}.hits`).find((x) => x.tags.service === service)!;
    return f.with((x) => (x.metric === `trace.${op}.errors` && x.tags.service === service ? edit(x, during(from), (_, m) => Math.round((hits.values[m] * percent) / 100)) : undefined));
  },
  /** Pod 0 of `workload` OOMKilled at each minute of `at`; it restarts within seconds each time. */
  oomKills: (workload: string, at: readonly number[]) => (f: Fixture) => {
    const [pod] = podNames(workload);
    return f.with((x) => {
      if (x.tags.pod_name !== pod) return undefined;
      if (x.metric === "kubernetes.containers.restarts") return edit(x, during(at[0]), (v, m) => v + at.filter((k) => k <= m).length);
      // The kubelet keeps reporting the last terminated state while the new container runs.
      if (x.metric === "kubernetes.containers.last_state.terminated" && x.tags.reason === "oomkilled") return edit(x, during(at[0]), () => 1);
      // kube-state only sees the current state: Running again before its next scrape, so no point.
      return undefined;
    });
  },
  /** Pod 0 of `workload` crash-loops: one restart every `every` minutes. */
  restartLoop: (workload: string, from: number, every: number) => (f: Fixture) => {
    const [pod] = podNames(workload);
    return f.with((x) => (x.metric === "kubernetes.containers.restarts" && x.tags.pod_name === pod ? edit(x, during(from), (v, m) => v + 1 + Math.floor((m - from) / every)) : undefined));
  },
  /** The HPA of `workload` pinned at maxReplicas for `duration` minutes. */
  hpaAtMax: (workload: string, from: number, duration: number) => (f: Fixture) => {
    const max = f.of("kubernetes_state.hpa.max_replicas").find((x) => x.tags.horizontalpodautoscaler === workload)!;
    return f.with((x) =>
      (x.metric === "kubernetes_state.hpa.current_replicas" || x.metric === "kubernetes_state.hpa.desired_replicas") && x.tags.horizontalpodautoscaler === workload
        ? edit(x, during(from, duration), (_, m) => max.values[m])
        : undefined,
    );
  },
  /** Requests multiplied by `factor` (a sales event): more hits, same error share. */
  load: (factor: number, from: number) => (f: Fixture) => f.with((x) => (/^trace\.[^.]+\.(request|query)\.hits$/.test(x.metric) ? edit(x, during(from), (v) => Math.round(v * factor)) : undefined)),
  /** `count` replicas of `workload` unavailable. */
  replicasUnavailable: (workload: string, count: number, from: number) => (f: Fixture) =>
    f.with((x) => (x.metric === "kubernetes_state.deployment.replicas_unavailable" && x.tags.kube_deployment === workload ? edit(x, during(from), () => count) : undefined)),
  /** `node` NotReady. */
  nodeNotReady: (node: string, from: number) => (f: Fixture) =>
    f.with((x) => (x.metric === "kubernetes_state.node.by_condition" && x.tags.node === node ? edit(x, during(from), () => (x.tags.status === "false" ? 1 : 0)) : undefined)),
  /** No traffic through the customer's tunnel (the IPsec SA is down; Azure reports 0). */
  tunnelDown: (connection: string, from: number) => (f: Fixture) =>
    f.with((x) => (x.metric === "azure.network_vpngateways.tunnel_average_bandwidth" && x.tags.connectionname === connection.toLowerCase() ? edit(x, during(from), () => 0) : undefined)),
  /** Resource Health reports the hub's VPN gateways Unavailable: the running series stop, unavailable ones start. */
  gatewayUnavailable: (from: number) => (f: Fixture) =>
    f.with((x) => (VPN_GATEWAY_COUNTS.includes(x.metric) ? edit(x, during(from), () => (x.tags.status === "unavailable" ? 1 : NaN)) : undefined)),
  /** `errors` failed invocations of `fn` in one minute. */
  lambdaErrors: (fn: string, at: number, errors: number) => (f: Fixture) =>
    f.with((x) =>
      x.tags.functionname === fn.toLowerCase() && x.metric.startsWith("aws.lambda.") ? edit(x, during(at, 1), () => errors) : undefined,
    ),
};
