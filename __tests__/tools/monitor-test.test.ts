import { rmSync } from "fs";
import { loadEnvironments } from "../../environments";
import { MONITOR_TEST_CLI, report } from "../../tools/monitor-test";
import { runCli } from "../../tools/cli";
import { AgentEmulator } from "../../tools/monitor-test/agent";
import { evaluateRange, FixtureError, MonitorEvaluation, MonitorUnderTest } from "../../tools/monitor-test/evaluate";
import { Fixture, valuesOf } from "../../tools/monitor-test/fixture";
import { judge, readSynthesized, Row, runMonitorTests, scenarioRows, StackUnderTest, targetsFrom } from "../../tools/monitor-test/run";
import { synthesizeObservability } from "../../tools/monitor-test/synthesize";
import { shippedSynthCopy } from "../helpers/shipped-synth";

/** The shipped environments' monitors as the CLI reads them by default: from the synth output. */
function shippedTargets(): StackUnderTest[] {
  const outdir = shippedSynthCopy();
  try {
    return targetsFrom(readSynthesized(outdir)!, loadEnvironments());
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const monitor = (query: string, extra: Partial<MonitorUnderTest> = {}): MonitorUnderTest => ({
  stack: "s",
  name: "m",
  query,
  tags: ["service:x"],
  evaluationDelaySeconds: 0,
  requireFullWindow: false,
  ...extra,
});

function fixture(minutes: number, series: [string, Record<string, string>, (m: number) => number | undefined][]): Fixture {
  return new Fixture(
    minutes,
    series.map(([metric, tags, value]) => ({ metric, tags, values: valuesOf(minutes, value) })),
  );
}

describe("monitor-test on the shipped environments", () => {
  const targets = shippedTargets();
  const rows = runMonitorTests(targets);

  it("passes every scenario and drill of every synthesized monitor", () => {
    expect(rows.filter((r) => !r.pass)).toEqual([]);
  });

  it("gives every monitor of both environments a healthy and a failure scenario", () => {
    expect(targets.map((t) => t.stack).sort()).toEqual(["prod-azure-observability", "test-aws-observability"]);
    for (const target of targets) {
      expect(target.monitors.length).toBeGreaterThan(0);
      for (const m of target.monitors) {
        const scenarios = rows.filter((r) => r.stack === target.stack && r.monitor === m.name && !r.scenario.startsWith("drill")).map((r) => r.scenario);
        expect([m.name, scenarios.length, scenarios[0]]).toEqual([m.name, 2, "healthy"]);
      }
    }
  });

  it("runs the seed's incidents as drills: DB errors, OOM kills, the sales event, a tunnel down, the reaper's errors", () => {
    for (const target of targets) {
      const own = rows.filter((r) => r.stack === target.stack);
      const drill = (text: RegExp) => own.filter((r) => text.test(r.scenario));
      const alerting = (list: Row[]) => list.filter((r) => r.got.startsWith("alert")).map((r) => r.monitor);
      const queryOf = (name: string) => target.monitors.find((m) => m.name === name)!.query;
      const prefix = `[${target.model.env}]`;

      const databases = target.model.services.filter((s) => s.database).map((s) => s.name);
      const db = drill(/database errors 10x/);
      expect(alerting(db)).toEqual(databases.map((s) => `${prefix} ${s}: database errors anomalous`));
      expect(db.filter((r) => /p95 latency/.test(r.monitor)).map((r) => r.got)).toEqual(databases.map(() => "ok"));

      const victim = target.model.workloads[0].name;
      const oom = drill(/OOMKilled twice/);
      expect(alerting(oom)).toEqual([`${prefix} ${victim}: container OOMKilled`]);
      expect(oom.filter((r) => /previous query/.test(r.monitor)).map((r) => r.got)).toEqual(["ok"]);
      const sale = drill(/sales event/);
      expect(alerting(sale)).toEqual([`${prefix} ${victim}: HPA at max replicas`]);
      expect(sale.filter((r) => r.monitor.startsWith("load-event dashboard")).map((r) => r.got)).toEqual(target.dashboardQueries.map(() => "returns data"));

      const [down] = target.model.vpn?.connections ?? [];
      const tunnels = alerting(drill(/tunnel .* down/));
      expect(tunnels.map((name) => queryOf(name).includes(`connectionname:${down}}`))).toEqual(down ? [true] : []);
      expect(alerting(drill(/error burst/)).map((name) => queryOf(name))).toEqual(target.model.lambdas.map((fn) => expect.stringContaining(`functionname:${fn.toLowerCase()}}`)));
    }
  });
});

describe("monitor-test follows the runbooks", () => {
  it("derives scenarios for a customer and a service added to the config, and they pass", () => {
    const environments = structuredClone(loadEnvironments());
    environments.prodAzure.vpn.customers.push({ ...environments.prodAzure.vpn.customers[2], name: "umbrella", gatewayAddress: "198.51.100.99", addressSpaces: ["192.168.80.0/22"] });
    const api = environments.prodAzure.workloads.services[0];
    environments.prodAzure.workloads.services.push({ ...api, name: "ledger-api", configFiles: undefined });
    environments.prodAzure.observability.services.push({ ...environments.prodAzure.observability.services[0], name: "ledger-api" });
    // Only the changed environment's monitors are judged: test-aws's are the shipped ones, judged above.
    const rows = runMonitorTests(synthesizeObservability(environments).filter((t) => t.stack === "prod-azure-observability"));
    expect(new Set(rows.map((r) => r.stack))).toEqual(new Set(["prod-azure-observability"]));
    expect(rows.filter((r) => !r.pass)).toEqual([]);
    expect(rows.filter((r) => /umbrella|ledger-api/.test(r.monitor)).length).toBeGreaterThanOrEqual(2 * 6);
  });
});

describe("monitor-test rejects", () => {
  it("a monitor no scenario covers, naming what to add", () => {
    const [target] = shippedTargets();
    const rows = scenarioRows({ ...target, monitors: [monitor("max(last_5m):sum:kubernetes_state.node.count{kube_cluster_name:c1} < 2")] });
    expect(rows).toEqual([
      expect.objectContaining({ scenario: "(none)", pass: false, got: expect.stringMatching(/^no scenario: no kind in tools\/monitor-test\/scenarios.ts matches this query/) }),
    ]);
  });

  it("a scenario whose series lacks a tag the query filters on, naming the tag", () => {
    const f = fixture(30, [["kubernetes_state.deployment.replicas_unavailable", { kube_namespace: "payments" }, () => 0]]);
    const m = monitor("min(last_10m):max:kubernetes_state.deployment.replicas_unavailable{kube_namespace:payments,kube_deployment:api} >= 1");
    expect(() => new MonitorEvaluation(m, f, "drill x")).toThrow(FixtureError);
    expect(() => new MonitorEvaluation(m, f, "drill x")).toThrow(/^drill x: series kubernetes_state.deployment.replicas_unavailable\{kube_namespace:payments\} lacks tag "kube_deployment" that the query filters or groups on/);
    const row = judge(m, { name: "healthy", fixture: () => f, range: [10, 29], expect: { status: "ok" } });
    expect(row).toMatchObject({ pass: false, got: expect.stringMatching(/lacks tag "kube_deployment"/) });
  });
});

describe("the evaluator", () => {
  const restarts = (value: (m: number) => number) =>
    fixture(60, [
      ["kubernetes.containers.restarts", { kube_deployment: "api", pod_name: "a" }, value],
      ["kubernetes.containers.restarts", { kube_deployment: "api", pod_name: "b" }, () => 1],
    ]);

  it("evaluates change() per group and reports only the group that changed", () => {
    const m = monitor("change(max(last_5m),last_5m):max:kubernetes.containers.restarts{kube_deployment:api} by {pod_name} > 3", { warning: 1 });
    const outcome = evaluateRange(new MonitorEvaluation(m, restarts((t) => (t < 30 ? 0 : t - 29)), "t"), 10, 59);
    expect(outcome.first).toMatchObject({ status: "warn", groups: ["pod_name:a"] });
    expect([...outcome.troubled]).toEqual(["pod_name:a"]);
    const alerts = [20, 31, 40].map((t) => new MonitorEvaluation(m, restarts((x) => (x < 30 ? 0 : x - 29)), "t").statusAt(t).get("pod_name:a"));
    expect(alerts).toEqual(["ok", "warn", "alert"]);
  });

  it("turns per-minute counts into per-second rates with .as_rate() and honours the evaluation delay", () => {
    const f = fixture(30, [["trace.http.request.hits", { env: "e", service: "s" }, (t) => (t >= 20 ? 600 : 60)]]);
    const m = monitor("avg(last_1m):sum:trace.http.request.hits{env:e,service:s}.as_rate() > 5", { evaluationDelaySeconds: 300 });
    const evaluation = new MonitorEvaluation(m, f, "t");
    expect([evaluation.statusAt(22).get("*"), evaluation.statusAt(25).get("*")]).toEqual(["ok", "alert"]);
  });

  it("alerts on silence only for a group that reported before, when no-data is on", () => {
    const f = fixture(90, [["kubernetes_state.node.by_condition", { kube_cluster_name: "c", condition: "ready", status: "false" }, (t) => (t < 40 ? 0 : undefined)]]);
    const m = monitor("max(last_5m):sum:kubernetes_state.node.by_condition{kube_cluster_name:c,condition:ready,status:false} by {kube_cluster_name} >= 1", { noDataMinutes: 15 });
    const evaluation = new MonitorEvaluation(m, f, "t");
    expect([evaluation.statusAt(50).get("kube_cluster_name:c"), evaluation.statusAt(60).get("kube_cluster_name:c")]).toEqual([undefined, "no data"]);
  });

  it("finds no anomaly without three seasons of history, and finds the spike with them", () => {
    const emulator = new AgentEmulator({ env: "e", clusterName: "c", workloads: [], lambdas: [], services: [{ name: "api", tracer: { library: "dd-trace-js", namingSchema: "v1", webFramework: "http" }, database: { client: "pg" } }] });
    const query = "avg(last_1h):anomalies(sum:trace.postgresql.query.errors{env:e,service:api}.as_count(), 'robust', 3, direction='above', alert_window='last_15m', interval=60, count_default_zero='true', seasonality='weekly') >= 1";
    const spike = (minutes: number) => {
      const base = emulator.baseline(minutes, 0, true);
      return base.with((s) => (s.metric === "trace.postgresql.query.errors" ? s.values.map((v, t) => (t >= minutes - 40 ? 30 + v * 10 : v)) : undefined));
    };
    const short = new MonitorEvaluation(monitor(query), spike(2 * 10080), "t");
    expect(short.statusAt(2 * 10080 - 1).get("*")).toBe("ok");
    const long = new MonitorEvaluation(monitor(query), spike(4 * 10080), "t");
    expect(long.statusAt(4 * 10080 - 1).get("*")).toBe("alert");
  });
});

describe("npm run monitor-test", () => {
  const rows: Row[] = [
    { stack: "s", monitor: "m", scenario: "healthy", expected: "ok", got: "ok", pass: true },
    { stack: "s", monitor: "m", scenario: "oom", expected: "alert within 11 min", got: "ok", pass: false },
  ];

  it("prints JSON rows and exits 1 when a row fails", () => {
    let out = "";
    expect(report(rows, "json", (t) => (out += t))).toBe(1);
    expect(JSON.parse(out)).toEqual(rows);
    expect(report(rows.slice(0, 1), "table", () => undefined)).toBe(0);
  });

  it("answers --help with exit 0 and rejects an unknown flag by name", async () => {
    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
    expect(await runCli(MONITOR_TEST_CLI, ["--help"], () => 0, io)).toBe(0);
    expect(lines.join("\n")).toMatch(/--format/);
    expect(await runCli(MONITOR_TEST_CLI, ["--fromat", "json"], () => 0, io)).toBe(2);
    expect(lines.at(-1)).toMatch(/^monitor-test: .*--fromat/);
  });
});
