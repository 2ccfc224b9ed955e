import { Testing } from "cdktf";
import { AwsObservabilityStack } from "../../../stacks/aws/observability-stack";
import { environments, synthJson } from "../../helpers/synth";

/** Monitors keyed by name, so assertions read like the Datadog monitor list. */
function monitorsByName(json: ReturnType<typeof synthJson>): Record<string, any> {
  return Object.fromEntries(Object.values(json.resource.datadog_monitor).map((m: any) => [m.name, m]));
}

describe("test-aws-observability", () => {
  const env = environments().testAws;
  const stack = new AwsObservabilityStack(Testing.app(), env, { lambdas: [{ functionName: "test-ebs-reaper", service: "ebs-reaper" }] });
  const synthesized = Testing.synth(stack);
  const json = synthJson(stack);
  const monitors = monitorsByName(json);

  it("keeps its state at test/aws/observability.tfstate and configures only the datadog provider, without keys", () => {
    expect(stack.node.id).toBe("test-aws-observability");
    expect(json.terraform.backend.s3).toMatchObject({ bucket: env.state.bucketName, key: "test/aws/observability.tfstate", encrypt: true, use_lockfile: true });
    expect(Object.keys(json.provider)).toEqual(["datadog"]);
    expect(json.provider.datadog).toEqual([{ api_url: "https://api.datadoghq.eu/" }]);
  });

  it("never writes a Datadog API or application key into the synthesized JSON", () => {
    expect(synthesized).not.toMatch(/api_key|app_key/);
    expect(synthesized).not.toMatch(/(^|[^0-9a-f])([0-9a-f]{32}|[0-9a-f]{40})(?![0-9a-f])/i);
  });

  it("monitors the payments API's p95 latency and error rate with ordered thresholds", () => {
    expect(monitors["[test] payments-api: p95 latency high"]).toMatchObject({
      type: "query alert",
      query: "percentile(last_5m):p95:trace.http.request{env:test,service:payments-api} > 1",
      monitor_thresholds: { critical: "1", warning: "0.5" },
      notify_no_data: false,
    });
    expect(monitors["[test] payments-api: error rate high"]).toMatchObject({
      query:
        "sum(last_10m):(sum:trace.http.request.errors{env:test,service:payments-api}.as_count() / sum:trace.http.request.hits{env:test,service:payments-api}.as_count()) * 100 > 5",
      monitor_thresholds: { critical: "5", warning: "2" },
    });
  });

  it("detects anomalies in the database error count of the payments API's postgres spans (dd-trace-js v0 names them <service>-postgres)", () => {
    expect(monitors["[test] payments-api: database errors anomalous"]).toMatchObject({
      query:
        "avg(last_4h):anomalies(sum:trace.pg.query.errors{env:test,service:payments-api-postgres}.as_count(), 'agile', 3, direction='above', alert_window='last_15m', interval=60, count_default_zero='true', seasonality='weekly') >= 1",
      monitor_thresholds: { critical: "1" },
      monitor_threshold_windows: { trigger_window: "last_15m", recovery_window: "last_15m" },
    });
  });

  it("watches every workload for OOM kills, restart loops, an HPA at max and unavailable replicas", () => {
    for (const workload of ["payments-api", "payments-worker"]) {
      const scope = `kube_cluster_name:test-platform,kube_namespace:payments`;
      expect(monitors[`[test] ${workload}: container OOMKilled`].query).toBe(
        `max(last_10m):sum:kubernetes.containers.last_state.terminated{${scope},kube_deployment:${workload},reason:oomkilled} by {kube_container_name} >= 1`,
      );
      expect(monitors[`[test] ${workload}: containers restarting in a loop`]).toMatchObject({
        query: `change(max(last_15m),last_15m):max:kubernetes.containers.restarts{${scope},kube_deployment:${workload}} by {pod_name} > 3`,
        monitor_thresholds: { critical: "3", warning: "1" },
      });
      expect(monitors[`[test] ${workload}: HPA at max replicas`].query).toBe(
        `min(last_15m):max:kubernetes_state.hpa.current_replicas{${scope},horizontalpodautoscaler:${workload}} - max:kubernetes_state.hpa.max_replicas{${scope},horizontalpodautoscaler:${workload}} >= 0`,
      );
      expect(monitors[`[test] ${workload}: deployment replicas unavailable`]).toMatchObject({
        query: `min(last_10m):max:kubernetes_state.deployment.replicas_unavailable{${scope},kube_deployment:${workload}} >= 1`,
        notify_no_data: true,
        no_data_timeframe: 30,
      });
    }
    expect(monitors["[test] kubernetes: nodes not ready"]).toMatchObject({
      query: "max(last_5m):sum:kubernetes_state.node.by_condition{kube_cluster_name:test-platform,condition:ready,status:false} by {kube_cluster_name} >= 1",
      tags: ["env:test", "service:kubernetes", "team:platform", "managed-by:cdktf"],
    });
  });

  it("alerts on EBS reaper Lambda errors", () => {
    expect(monitors["[test] ebs-reaper: Lambda test-ebs-reaper errors"]).toMatchObject({
      query: "sum(last_1h):sum:aws.lambda.errors{functionname:test-ebs-reaper}.as_count() > 0",
      evaluation_delay: 900,
      tags: ["env:test", "service:ebs-reaper", "team:platform", "managed-by:cdktf"],
    });
  });

  it("tags every monitor with env/service/team, posts to the test chat channel (never a pager) and renotifies", () => {
    const all = Object.values(monitors);
    expect(all).toHaveLength(13);
    for (const monitor of all) {
      expect(monitor.tags).toEqual(expect.arrayContaining(["env:test", expect.stringMatching(/^service:[a-z]/), expect.stringMatching(/^team:[a-z]/)]));
      expect(monitor.message).toContain("{{#is_alert}}@slack-platform-test-alerts{{/is_alert}}");
      expect(monitor.message).not.toMatch(/@pagerduty|@opsgenie/);
      expect(monitor.renotify_interval).toBe(120);
      expect(typeof monitor.notify_no_data).toBe("boolean");
    }
  });

  it("probes the public endpoint with status and latency assertions from two locations every 5 minutes", () => {
    const [test] = Object.values(json.resource.datadog_synthetics_test) as any[];
    expect(test).toMatchObject({
      type: "api",
      subtype: "http",
      locations: ["aws:eu-west-1", "aws:eu-central-1"],
      request_definition: { method: "GET", url: "https://api.test.fintech.example.com/healthz" },
      assertion: [
        { type: "statusCode", operator: "is", target: "200" },
        { type: "responseTime", operator: "lessThan", target: "1500" },
      ],
      options_list: expect.objectContaining({ tick_every: 300, min_location_failed: 2 }),
      tags: ["env:test", "service:payments-api", "team:payments", "managed-by:cdktf"],
    });
  });

  it("builds a monitor-based SLO over the API's latency and error-rate monitors", () => {
    const [slo] = Object.values(json.resource.datadog_service_level_objective) as any[];
    const ids = Object.entries(json.resource.datadog_monitor)
      .filter(([, m]: [string, any]) => /payments-api: (p95 latency|error rate)/.test(m.name))
      .map(([name]) => `\${datadog_monitor.${name}.id}`);
    expect(slo).toMatchObject({ type: "monitor", target_threshold: 99.5, warning_threshold: 99.7, timeframe: "30d" });
    expect([...slo.monitor_ids].sort()).toEqual(ids.sort());
  });

  it("builds the load-event dashboard with traffic, latency, errors, DB anomaly band, HPA, nodes and restarts", () => {
    const [dashboard] = Object.values(json.resource.datadog_dashboard_json) as any[];
    const parsed = JSON.parse(dashboard.dashboard);
    expect(parsed).toMatchObject({ title: "[test] Load event: payments", layout_type: "ordered", tags: ["team:platform"] });
    const widgets = Object.fromEntries(parsed.widgets.map((w: any) => [w.definition.title, w.definition]));
    expect(Object.keys(widgets)).toEqual([
      "Public API SLO",
      "Request rate (req/s)",
      "Latency p50 / p95 / p99 (s)",
      "Errors",
      "Database errors with anomaly band",
      "HPA replicas vs max",
      "Nodes",
      "Pod restarts",
    ]);
    expect(widgets["Public API SLO"].slo_id).toMatch(/^\$\{datadog_service_level_objective\.\w+\.id\}$/);
    expect(widgets["Latency p50 / p95 / p99 (s)"].requests.map((r: any) => r.q)).toEqual(
      ["p50", "p95", "p99"].map((p) => `${p}:trace.http.request{env:test,service:payments-api}`),
    );
    // The dashboard function's documented form: no monitor-only arguments.
    expect(widgets["Database errors with anomaly band"].requests[0].q).toBe("anomalies(sum:trace.pg.query.errors{env:test,service:payments-api-postgres}.as_count(), 'agile', 3)");
    expect(widgets["HPA replicas vs max"].requests.map((r: any) => r.q)).toEqual([
      "max:kubernetes_state.hpa.current_replicas{kube_cluster_name:test-platform} by {horizontalpodautoscaler}",
      "max:kubernetes_state.hpa.max_replicas{kube_cluster_name:test-platform} by {horizontalpodautoscaler}",
    ]);
    expect(widgets.Nodes.requests[0].q).toBe("sum:kubernetes_state.node.count{kube_cluster_name:test-platform}");
  });
});
