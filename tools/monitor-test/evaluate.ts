/**
 * An offline evaluator for the subset of Datadog metric monitor queries this project writes,
 * parsed by the project's own parser (constructs/datadog/query.ts). It is NOT Datadog: it models
 * one-minute points, space aggregation per minute, `by {...}` groups, `.as_count()`/`.as_rate()`,
 * rollup/fill, arithmetic, time aggregation over the window (avg/sum/min/max/last/percentile),
 * change()/pct_change(), warning/critical thresholds, evaluation delay, require_full_window,
 * notify_no_data and anomalies() (anomaly.ts). docs/observability.md lists what it leaves out.
 */
import { ParsedMetric, ParsedMonitorQuery, QueryNode, parseMetricExpression, parseMonitorQuery, windowSeconds } from "../../constructs/datadog/query";
import { AnomalyModel } from "./anomaly";
import { Fixture, Series, tagString } from "./fixture";

/** A synthesized `datadog_monitor` reduced to what evaluation needs. */
export interface MonitorUnderTest {
  /** Stack the monitor was synthesized in, e.g. `test-aws-observability`. */
  readonly stack: string;
  /** Monitor name, e.g. `[test] payments-api: container OOMKilled`. */
  readonly name: string;
  /** The query as synthesized. */
  readonly query: string;
  /** Tags of the monitor (`service:...` identifies its subject). */
  readonly tags: readonly string[];
  /** monitor_thresholds.warning, if any. */
  readonly warning?: number;
  /** evaluation_delay in seconds (cloud integration metrics arrive late). */
  readonly evaluationDelaySeconds: number;
  /** require_full_window: skip a group whose window has a missing point. */
  readonly requireFullWindow: boolean;
  /** notify_no_data and no_data_timeframe (minutes). */
  readonly noDataMinutes?: number;
}

/** A monitor's state for one group at one evaluation. */
export type Status = "ok" | "warn" | "alert" | "no data";

/** Series per group key (`*` when the query has no `by`), one value per minute. */
type Grouped = Map<string, Float64Array>;

/** A fixture that cannot answer the query (a series lacks a tag the query filters or groups on). */
export class FixtureError extends Error {}

function percentileOf(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function reduce(values: number[], how: string): number {
  if (how === "sum") return values.reduce((a, b) => a + b, 0);
  if (how === "avg") return values.reduce((a, b) => a + b, 0) / values.length;
  if (how === "min") return Math.min(...values);
  if (how === "max") return Math.max(...values);
  if (how === "count") return values.length;
  if (how === "last") return values[values.length - 1];
  const percentile = /^p(\d+)$/.exec(how);
  if (percentile) return percentileOf(values, Number(percentile[1]));
  throw new Error(`no reducer "${how}"`);
}

function matches(series: Series, metric: ParsedMetric, context: string): boolean {
  for (const key of [...metric.filters.map((f) => f.key), ...metric.groupBy]) {
    if (series.tags[key] === undefined) {
      throw new FixtureError(
        `${context}: series ${metric.name}{${tagString(series.tags)}} lacks tag "${key}" that the query filters or groups on; the agent reports it, so add it to the fixture`,
      );
    }
  }
  return metric.filters.every((f) => {
    const pattern = new RegExp(`^${f.value.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return pattern.test(series.tags[f.key]) !== f.negated;
  });
}

/** One metric term: select, group, aggregate across series per minute, then apply modifiers. */
function metricSeries(metric: ParsedMetric, fixture: Fixture, context: string): Grouped {
  const groups = new Map<string, Series[]>();
  for (const series of fixture.of(metric.name)) {
    if (!matches(series, metric, context)) continue;
    const key = metric.groupBy.length === 0 ? "*" : metric.groupBy.map((k) => `${k}:${series.tags[k]}`).join(",");
    groups.set(key, [...(groups.get(key) ?? []), series]);
  }
  const out: Grouped = new Map();
  for (const [key, members] of groups) {
    let values: Float64Array;
    if (members.length === 1) {
      // One series: every aggregator of a single value is that value (count is 1).
      values = metric.spaceAggregator === "count" ? members[0].values.map((v) => (Number.isNaN(v) ? NaN : 1)) : Float64Array.from(members[0].values);
    } else {
      values = new Float64Array(fixture.minutes);
      const points: number[] = [];
      for (let m = 0; m < fixture.minutes; m++) {
        points.length = 0;
        for (const s of members) if (!Number.isNaN(s.values[m])) points.push(s.values[m]);
        values[m] = points.length === 0 ? NaN : reduce(points, metric.spaceAggregator);
      }
    }
    for (const call of metric.modifierCalls) values = modify(values, call, metric);
    out.set(key, values);
  }
  return out;
}

/**
 * Fixture counts are per minute, rates per second. `.as_count()` of a rate multiplies by 60,
 * `.as_rate()` of a count divides by 60; rollup(method, seconds) keeps one point per bucket.
 */
function modify(values: Float64Array, call: { name: string; args: readonly string[] }, metric: ParsedMetric): Float64Array {
  const out = Float64Array.from(values);
  if (call.name === "as_rate" && metric.definition.kind === "count") out.forEach((v, i) => (out[i] = v / 60));
  if (call.name === "as_count" && metric.definition.kind === "rate") out.forEach((v, i) => (out[i] = v * 60));
  if (call.name === "fill" && call.args[0] === "zero") out.forEach((v, i) => (out[i] = Number.isNaN(v) ? 0 : v));
  if (call.name === "rollup") {
    const bucket = Math.max(1, Math.round(Number(call.args[1] ?? 60) / 60));
    for (let start = 0; start < out.length; start += bucket) {
      const points = Array.from(values.subarray(start, start + bucket)).filter((v) => !Number.isNaN(v));
      for (let i = start; i < Math.min(out.length, start + bucket); i++) out[i] = NaN;
      if (points.length > 0) out[Math.min(out.length, start + bucket) - 1] = reduce(points, call.args[0] ?? "avg");
    }
  }
  return out;
}

function combine(left: Grouped, right: Grouped, op: (a: number, b: number) => number): Grouped {
  const out: Grouped = new Map();
  const keys = left.has("*") && left.size === 1 ? [...right.keys()] : [...left.keys()];
  for (const key of keys) {
    const a = left.get(key) ?? left.get("*");
    const b = right.get(key) ?? right.get("*");
    if (!a || !b) continue;
    out.set(key, a.map((v, i) => op(v, b[i])));
  }
  return out;
}

const FUNCTIONS: Record<string, (v: number) => number> = {
  abs: Math.abs,
  log10: Math.log10,
  default_zero: (v) => (Number.isNaN(v) ? 0 : v),
  exclude_null: (v) => v,
};

/** Compute an expression tree over the whole fixture; `anomalies()` yields its inner expression. */
export function computeExpression(node: QueryNode, fixture: Fixture, context: string): Grouped {
  switch (node.type) {
    case "number":
      return new Map([["*", new Float64Array(fixture.minutes).fill(node.value)]]);
    case "metric":
      return metricSeries(node.metric, fixture, context);
    case "negate":
      return new Map([...computeExpression(node.operand, fixture, context)].map(([k, v]) => [k, v.map((x) => -x)]));
    case "binary": {
      const ops = { "+": (a: number, b: number) => a + b, "-": (a: number, b: number) => a - b, "*": (a: number, b: number) => a * b, "/": (a: number, b: number) => (b === 0 ? NaN : a / b) };
      return combine(computeExpression(node.left, fixture, context), computeExpression(node.right, fixture, context), ops[node.op]);
    }
    case "call": {
      const inner = computeExpression(node.arg, fixture, context);
      const fn = FUNCTIONS[node.fn];
      if (node.fn === "anomalies" || !fn) return inner;
      return new Map([...inner].map(([k, v]) => [k, v.map(fn)]));
    }
  }
}

function windowValues(values: Float64Array, end: number, length: number): number[] {
  const out: number[] = [];
  for (let m = Math.max(0, end - length + 1); m <= end; m++) if (!Number.isNaN(values[m])) out.push(values[m]);
  return out;
}

function compare(value: number, comparator: string, threshold: number): boolean {
  return comparator === ">" ? value > threshold : comparator === ">=" ? value >= threshold : comparator === "<" ? value < threshold : value <= threshold;
}

/** A monitor prepared for evaluation over one fixture. */
export class MonitorEvaluation {
  private readonly parsed: ParsedMonitorQuery;
  private readonly grouped: Grouped;
  private readonly anomaly?: AnomalyModel;
  /** Per-metric series when every term is `.as_count()`: each term is aggregated over the window before the arithmetic. */
  private readonly terms?: Map<ParsedMetric, Grouped>;
  private readonly windowMinutes: number;
  private readonly delayMinutes: number;

  constructor(
    private readonly monitor: MonitorUnderTest,
    fixture: Fixture,
    context: string,
  ) {
    this.parsed = parseMonitorQuery(monitor.query);
    this.windowMinutes = windowSeconds(this.parsed.window) / 60;
    this.delayMinutes = Math.ceil(monitor.evaluationDelaySeconds / 60);
    this.grouped = computeExpression(this.parsed.tree, fixture, context);
    // Datadog evaluates as_count() monitors by aggregating each term over the window first
    // (https://docs.datadoghq.com/monitors/guide/as-count-in-monitor-evaluations/): an error rate is
    // sum(errors) / sum(hits), not the sum of per-minute ratios.
    if (!this.parsed.anomaly && this.parsed.metrics.length > 1 && this.parsed.metrics.every((m) => m.modifiers.includes("as_count"))) {
      this.terms = new Map(this.parsed.metrics.map((m) => [m, metricSeries(m, fixture, context)]));
    }
    if (this.parsed.anomaly) {
      this.anomaly = new AnomalyModel(this.grouped, this.parsed.anomaly, this.parsed.metrics.every((m) => m.modifiers.includes("as_count")));
    }
  }

  /** How long after a failure begins the monitor must be in `status`: its window (or no-data timeframe), the delay and one evaluation. */
  reactionMinutes(status: Status = "alert"): number {
    if (status === "no data") return (this.monitor.noDataMinutes ?? 0) + this.delayMinutes + 1;
    const alert = this.parsed.anomaly ? windowSeconds(this.parsed.anomaly.options.alert_window) / 60 + Number(this.parsed.anomaly.options.interval) / 60 : this.windowMinutes;
    return alert + this.delayMinutes + (this.parsed.change ? windowSeconds(this.parsed.change.shift) / 60 : 0) + 1;
  }

  /** State of every group evaluated at minute `at` (Datadog evaluates every minute). */
  statusAt(at: number): Map<string, Status> {
    const end = at - this.delayMinutes;
    const out = new Map<string, Status>();
    for (const [group, values] of this.grouped) {
      if (this.monitor.noDataMinutes !== undefined && windowValues(values, end, this.monitor.noDataMinutes).length === 0) {
        // A group that reported before the silence went missing; one never seen is not a group yet.
        if (values.subarray(0, Math.max(0, end - this.monitor.noDataMinutes + 1)).some((v) => !Number.isNaN(v))) out.set(group, "no data");
        continue;
      }
      const value = this.valueAt(group, values, end);
      if (value === undefined) continue;
      const { comparator, threshold } = this.parsed;
      const status: Status = compare(value, comparator, threshold) ? "alert" : this.monitor.warning !== undefined && compare(value, comparator, this.monitor.warning) ? "warn" : "ok";
      out.set(group, status);
    }
    return out;
  }

  /** The tree evaluated on window aggregates of each term (as_count monitors). */
  private scalar(node: QueryNode, group: string, end: number, how: string): number {
    switch (node.type) {
      case "number":
        return node.value;
      case "metric": {
        const grouped = this.terms!.get(node.metric)!;
        const values = grouped.get(group) ?? grouped.get("*");
        const points = values ? windowValues(values, end, this.windowMinutes) : [];
        return points.length === 0 ? NaN : reduce(points, how);
      }
      case "negate":
        return -this.scalar(node.operand, group, end, how);
      case "binary": {
        const a = this.scalar(node.left, group, end, how);
        const b = this.scalar(node.right, group, end, how);
        return node.op === "+" ? a + b : node.op === "-" ? a - b : node.op === "*" ? a * b : b === 0 ? NaN : a / b;
      }
      case "call":
        return (FUNCTIONS[node.fn] ?? ((v: number) => v))(this.scalar(node.arg, group, end, how));
    }
  }

  private valueAt(group: string, values: Float64Array, end: number): number | undefined {
    if (this.anomaly) return this.anomaly.fraction(group, end);
    const how = this.parsed.timeAggregator === "percentile" ? this.parsed.metrics[0].spaceAggregator : this.parsed.timeAggregator;
    if (this.terms) {
      const value = this.scalar(this.parsed.tree, group, end, how);
      return Number.isNaN(value) ? undefined : value;
    }
    const aggregate = (at: number): number | undefined => {
      const points = windowValues(values, at, this.windowMinutes);
      if (points.length === 0 || (this.monitor.requireFullWindow && points.length < Math.min(this.windowMinutes, at + 1))) return undefined;
      return reduce(points, how);
    };
    const now = aggregate(end);
    if (now === undefined || !this.parsed.change) return now;
    const before = aggregate(end - windowSeconds(this.parsed.change.shift) / 60);
    if (before === undefined) return undefined;
    return this.parsed.change.fn === "change" ? now - before : before === 0 ? undefined : ((now - before) / Math.abs(before)) * 100;
  }
}

/** When a monitor first entered a state, and which groups were in it then. */
export interface FirstState {
  readonly minute: number;
  readonly status: Status;
  readonly groups: readonly string[];
}

/** What a monitor did over a range of minutes. */
export interface Outcome {
  /** The first evaluation with any group not ok. */
  readonly first?: FirstState;
  /** The first evaluation with a group in each state (a warning usually precedes the alert). */
  readonly firstIn: ReadonlyMap<Status, FirstState>;
  /** Every group that was ever in alert, warn or no data. */
  readonly troubled: ReadonlySet<string>;
}

/** Evaluate every minute in [from, to]. */
export function evaluateRange(evaluation: MonitorEvaluation, from: number, to: number): Outcome {
  const firstIn = new Map<Status, FirstState>();
  let first: FirstState | undefined;
  const troubled = new Set<string>();
  for (let at = from; at <= to; at++) {
    const bad = [...evaluation.statusAt(at)].filter(([, s]) => s !== "ok");
    for (const [group, status] of bad) {
      troubled.add(group);
      if (!firstIn.has(status)) firstIn.set(status, { minute: at, status, groups: bad.filter(([, s]) => s === status).map(([g]) => g) });
    }
    if (!first && bad.length > 0) first = firstIn.get(bad[0][1]);
  }
  return { first, firstIn, troubled };
}

/** Does a dashboard query return at least one point from the fixture? */
export function returnsData(query: string, fixture: Fixture, context: string): boolean {
  const grouped = computeExpression(parseMetricExpression(query).tree, fixture, context);
  return [...grouped.values()].some((values) => values.some((v) => !Number.isNaN(v)));
}
