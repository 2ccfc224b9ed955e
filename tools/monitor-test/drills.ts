/**
 * The seed's incidents as drills: one fixture per incident, shaped like real agent data, and what
 * EVERY monitor of the kinds involved must do on it (the one named after the incident alerts in
 * the right group; its siblings and the monitors that must not be fooled stay quiet).
 *
 * 1. database errors rise 10x for 30 minutes on a weekly-seasonal baseline: the DB anomaly monitor
 *    alerts, the p95 latency monitor does not;
 * 2. a container OOMKilled twice in 10 minutes, restarting in between: only that deployment's
 *    OOMKilled monitor alerts (and the previous kube-state query would have missed it);
 * 3. a sales event: 3x traffic and one HPA at maxReplicas for 20 minutes: only its HPA monitor
 *    alerts, and every query of the load-event dashboard returns data;
 * 4. one customer's tunnel down: only that customer's tunnel monitor alerts;
 * 5. a Lambda error burst in the EBS reaper: its monitor alerts.
 */
import { parseMonitorQuery } from "../../constructs/datadog/query";
import { incidents } from "./agent";
import { returnsData, MonitorUnderTest } from "./evaluate";
import { Fixture } from "./fixture";
import { judge, Row } from "./judge";
import type { StackUnderTest } from "./run";
import { Expectation, filterValue, FixtureCache, kindOf, LONG, MONITOR_KINDS, serviceTag, SHORT } from "./scenarios";

type KindName = (typeof MONITOR_KINDS)[number]["failure"];

function ofKind(target: StackUnderTest, failure: KindName): MonitorUnderTest[] {
  return target.monitors.filter((m) => kindOf(m.query)?.failure === failure);
}

function drill(stack: string, name: string, fixture: () => Fixture, long: boolean, expectations: [MonitorUnderTest, Expectation][]): Row[] {
  const range: [number, number] = long ? [LONG.evaluateFrom, LONG.minutes - 1] : [60, SHORT.minutes - 1];
  const rows = expectations.map(([monitor, expect]) => judge(monitor, { name: `drill: ${name}`, fixture, range, expect }));
  if (!expectations.some(([, expect]) => expect.status !== "ok")) {
    rows.push({ stack, monitor: "(none)", scenario: `drill: ${name}`, expected: "the monitor named after this incident alerts", got: "no such monitor in the stack", pass: false });
  }
  return rows;
}

/** Every drill that applies to `target`'s environment. */
export function runDrills(target: StackUnderTest, fixtures: FixtureCache): Row[] {
  const { model } = target;
  const rows: Row[] = [];
  const alert = (from: number, group?: string): Expectation => ({ status: "alert", from, group });
  const ok: Expectation = { status: "ok" };

  for (const service of model.services.filter((s) => s.database)) {
    const fixture = () => fixtures.get(`drill-db-${service.name}`, () => incidents.databaseErrors(model, service.name, 10, LONG.start, 30)(fixtures.long()));
    const own = (m: MonitorUnderTest) => serviceTag(m) === service.name;
    rows.push(
      ...drill(target.stack, "database errors 10x for 30 min on a weekly-seasonal baseline", fixture, true, [
        ...ofKind(target, "database-errors-10x").filter(own).map((m): [MonitorUnderTest, Expectation] => [m, alert(LONG.start)]),
        ...ofKind(target, "latency-doubles-over-critical").filter(own).map((m): [MonitorUnderTest, Expectation] => [m, ok]),
      ]),
    );
  }

  const [victim] = model.workloads;
  if (victim) {
    const start = SHORT.start;
    const oom = () => fixtures.get("drill-oom", () => incidents.oomKills(victim.name, [start, start + 7])(fixtures.short()));
    const byWorkload = (m: MonitorUnderTest) => filterValue(parseMonitorQuery(m.query), "kube_deployment");
    const previousQuery: MonitorUnderTest = {
      stack: target.stack,
      name: `previous query (kubernetes_state.container.status_report.count.terminated) for ${victim.name}: misses the kill`,
      query: `max(last_10m):sum:kubernetes_state.container.status_report.count.terminated{kube_cluster_name:${model.clusterName},kube_namespace:${victim.namespace},kube_container_name:${victim.name},reason:oomkilled} by {pod_name} >= 1`,
      tags: [],
      evaluationDelaySeconds: 0,
      requireFullWindow: false,
    };
    rows.push(
      ...drill(target.stack, `${victim.name} OOMKilled twice in 10 min, restarting in between`, oom, false, [
        ...ofKind(target, "oom-killed-twice").map((m): [MonitorUnderTest, Expectation] => [m, byWorkload(m) === victim.name ? alert(start, `kube_container_name:${victim.name}`) : ok]),
        [previousQuery, ok],
      ]),
    );

    const sale = () => fixtures.get("drill-sale", () => incidents.load(3, start - 30)(incidents.hpaAtMax(victim.name, start, 20)(fixtures.short())));
    const hpaOf = (m: MonitorUnderTest) => filterValue(parseMonitorQuery(m.query), "horizontalpodautoscaler");
    rows.push(
      ...drill(target.stack, `sales event: 3x traffic, ${victim.name} HPA at max for 20 min`, sale, false, [
        ...ofKind(target, "hpa-pinned-at-max").map((m): [MonitorUnderTest, Expectation] => [m, hpaOf(m) === victim.name ? alert(start) : ok]),
      ]),
    );
    for (const { widget, q } of target.dashboardQueries) {
      let got: string;
      try {
        got = returnsData(q, sale(), `${target.stack} / dashboard widget ${widget}`) ? "returns data" : "no data";
      } catch (error) {
        got = `error: ${error instanceof Error ? error.message : String(error)}`;
      }
      rows.push({ stack: target.stack, monitor: `load-event dashboard: ${widget}: ${q}`, scenario: "drill: sales event", expected: "returns data", got, pass: got === "returns data" });
    }
  }

  const connections = model.vpn?.connections ?? [];
  if (connections.length > 0) {
    const [down] = connections;
    const fixture = () => fixtures.get("drill-tunnel", () => incidents.tunnelDown(down, SHORT.start)(fixtures.short()));
    rows.push(
      ...drill(target.stack, `tunnel ${down} down`, fixture, false, [
        ...ofKind(target, "tunnel-down").map((m): [MonitorUnderTest, Expectation] => [m, filterValue(parseMonitorQuery(m.query), "connectionname") === down.toLowerCase() ? alert(SHORT.start) : ok]),
        ...ofKind(target, "gateway-unavailable").map((m): [MonitorUnderTest, Expectation] => [m, ok]),
      ]),
    );
  }

  for (const fn of model.lambdas) {
    const fixture = () => fixtures.get(`drill-lambda-${fn}`, () => incidents.lambdaErrors(fn, SHORT.start, 5)(fixtures.short()));
    rows.push(
      ...drill(target.stack, `${fn} error burst`, fixture, false, [
        ...ofKind(target, "lambda-error-burst")
          .filter((m) => filterValue(parseMonitorQuery(m.query), "functionname") === fn.toLowerCase())
          .map((m): [MonitorUnderTest, Expectation] => [m, alert(SHORT.start)]),
      ]),
    );
  }
  return rows;
}
