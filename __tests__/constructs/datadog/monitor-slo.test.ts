import { Testing } from "cdktf";
import { AlertMonitor } from "../../../constructs/datadog/alert-monitor";
import { MonitorSlo, MonitorSloProps } from "../../../constructs/datadog/monitor-slo";
import { emptyStack } from "../../helpers/synth";

function synthSlo(props: Partial<Omit<MonitorSloProps, "monitors">> & { noMonitors?: boolean } = {}): any {
  const stack = emptyStack();
  const owner = { env: "prod", service: "payments-api", team: "payments" };
  const monitor = new AlertMonitor(stack, "latency", {
    title: "p95 latency high",
    description: "slow",
    query: "percentile(last_5m):p95:trace.http.request{env:prod,service:payments-api} > 0.5",
    thresholds: { critical: 0.5 },
    unit: "seconds",
    owner,
    notifications: { alert: ["@pagerduty-payments"], renotifyMinutes: 30 },
    noData: { notify: false },
  });
  new MonitorSlo(stack, "slo", {
    title: "public API",
    owner,
    monitors: props.noMonitors ? [] : [monitor],
    targetPercent: props.targetPercent ?? 99.9,
    warningPercent: "warningPercent" in props ? props.warningPercent : 99.95,
    timeframe: props.timeframe ?? "30d",
  });
  return Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_service_level_objective)[0];
}

describe("MonitorSlo", () => {
  it("is a monitor-based SLO over the given monitors with target and warning", () => {
    expect(synthSlo()).toMatchObject({
      type: "monitor",
      monitor_ids: [expect.stringMatching(/^\$\{datadog_monitor\.latency_monitor_\w+\.id\}$/)],
      timeframe: "30d",
      target_threshold: 99.9,
      warning_threshold: 99.95,
      thresholds: [{ timeframe: "30d", target: 99.9, warning: 99.95 }],
      tags: ["env:prod", "service:payments-api", "team:payments", "managed-by:cdktf"],
    });
  });

  it.each([
    ["a target of 100", { targetPercent: 100 }, /targetPercent must be above 0 and below 100 \(e.g. 99.9\), got 100/],
    ["a warning looser than the target", { targetPercent: 99.9, warningPercent: 99.5 }, /warningPercent 99.5 must be above targetPercent 99.9 and below 100/],
    ["no monitors", { noMonitors: true }, /a monitor-based SLO needs at least one monitor/],
  ])("rejects %s", (_, props, message) => {
    expect(() => synthSlo(props)).toThrow(message);
  });
});
