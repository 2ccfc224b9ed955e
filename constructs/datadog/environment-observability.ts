import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { ApiAssertion, ApiSyntheticTest } from "./api-synthetic-test";
import { MonitorThresholds } from "./alert-monitor";
import { ClusterMonitors, WorkloadMonitors } from "./kubernetes-monitors";
import { LambdaErrorMonitor } from "./lambda-error-monitor";
import { LoadEventDashboard } from "./load-event-dashboard";
import { ApmOperation } from "./metric-catalogue";
import { MonitorSlo, SLO_TIMEFRAMES } from "./monitor-slo";
import { NotificationTargets } from "./notifications";
import { DatabaseErrorAnomalyProps, ServiceMonitors } from "./service-monitors";
import { VpnMonitors } from "./vpn-monitors";
import { MonitorWindow } from "./query";

/** A workload deployed in the environment's cluster (from the workloads config). */
export interface ObservedWorkload {
  readonly name: string;
  readonly team: string;
  readonly namespace: string;
}

/** APM monitors of one service. */
export interface ObservedServiceProps {
  /** Must be one of the workloads. */
  readonly name: string;
  readonly apmOperation: ApmOperation;
  readonly latencyP95Seconds: MonitorThresholds;
  readonly errorRatePercent: MonitorThresholds;
  readonly databaseErrors?: DatabaseErrorAnomalyProps;
}

/** An API test of a public endpoint served by one of the workloads. */
export interface PublicEndpointTest {
  readonly name: string;
  readonly service: string;
  readonly url: string;
  readonly method: "GET" | "HEAD" | "POST";
  readonly assertions: readonly ApiAssertion[];
}

/** Props of {@link EnvironmentObservability}. */
export interface EnvironmentObservabilityProps {
  /** Environment name, e.g. "test". */
  readonly env: string;
  /** Team owning the platform monitors (cluster, VPN, platform Lambdas). */
  readonly platformTeam: string;
  readonly notifications: NotificationTargets;
  /** Kubernetes cluster name as the Datadog agent tags it. */
  readonly clusterName: string;
  /** Every workload of the environment; services named anywhere below must be among them. */
  readonly workloads: readonly ObservedWorkload[];
  readonly services: readonly ObservedServiceProps[];
  readonly kubernetes: {
    readonly restarts: MonitorThresholds;
    readonly restartWindow: MonitorWindow;
    readonly hpaAtMaxWindow: MonitorWindow;
    readonly unavailableWindow: MonitorWindow;
  };
  /** Lambda functions whose errors alert. */
  readonly lambdas: readonly { readonly functionName: string; readonly service: string; readonly team?: string }[];
  readonly synthetics: { readonly locations: readonly string[]; readonly tickEverySeconds: number; readonly tests: readonly PublicEndpointTest[] };
  /** Monitor-based SLO over one service's latency and error-rate monitors. @default none */
  readonly slo?: { readonly service: string; readonly targetPercent: number; readonly warningPercent?: number; readonly timeframe: (typeof SLO_TIMEFRAMES)[number] };
  readonly loadEventDashboard: { readonly title: string };
  /** Azure VPN gateway and customer tunnels to monitor. @default none */
  readonly vpn?: { readonly gatewayName: string; readonly customerConnections: Readonly<Record<string, string>> };
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
    props.services.forEach((service, i) => {
      const owner = workload(`services[${i}].name`, service.name);
      services[service.name] = new ServiceMonitors(this, `service-${service.name}`, {
        ...service,
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
      services: props.services,
      sloId: this.slo?.slo.id,
    });
  }
}
