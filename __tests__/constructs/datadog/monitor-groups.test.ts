import { Testing } from "cdktf";
import { ClusterMonitors, WorkloadMonitors } from "../../../constructs/datadog/kubernetes-monitors";
import { LoadEventDashboard } from "../../../constructs/datadog/load-event-dashboard";
import { ServiceMonitors } from "../../../constructs/datadog/service-monitors";
import { VpnMonitors } from "../../../constructs/datadog/vpn-monitors";
import { emptyStack } from "../../helpers/synth";

const notifications = { alert: ["@slack-platform-test"], renotifyMinutes: 60 };
const owner = { env: "test", service: "ledger-api", team: "ledger" };

function monitorQueries(stack: ReturnType<typeof emptyStack>): string[] {
  return Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_monitor).map((m: any) => m.query);
}

describe("ServiceMonitors", () => {
  it("uses the service's span operation and adds no anomaly monitor without a database", () => {
    const stack = emptyStack();
    const monitors = new ServiceMonitors(stack, "svc", {
      owner,
      notifications,
      apmOperation: "express.request",
      latencyP95Seconds: { critical: 0.8 },
      errorRatePercent: { critical: 3 },
    });
    expect(monitors.databaseErrors).toBeUndefined();
    expect(monitorQueries(stack).sort()).toEqual([
      "percentile(last_5m):p95:trace.express.request{env:test,service:ledger-api} > 0.8",
      "sum(last_10m):(sum:trace.express.request.errors{env:test,service:ledger-api}.as_count() / sum:trace.express.request.hits{env:test,service:ledger-api}.as_count()) * 100 > 3",
    ]);
  });

  it("uses basic anomaly detection without seasonality when asked", () => {
    const stack = emptyStack();
    new ServiceMonitors(stack, "svc", {
      owner,
      notifications,
      apmOperation: "http.request",
      latencyP95Seconds: { critical: 1 },
      errorRatePercent: { critical: 5 },
      databaseErrors: { operation: "postgresql.query", service: "ledger-db", algorithm: "basic", bounds: 2, alertWindow: "last_30m", intervalSeconds: 120 },
    });
    expect(monitorQueries(stack)).toContain(
      "avg(last_4h):anomalies(sum:trace.postgresql.query.errors{env:test,service:ledger-db}.as_count(), 'basic', 2, direction='above', alert_window='last_30m', interval=120, count_default_zero='true') >= 1",
    );
  });

  it("rejects anomaly bounds outside 1-6", () => {
    const build = () =>
      new ServiceMonitors(emptyStack(), "svc", {
        owner,
        notifications,
        apmOperation: "http.request",
        latencyP95Seconds: { critical: 1 },
        errorRatePercent: { critical: 5 },
        databaseErrors: { operation: "pg.query", service: "ledger-api-postgres", algorithm: "agile", bounds: 8, alertWindow: "last_15m", intervalSeconds: 60 },
      });
    expect(build).toThrow(/s\/svc: query ".*": anomalies\(\) bounds must be a number from 1 to 6 \(deviations\), got 8/);
  });
});

describe("WorkloadMonitors and ClusterMonitors", () => {
  const workload = { clusterName: "c1", namespace: "ledger", deployment: "ledger-api" };
  const windows = { restartWindow: "last_30m", hpaAtMaxWindow: "last_1h", unavailableWindow: "last_15m" } as const;

  it("applies the configured windows", () => {
    const stack = emptyStack();
    new WorkloadMonitors(stack, "w", { owner, notifications, workload, restarts: { warning: 2, critical: 5 }, ...windows });
    const queries = monitorQueries(stack);
    expect(queries).toContainEqual(expect.stringMatching(/^change\(max\(last_30m\),last_30m\):max:kubernetes.containers.restarts\{.*\} by \{pod_name\} > 5$/));
    expect(queries).toContainEqual(expect.stringMatching(/^min\(last_1h\):max:kubernetes_state.hpa.current_replicas/));
    expect(queries).toContainEqual(expect.stringMatching(/^min\(last_15m\):max:kubernetes_state.deployment.replicas_unavailable/));
  });

  it("watches the OOM kill reason that survives the container's restart, per container", () => {
    const stack = emptyStack();
    new WorkloadMonitors(stack, "w", { owner, notifications, workload, restarts: { warning: 2, critical: 5 }, ...windows });
    expect(monitorQueries(stack)).toContain(
      "max(last_10m):sum:kubernetes.containers.last_state.terminated{kube_cluster_name:c1,kube_namespace:ledger,kube_deployment:ledger-api,reason:oomkilled} by {kube_container_name} >= 1",
    );
  });

  it("rejects a restart warning at or above critical", () => {
    expect(() => new WorkloadMonitors(emptyStack(), "w", { owner, notifications, workload, restarts: { warning: 5, critical: 5 }, ...windows })).toThrow(
      /s\/w\/restart-loop: thresholds.warning 5 must be below thresholds.critical 5/,
    );
  });

  it("alerts when any node of the cluster is not Ready, and when the metric disappears", () => {
    const stack = emptyStack();
    new ClusterMonitors(stack, "c", { owner: { ...owner, service: "kubernetes" }, notifications, clusterName: "c1" });
    const [monitor] = Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_monitor) as any[];
    expect(monitor).toMatchObject({ notify_no_data: true, no_data_timeframe: 15, monitor_thresholds: { critical: "1" } });
  });
});

describe("VpnMonitors", () => {
  it("creates one tunnel monitor per customer and a health monitor per hub gateway", () => {
    const stack = emptyStack();
    const vpn = new VpnMonitors(stack, "vpn", {
      owner: { env: "prod", team: "platform" },
      notifications,
      gatewayName: "VPNGW-Prod",
      pointToSiteGatewayName: "P2SGW-Prod",
      customerConnections: { acme: "cn-acme", globex: "cn-globex" },
    });
    expect(Object.keys(vpn.tunnels)).toEqual(["acme", "globex"]);
    // Datadog lower-cases Azure resource names in tags.
    expect(monitorQueries(stack)).toEqual(
      expect.arrayContaining([
        "max(last_15m):sum:azure.network_vpngateways.tunnel_average_bandwidth{name:vpngw-prod,connectionname:cn-acme} <= 0",
        "max(last_15m):sum:azure.network_vpngateways.count{name:vpngw-prod,status:running} < 1",
        "max(last_15m):sum:azure.network_p2svpngateways.count{name:p2sgw-prod,status:running} < 1",
      ]),
    );
  });

  it("has no point-to-site monitor without a point-to-site gateway", () => {
    const stack = emptyStack();
    const vpn = new VpnMonitors(stack, "vpn", { owner: { env: "prod", team: "platform" }, notifications, gatewayName: "gw", customerConnections: {} });
    expect(vpn.pointToSiteHealth).toBeUndefined();
    expect(monitorQueries(stack).filter((q) => q.includes("p2svpngateways"))).toEqual([]);
  });

  it("says in the tunnel monitor's message that the connectionname tag is unconfirmed", () => {
    const stack = emptyStack();
    new VpnMonitors(stack, "vpn", { owner: { env: "prod", team: "platform" }, notifications, gatewayName: "gw", customerConnections: { acme: "cn-acme" } });
    const monitors = Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_monitor) as any[];
    const tunnel = monitors.find((m) => m.query.includes("connectionname"));
    expect(tunnel.message).toMatch(/Tag connectionname on azure.network_vpngateways.tunnel_average_bandwidth is unconfirmed: .*check it in Metrics Explorer/);
  });

  it("rejects a customer name that cannot be a tag", () => {
    expect(
      () => new VpnMonitors(emptyStack(), "vpn", { owner: { env: "prod", team: "platform" }, notifications, gatewayName: "gw", customerConnections: { "Acme Bank": "cn-acme" } }),
    ).toThrow(/s\/vpn: customer "Acme Bank" must be lower-case letters, digits and dashes/);
  });
});

describe("LoadEventDashboard", () => {
  it("leaves out the SLO and anomaly widgets when there is neither", () => {
    const stack = emptyStack();
    new LoadEventDashboard(stack, "d", { title: "Sale", env: "test", team: "platform", clusterName: "c1", services: [{ name: "ledger-api", apmOperation: "http.request" }] });
    const [dashboard] = Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_dashboard_json) as any[];
    const titles = JSON.parse(dashboard.dashboard).widgets.map((w: any) => w.definition.title);
    expect(titles).toEqual(["Request rate (req/s)", "Latency p50 / p95 / p99 (s)", "Errors", "HPA replicas vs max", "Nodes", "Pod restarts"]);
  });

  it("rejects a dashboard without services", () => {
    expect(() => new LoadEventDashboard(emptyStack(), "d", { title: "Sale", env: "test", team: "platform", clusterName: "c1", services: [] })).toThrow(
      /s\/d: the load-event dashboard needs at least one service/,
    );
  });
});
