/**
 * Scenarios per monitor KIND, not per monitor: each kind recognises its monitors by query shape,
 * finds the monitor's subject (service, workload, customer, function) in the query or tags, and
 * builds a healthy scenario and the failure the monitor is named after from the environment's
 * emulated agent data. A service, workload, customer or Lambda added through the runbooks gets
 * its monitors and therefore its scenarios with no change here; a new KIND of monitor without a
 * kind here fails `npm test` with "no scenario".
 */
import { ParsedMonitorQuery, parseMonitorQuery } from "../../constructs/datadog/query";
import { AgentEmulator, EnvironmentModel, incidents, podNames, VPN_GATEWAY_COUNTS } from "./agent";
import { Fixture } from "./fixture";
import { MonitorUnderTest, Status } from "./evaluate";

/** Short fixtures: four hours, incidents start at minute 120 on a Tuesday afternoon. */
export const SHORT = { minutes: 240, start: 120, startMinuteOfWeek: 1440 + 12 * 60 } as const;
/** Anomaly fixtures: four weeks of history (weekly seasonality needs three), incident 90 minutes before the end. */
export const LONG = { minutes: 4 * 10080, start: 4 * 10080 - 90, evaluateFrom: 4 * 10080 - 180 } as const;
/** LONG's incident falls on a Tuesday at 13:00. */
const LONG_START_OF_WEEK = (((1440 + 13 * 60 - LONG.start) % 10080) + 10080) % 10080;

/** What a scenario expects of one monitor. */
export type Expectation =
  | { readonly status: "ok" }
  | {
      readonly status: Exclude<Status, "ok" | "warn">;
      /** Minute the failure starts; the monitor must not fire before it. */
      readonly from: number;
      /** The only group allowed to fire (a group key like `kube_container_name:payments-api`), if the monitor is grouped. */
      readonly group?: string;
    };

/** A fixture and what one monitor must do on it. */
export interface Scenario {
  /** Short name, e.g. "healthy" or "oom-killed". */
  readonly name: string;
  /** The data the monitor is evaluated on. */
  readonly fixture: () => Fixture;
  /** Evaluate every minute of this range. */
  readonly range: readonly [number, number];
  /** What the monitor must do. */
  readonly expect: Expectation;
}

/** Fixtures are shared between the monitors of an environment: built once per emulator. */
export class FixtureCache {
  private readonly cache = new Map<string, Fixture>();
  constructor(public readonly agent: AgentEmulator) {}
  /** The short baseline. */
  short(): Fixture {
    return this.get("short", () => this.agent.baseline(SHORT.minutes, SHORT.startMinuteOfWeek));
  }
  /** The four-week APM baseline. */
  long(): Fixture {
    return this.get("long", () => this.agent.baseline(LONG.minutes, LONG_START_OF_WEEK, true));
  }
  /** Any derived fixture, by key. */
  get(key: string, build: () => Fixture): Fixture {
    let fixture = this.cache.get(key);
    if (!fixture) this.cache.set(key, (fixture = build()));
    return fixture;
  }
}

/** The value of the first filter on `key` in the query. */
export function filterValue(parsed: ParsedMonitorQuery, key: string): string | undefined {
  for (const m of parsed.metrics) for (const f of m.filters) if (f.key === key && !f.negated) return f.value;
  return undefined;
}

/** The monitor's `service:` tag. */
export function serviceTag(monitor: MonitorUnderTest): string {
  return monitor.tags.find((t) => t.startsWith("service:"))!.slice("service:".length);
}

/** A kind of monitor and how to make it fail. */
export interface MonitorKind {
  /** Name of the failure scenario, e.g. "oom-killed". */
  readonly failure: string;
  /** Does this kind cover the monitor? */
  matches(parsed: ParsedMonitorQuery): boolean;
  /** The failure injected into `fixture` starting at `from`, and the group that must fire. */
  inject(monitor: MonitorUnderTest, parsed: ParsedMonitorQuery, model: EnvironmentModel, from: number): { change: (f: Fixture) => Fixture; group?: string; status?: "alert" | "no data" };
  /** Anomaly monitors need the four-week fixture. @default false */
  readonly long?: boolean;
}

const first = (parsed: ParsedMonitorQuery) => parsed.metrics[0].name;

/** Every kind of monitor this project synthesizes. */
export const MONITOR_KINDS: readonly MonitorKind[] = [
  {
    failure: "database-errors-10x",
    long: true,
    matches: (p) => p.anomaly !== undefined && /^trace\..+\.errors$/.test(first(p)),
    inject: (m, _p, model, from) => ({ change: incidents.databaseErrors(model, serviceTag(m), 10, from, 30) }),
  },
  {
    failure: "latency-doubles-over-critical",
    matches: (p) => p.timeAggregator === "percentile" && /^trace\./.test(first(p)),
    inject: (m, p, model, from) => ({ change: incidents.latency(model, serviceTag(m), 2 * p.threshold, from) }),
  },
  {
    failure: "error-rate-triples-critical",
    matches: (p) => !p.anomaly && p.metrics.some((x) => x.name.endsWith(".errors")) && p.metrics.some((x) => x.name.endsWith(".hits")),
    inject: (m, p, model, from) => ({ change: incidents.errorRate(model, serviceTag(m), Math.min(100, 3 * p.threshold), from) }),
  },
  {
    failure: "oom-killed-twice",
    matches: (p) => first(p) === "kubernetes.containers.last_state.terminated",
    inject: (_m, p, _model, from) => {
      const workload = filterValue(p, "kube_deployment")!;
      return { change: incidents.oomKills(workload, [from, from + 7]), group: `kube_container_name:${workload}` };
    },
  },
  {
    failure: "crash-loop",
    matches: (p) => first(p) === "kubernetes.containers.restarts" && p.change !== undefined,
    inject: (_m, p, _model, from) => {
      const workload = filterValue(p, "kube_deployment")!;
      return { change: incidents.restartLoop(workload, from, 2), group: `pod_name:${podNames(workload)[0]}` };
    },
  },
  {
    failure: "hpa-pinned-at-max",
    matches: (p) => p.metrics.some((x) => x.name === "kubernetes_state.hpa.current_replicas") && p.metrics.some((x) => x.name === "kubernetes_state.hpa.max_replicas"),
    inject: (_m, p, _model, from) => ({ change: incidents.hpaAtMax(filterValue(p, "horizontalpodautoscaler")!, from, 60) }),
  },
  {
    failure: "replicas-unavailable",
    matches: (p) => first(p) === "kubernetes_state.deployment.replicas_unavailable",
    inject: (_m, p, _model, from) => ({ change: incidents.replicasUnavailable(filterValue(p, "kube_deployment")!, 2, from) }),
  },
  {
    failure: "node-not-ready",
    matches: (p) => first(p) === "kubernetes_state.node.by_condition",
    inject: (_m, p, _model, from) => ({ change: incidents.nodeNotReady("node-1", from), group: `kube_cluster_name:${filterValue(p, "kube_cluster_name")}` }),
  },
  {
    failure: "tunnel-down",
    matches: (p) => first(p) === "azure.network_vpngateways.tunnel_average_bandwidth",
    inject: (_m, p, _model, from) => ({ change: incidents.tunnelDown(filterValue(p, "connectionname")!, from) }),
  },
  {
    failure: "gateway-unavailable",
    matches: (p) => VPN_GATEWAY_COUNTS.includes(first(p)),
    // The running series stops: the monitor notifies through no-data, not through its threshold.
    inject: () => ({ change: incidents.gatewayUnavailable(SHORT.start), status: "no data" }),
  },
  {
    failure: "lambda-error-burst",
    matches: (p) => first(p) === "aws.lambda.errors",
    inject: (_m, p, _model, from) => ({ change: incidents.lambdaErrors(filterValue(p, "functionname")!, from, 3) }),
  },
];

/** The kind of a monitor, or undefined when none matches (a test failure: "no scenario"). */
export function kindOf(query: string): MonitorKind | undefined {
  const parsed = parseMonitorQuery(query);
  return MONITOR_KINDS.find((k) => k.matches(parsed));
}

/** The healthy and failure scenarios of one monitor. */
export function scenariosFor(monitor: MonitorUnderTest, kind: MonitorKind, fixtures: FixtureCache): Scenario[] {
  const parsed = parseMonitorQuery(monitor.query);
  const model = fixtures.agent.model;
  const base = kind.long ? () => fixtures.long() : () => fixtures.short();
  const from = kind.long ? LONG.start : SHORT.start;
  const range: [number, number] = kind.long ? [LONG.evaluateFrom, LONG.minutes - 1] : [60, SHORT.minutes - 1];
  const failure = kind.inject(monitor, parsed, model, from);
  return [
    { name: "healthy", fixture: base, range, expect: { status: "ok" } },
    {
      name: kind.failure,
      fixture: () => fixtures.get(`${monitor.stack}/${monitor.name}/${kind.failure}`, () => failure.change(base())),
      range,
      expect: { status: failure.status ?? "alert", from, group: failure.group },
    },
  ];
}
