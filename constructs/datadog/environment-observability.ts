import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { ApiAssertion, ApiSyntheticTest } from "./api-synthetic-test";
import { MonitorThresholds } from "./alert-monitor";
import { ClusterMonitors, WorkloadMonitors } from "./kubernetes-monitors";
import { LambdaErrorMonitor } from "./lambda-error-monitor";
import { LoadEventDashboard } from "./load-event-dashboard";
import { MonitorSlo } from "./monitor-slo";
import { SLO_TIMEFRAMES } from "./options";
import { NotificationTargets } from "./notifications";
import { DatabaseErrorAnomalyProps, ServiceMonitors } from "./service-monitors";
import { DatabaseClient, databaseSpans, inboundOperation, TracerSettings } from "./tracer";
import { VpnMonitors } from "./vpn-monitors";
import { MonitorWindow } from "./query";

/** A workload deployed in the environment's cluster (from the workloads config). */
export interface ObservedWorkload {
  /** Deployment name, also the service tag its traces and monitors carry, e.g. "payments-api". */
  readonly name: string;
  /** Owning team; its monitors are tagged with it and route to it in Datadog. */
  readonly team: string;
  /** Kubernetes namespace the Deployment runs in. */
  readonly namespace: string;
}

/** APM monitors of one service. */
export interface ObservedServiceProps {
  /** Must be one of the workloads. */
  readonly name: string;
  /** How the service is traced; the span names and service tags its monitors query are derived from it. */
  readonly tracer: TracerSettings;
  /** p95 request latency thresholds, in seconds. */
  readonly latencyP95Seconds: MonitorThresholds;
  /** Failed-request share thresholds, in percent (0-100). */
  readonly errorRatePercent: MonitorThresholds;
  /** Anomaly monitor on the service's database error count. @default none */
  readonly databaseErrors?: Omit<DatabaseErrorAnomalyProps, "operation" | "service"> & {
    /** Database client library the service uses, e.g. "pg" (node-postgres). */
    readonly client: DatabaseClient;
    /** The client plugin's `service` option if the service sets one (e.g. DD_TRACE_PG_SERVICE). @default the tracer's naming */
    readonly service?: string;
  };
}

/** An API test of a public endpoint served by one of the workloads. */
export interface PublicEndpointTest {
  /** Test name, e.g. "payments-api-health"; unique in the environment (it is part of the construct id). */
  readonly name: string;
  /** The workload serving the endpoint; must be one of the workloads (its team owns the test). */
  readonly service: string;
  /** Public https:// URL to request. */
  readonly url: string;
  /** HTTP method of the request; use GET or HEAD for health endpoints. */
  readonly method: "GET" | "HEAD" | "POST";
  /** Checks on the response, at least one (status code, response time, body text). */
  readonly assertions: readonly ApiAssertion[];
}

/** Props of {@link EnvironmentObservability}. */
export interface EnvironmentObservabilityProps {
  /** Environment name, e.g. "test". */
  readonly env: string;
  /** Team owning the platform monitors (cluster, VPN, platform Lambdas). */
  readonly platformTeam: string;
  /** The environment's notification targets, shared by every monitor and test (prod pages, test posts to chat). */
  readonly notifications: NotificationTargets;
  /** Kubernetes cluster name as the Datadog agent tags it. */
  readonly clusterName: string;
  /** Every workload of the environment; services named anywhere below must be among them. */
  readonly workloads: readonly ObservedWorkload[];
  /** Services that get APM monitors (latency, error rate, optional database anomalies); each must be a workload. */
  readonly services: readonly ObservedServiceProps[];
  /** Kubernetes monitor settings applied to every workload. */
  readonly kubernetes: {
    /** Container restart thresholds (count per pod within `restartWindow`). */
    readonly restarts: MonitorThresholds;
    /** Window restarts are counted over, e.g. `last_15m`. */
    readonly restartWindow: MonitorWindow;
    /** Alert when an HPA has been at maxReplicas for this whole window. */
    readonly hpaAtMaxWindow: MonitorWindow;
    /** Alert when a Deployment has had unavailable replicas for this whole window. */
    readonly unavailableWindow: MonitorWindow;
  };
  /** Lambda functions whose errors alert. */
  readonly lambdas: readonly {
    /** Lambda function name as deployed (matched case-insensitively to the functionname tag). */
    readonly functionName: string;
    /** Service tag of the monitor, e.g. "ebs-reaper"; need not be a workload. */
    readonly service: string;
    /** Owning team. @default platformTeam */
    readonly team?: string;
  }[];
  /** API tests of the public endpoints, with locations and frequency shared by all tests. */
  readonly synthetics: {
    /** Datadog managed locations to run from (e.g. "aws:eu-central-1"), at least two distinct. */
    readonly locations: readonly string[];
    /** Seconds between runs; one of {@link TICK_EVERY_SECONDS}. */
    readonly tickEverySeconds: number;
    /** The endpoints to test. */
    readonly tests: readonly PublicEndpointTest[];
  };
  /** Monitor-based SLO over one service's latency and error-rate monitors. @default none */
  readonly slo?: {
    /** Service whose latency and error-rate monitors form the SLI; must be listed in `services`. */
    readonly service: string;
    /** Target share of good time, percent, above 0 and below 100 (e.g. 99.9). */
    readonly targetPercent: number;
    /** Warn below this, before the target is breached; above targetPercent. @default none */
    readonly warningPercent?: number;
    /** Rolling window the target is measured over: `7d`, `30d` or `90d`. */
    readonly timeframe: (typeof SLO_TIMEFRAMES)[number];
  };
  /** The load-event dashboard over all services, the cluster and the SLO. */
  readonly loadEventDashboard: {
    /** Dashboard title as shown in Datadog, e.g. "prod load event". */
    readonly title: string;
  };
  /** Azure VPN gateway and customer tunnels to monitor. @default none */
  readonly vpn?: {
    /** Azure name of the hub's site-to-site VPN gateway. */
    readonly gatewayName: string;
    /** Azure name of the hub's point-to-site VPN gateway. @default none */
    readonly pointToSiteGatewayName?: string;
    /** Customer name (lower-case, becomes a tag) -> Azure name of its site-to-site connection. */
    readonly customerConnections: Readonly<Record<string, string>>;
  };
}

/**
 * Everything Datadog watches in one environment: per-service APM monitors (latency, error
 * rate, database error anomalies), Kubernetes monitors per workload and for the cluster, VPN
 * tunnel and gateway monitors, Lambda error monitors, API tests of the public endpoints, the
 * load-event dashboard and the public-API SLO. A service that is not a workload of the
 * environment is rejected: a monitor on a name nothing reports under never fires.
 */
export class EnvironmentObservability extends Construct {
  /** APM monitors by service name. */
  public readonly services: Readonly<Record<string, ServiceMonitors>>;
  /** Kubernetes monitors by workload name. */
  public readonly workloads: Readonly<Record<string, WorkloadMonitors>>;
  /** Cluster-wide monitors. */
  public readonly cluster: ClusterMonitors;
  /** VPN monitors, when a VPN is given. */
  public readonly vpn?: VpnMonitors;
  /** Lambda error monitors. */
  public readonly lambdas: readonly LambdaErrorMonitor[];
  /** API tests of the public endpoints. */
  public readonly synthetics: readonly ApiSyntheticTest[];
  /** The public-API SLO, when configured. */
  public readonly slo?: MonitorSlo;
  /** The load-event dashboard. */
  public readonly dashboard: LoadEventDashboard;

  constructor(scope: Construct, id: string, props: EnvironmentObservabilityProps) {
    super(scope, id);
    const { env, notifications } = props;
    const workloadByName = new Map(props.workloads.map((w) => [w.name, w]));
    const workload = (field: string, name: string): ObservedWorkload => {
      const found = workloadByName.get(name);
      if (!found) {
        throw new ConfigError(
          `${field} "${name}" is not a workload of environment ${env} (known: ${[...workloadByName.keys()].join(", ") || "none"}); fix the name or add the service to the workloads config first`,
          this,
        );
      }
      return found;
    };

    const services: Record<string, ServiceMonitors> = {};
    // Span names and the database's service tag come from what the tracer really reports.
    const traced = props.services.map((service) => {
      const db = service.databaseErrors;
      return {
        name: service.name,
        apmOperation: inboundOperation(service.tracer, this),
        databaseErrors: db && {
          algorithm: db.algorithm,
          bounds: db.bounds,
          alertWindow: db.alertWindow,
          intervalSeconds: db.intervalSeconds,
          ...databaseSpans(service.tracer, service.name, db.client, db.service, this),
        },
      };
    });
    props.services.forEach((service, i) => {
      const owner = workload(`services[${i}].name`, service.name);
      services[service.name] = new ServiceMonitors(this, `service-${service.name}`, {
        ...traced[i],
        latencyP95Seconds: service.latencyP95Seconds,
        errorRatePercent: service.errorRatePercent,
        owner: { env, service: service.name, team: owner.team },
        notifications,
      });
    });
    this.services = services;

    const workloads: Record<string, WorkloadMonitors> = {};
    for (const w of props.workloads) {
      workloads[w.name] = new WorkloadMonitors(this, `workload-${w.name}`, {
        ...props.kubernetes,
        owner: { env, service: w.name, team: w.team },
        notifications,
        workload: { clusterName: props.clusterName, namespace: w.namespace, deployment: w.name },
      });
    }
    this.workloads = workloads;

    this.cluster = new ClusterMonitors(this, "cluster", {
      owner: { env, service: "kubernetes", team: props.platformTeam },
      notifications,
      clusterName: props.clusterName,
    });

    if (props.vpn) {
      this.vpn = new VpnMonitors(this, "vpn", { ...props.vpn, owner: { env, team: props.platformTeam }, notifications });
    }

    this.lambdas = props.lambdas.map(
      (fn) =>
        new LambdaErrorMonitor(this, `lambda-${fn.functionName}`, {
          owner: { env, service: fn.service, team: fn.team ?? props.platformTeam },
          notifications,
          functionName: fn.functionName,
        }),
    );

    this.synthetics = props.synthetics.tests.map((test, i) => {
      const owner = workload(`synthetics.tests[${i}].service`, test.service);
      return new ApiSyntheticTest(this, `synthetic-${test.name}`, {
        ...test,
        owner: { env, service: test.service, team: owner.team },
        notifications,
        locations: props.synthetics.locations,
        tickEverySeconds: props.synthetics.tickEverySeconds,
      });
    });

    if (props.slo) {
      const owner = workload("slo.service", props.slo.service);
      const monitors = services[props.slo.service];
      if (!monitors) {
        throw new ConfigError(`slo.service "${props.slo.service}" has no APM monitors; add it to services so the SLO has latency and error-rate monitors to measure`, this);
      }
      this.slo = new MonitorSlo(this, "slo", {
        ...props.slo,
        title: "public API availability and latency",
        owner: { env, service: props.slo.service, team: owner.team },
        monitors: [monitors.latency, monitors.errorRate],
      });
    }

    this.dashboard = new LoadEventDashboard(this, "load-event-dashboard", {
      title: props.loadEventDashboard.title,
      env,
      team: props.platformTeam,
      clusterName: props.clusterName,
      services: traced,
      sloId: this.slo?.slo.id,
    });
  }
}
