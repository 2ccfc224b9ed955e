import { Testing } from "cdktf";
import { AlertMonitor, AlertMonitorProps } from "../../../constructs/datadog/alert-monitor";
import { emptyStack } from "../../helpers/synth";

const base: AlertMonitorProps = {
  title: "error rate high",
  description: "Too many errors.",
  query: "sum(last_10m):(sum:trace.http.request.errors{env:test,service:api}.as_count() / sum:trace.http.request.hits{env:test,service:api}.as_count()) * 100 > 5",
  thresholds: { warning: 2, critical: 5 },
  unit: "percent",
  owner: { env: "test", service: "api", team: "payments" },
  notifications: { alert: ["@slack-payments-test"], renotifyMinutes: 60 },
  noData: { notify: false },
};

function synthMonitor(props: Partial<AlertMonitorProps> = {}): any {
  const stack = emptyStack();
  new AlertMonitor(stack, "m", { ...base, ...props });
  return Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_monitor)[0];
}

describe("AlertMonitor", () => {
  it("defaults: query alert with env/service/team tags, routed message, renotify, explicit no-data, sparse-count window", () => {
    const monitor = synthMonitor();
    expect(monitor).toMatchObject({
      name: "[test] api: error rate high",
      type: "query alert",
      query: base.query,
      monitor_thresholds: { critical: "5", warning: "2" },
      tags: ["env:test", "service:api", "team:payments", "managed-by:cdktf"],
      renotify_interval: 60,
      renotify_statuses: ["alert"],
      notify_no_data: false,
      require_full_window: false,
      include_tags: true,
      priority: "2",
    });
    expect(monitor.message).toContain("{{#is_alert}}@slack-payments-test{{/is_alert}}");
    expect(monitor.message).toContain("{{#is_warning}}@slack-payments-test{{/is_warning}}");
    expect(monitor.escalation_message).toMatch(/@slack-payments-test/);
    expect(monitor.evaluation_delay).toBeUndefined();
    expect(monitor.no_data_timeframe).toBeUndefined();
  });

  it("sends warnings to the warning targets and pages only on alert", () => {
    const monitor = synthMonitor({ notifications: { alert: ["@pagerduty-payments"], warning: ["@slack-payments"], renotifyMinutes: 30 } });
    expect(monitor.message).toContain("{{#is_warning}}@slack-payments{{/is_warning}}");
    expect(monitor.message).toContain("{{#is_alert}}@pagerduty-payments{{/is_alert}}");
    expect(monitor.message).not.toContain("{{#is_warning}}@pagerduty");
  });

  it("alerts on no data after the given minutes and renotifies on it", () => {
    const monitor = synthMonitor({
      query: "max(last_5m):sum:kubernetes_state.node.by_condition{kube_cluster_name:c,condition:ready,status:false} >= 1",
      thresholds: { critical: 1 },
      unit: "count",
      noData: { notify: true, afterMinutes: 15 },
    });
    expect(monitor).toMatchObject({ notify_no_data: true, no_data_timeframe: 15, renotify_statuses: ["alert", "no data"], require_full_window: true });
  });

  it("delays evaluation of cloud-integration metrics that arrive late", () => {
    const monitor = synthMonitor({ query: "sum(last_1h):sum:aws.lambda.errors{functionname:f}.as_count() > 0", thresholds: { critical: 0 }, unit: "count" });
    expect(monitor.evaluation_delay).toBe(900);
  });

  it("orders thresholds the other way for a falling (<) query", () => {
    const monitor = synthMonitor({
      query: "max(last_15m):sum:azure.network_vpngateways.count{name:gw,status:running} < 1",
      thresholds: { critical: 1, warning: 2 },
      unit: "count",
    });
    expect(monitor.monitor_thresholds).toEqual({ critical: "1", warning: "2" });
  });

  const rejected: [string, Partial<AlertMonitorProps>, RegExp][] = [
    ["warning equal to critical", { thresholds: { warning: 5, critical: 5 } }, /s\/m: thresholds.warning 5 must be below thresholds.critical 5/],
    ["warning above critical", { thresholds: { warning: 8, critical: 5 } }, /thresholds.warning 8 must be below thresholds.critical 5 \(the query alerts when the value is > critical\)/],
    [
      "warning below critical on a < query",
      { query: "max(last_15m):sum:azure.network_vpngateways.count{name:gw,status:running} < 1", thresholds: { warning: 0, critical: 1 }, unit: "count" },
      /thresholds.warning 0 must be above thresholds.critical 1/,
    ],
    ["a percentage above 100", { query: base.query.replace("> 5", "> 150"), thresholds: { critical: 150 } }, /thresholds.critical 150 is out of range for percent \(0-100\)/],
    ["a negative percentage", { thresholds: { warning: -1, critical: 5 } }, /thresholds.warning -1 is out of range for percent/],
    ["a query threshold that differs from critical", { thresholds: { critical: 10 } }, /the query threshold 5 differs from thresholds.critical 10/],
    ["an empty notification target", { notifications: { alert: [], renotifyMinutes: 60 } }, /notifications.alert is empty: name at least one target/],
    ["a malformed handle", { notifications: { alert: ["pagerduty-payments"], renotifyMinutes: 60 } }, /notification target "pagerduty-payments" is not a Datadog handle/],
    ["a renotify interval under 10 minutes", { notifications: { alert: ["@slack-x"], renotifyMinutes: 5 } }, /renotifyMinutes must be an integer from 10 to 1440, got 5/],
    ["a no-data timeframe shorter than twice the window", { noData: { notify: true, afterMinutes: 10 } }, /noData.afterMinutes must be an integer of at least twice the last_10m evaluation window \(20\), got 10/],
    ["an upper-case team tag", { owner: { env: "test", service: "api", team: "Payments" } }, /team tag "Payments" must be lower-case/],
    ["a typo in the query", { query: base.query.replace("trace.http.request.hits", "trace.http.request.hit") }, /unknown metric "trace.http.request.hit"; did you mean "trace.http.request.hits"\?/],
  ];
  it.each(rejected)("rejects %s", (_, props, message) => {
    expect(() => synthMonitor(props)).toThrow(message);
  });
});
