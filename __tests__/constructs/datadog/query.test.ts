import { anomalies, anomalyBand, metric, monitorQuery, parseMetricExpression, parseMonitorQuery } from "../../../constructs/datadog/query";

const errors = metric({ aggregator: "sum", metric: "trace.pg.query.errors", filter: { env: "prod", service: "payments-api" }, modifier: "as_count" });

describe("metric query builder", () => {
  it("renders a metric term with filter, grouping and modifier", () => {
    expect(metric({ aggregator: "max", metric: "kubernetes_state.hpa.max_replicas", filter: { kube_cluster_name: "aks-prod" }, by: ["horizontalpodautoscaler"] })).toBe(
      "max:kubernetes_state.hpa.max_replicas{kube_cluster_name:aks-prod} by {horizontalpodautoscaler}",
    );
    expect(metric({ aggregator: "sum", metric: "kubernetes_state.node.count", filter: {} })).toBe("sum:kubernetes_state.node.count{*}");
  });

  it("renders an anomaly monitor that the parser accepts, with its options", () => {
    const query = monitorQuery({
      aggregator: "avg",
      window: "last_4h",
      expression: anomalies(errors, { algorithm: "agile", bounds: 3, alertWindow: "last_15m", intervalSeconds: 60 }),
      comparator: ">=",
      threshold: 1,
    });
    expect(query).toBe(
      "avg(last_4h):anomalies(sum:trace.pg.query.errors{env:prod,service:payments-api}.as_count(), 'agile', 3, direction='above', alert_window='last_15m', interval=60, count_default_zero='true', seasonality='weekly') >= 1",
    );
    expect(parseMonitorQuery(query).anomaly).toEqual({
      algorithm: "agile",
      bounds: 3,
      options: { direction: "above", alert_window: "last_15m", interval: "60", count_default_zero: "true", seasonality: "weekly" },
    });
  });

  it("parses a ratio, a change monitor and a percentile monitor", () => {
    const ratio = parseMonitorQuery(
      "sum(last_10m):(sum:trace.http.request.errors{env:test,service:api}.as_count() / sum:trace.http.request.hits{env:test,service:api}.as_count()) * 100 > 5",
    );
    expect(ratio).toMatchObject({ timeAggregator: "sum", window: "last_10m", comparator: ">", threshold: 5 });
    expect(ratio.metrics.map((m) => m.name)).toEqual(["trace.http.request.errors", "trace.http.request.hits"]);
    expect(parseMonitorQuery("change(max(last_15m),last_15m):sum:kubernetes.containers.restarts{kube_deployment:api} by {pod_name} > 3").change).toEqual({
      fn: "change",
      shift: "last_15m",
    });
    expect(parseMonitorQuery("percentile(last_5m):p95:trace.http.request{env:prod,service:api} > 0.5").metrics[0].spaceAggregator).toBe("p95");
  });

  it("accepts a dashboard expression with several metrics", () => {
    expect(parseMetricExpression("max:kubernetes_state.hpa.current_replicas{*} by {horizontalpodautoscaler}").metrics).toHaveLength(1);
  });

  it("renders the dashboard anomalies() in its documented three-argument form", () => {
    const band = anomalyBand(errors, "robust", 3);
    expect(band).toBe("anomalies(sum:trace.pg.query.errors{env:prod,service:payments-api}.as_count(), 'robust', 3)");
    expect(parseMetricExpression(band).anomaly).toEqual({ algorithm: "robust", bounds: 3, options: {} });
  });

  it("builds the expression tree an evaluator computes", () => {
    const { tree } = parseMonitorQuery("sum(last_10m):(sum:trace.http.request.errors{*}.as_count() / sum:trace.http.request.hits{*}.as_count()) * 100 > 5");
    expect(tree).toMatchObject({
      type: "binary",
      op: "*",
      left: { type: "binary", op: "/", left: { type: "metric", metric: { name: "trace.http.request.errors" } }, right: { type: "metric", metric: { name: "trace.http.request.hits" } } },
      right: { type: "number", value: 100 },
    });
  });
});

describe("metric query validation (a typo fails at synth)", () => {
  const bad: [string, string, RegExp][] = [
    ["a misspelt metric", "avg(last_5m):sum:trace.http.requets.errors{env:prod}.as_count() > 1", /unknown metric "trace.http.requets.errors"; did you mean "trace.http.request.errors"\?/],
    ["a misspelt tag key", "avg(last_5m):sum:trace.http.request.errors{env:prod,servcie:api}.as_count() > 1", /has no tag "servcie"; did you mean "service"\?/],
    ["an unknown space aggregator", "avg(last_5m):summ:trace.http.request.errors{*}.as_count() > 1", /unknown space aggregator "summ"; did you mean "sum"\?/],
    ["an unknown time aggregator", "median(last_5m):sum:trace.http.request.errors{*} > 1", /unknown time aggregator "median"/],
    ["an unsupported window", "avg(last_7m):sum:trace.http.request.errors{*} > 1", /unknown evaluation window "last_7m"/],
    ["an unbalanced parenthesis", "sum(last_5m):(sum:trace.http.request.errors{*}.as_count() / sum:trace.http.request.hits{*}.as_count() > 1", /expected '\)' to close '\(' \(unbalanced parentheses\)/],
    ["an extra closing parenthesis", "sum(last_5m):sum:trace.http.request.errors{*}.as_count()) > 1", /unbalanced '\)' without a matching '\('/],
    ["an unclosed tag filter", "avg(last_5m):sum:trace.http.request.errors{env:prod > 1", /unbalanced '\{'/],
    ["a percentile of a count", "percentile(last_5m):p95:trace.http.request.hits{*} > 1", /p95: needs a distribution metric; "trace.http.request.hits" is a count/],
    ["as_count on a gauge", "avg(last_5m):max:kubernetes_state.node.count{*}.as_count() > 1", /\.as_count\(\) needs a count or rate metric/],
    ["a missing threshold", "avg(last_5m):sum:trace.http.request.errors{*}", /expected a comparator/],
    ["an invalid anomaly algorithm", "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'fancy', 2) >= 1", /unknown anomaly algorithm "fancy" \(allowed: basic, agile, robust\)/],
    ["anomaly bounds of 0", "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 0) >= 1", /bounds must be a number from 1 to 6 \(deviations\), got 0/],
    ["anomaly bounds of 7", "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'robust', 7) >= 1", /bounds must be a number from 1 to 6/],
    ["seasonality on basic", "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'basic', 2, seasonality='weekly') >= 1", /basic algorithm has no seasonality/],
    ["an unknown anomaly option", "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 2, alert_windw='last_15m') >= 1", /unknown anomalies\(\) option "alert_windw"; did you mean "alert_window"\?/],
    [
      "an anomaly monitor without interval",
      "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 2, direction='above', alert_window='last_15m', count_default_zero='true') >= 1",
      /an anomaly monitor needs an explicit interval= \(the documented format is anomalies\(<query>, '<algorithm>', <deviations>, direction=, alert_window=, interval=, count_default_zero=/,
    ],
    [
      "an anomaly monitor without direction",
      "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 2, alert_window='last_15m', interval=60, count_default_zero='true') >= 1",
      /needs an explicit direction=/,
    ],
    [
      "an anomaly interval over a fifth of the alert window",
      "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 2, direction='above', alert_window='last_15m', interval=300, count_default_zero='true') >= 1",
      /interval=300 must be a positive number of seconds no larger than a fifth of alert_window last_15m \(180\)/,
    ],
    [
      "a query window shorter than the alert window",
      "avg(last_15m):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 2, direction='above', alert_window='last_1h', interval=60, count_default_zero='true') >= 1",
      /the query window last_15m must be at least as long as alert_window last_1h/,
    ],
    ["an anomaly threshold outside 0-1", "avg(last_4h):anomalies(sum:trace.pg.query.errors{*}.as_count(), 'agile', 2) >= 2", /anomaly monitor must read avg\(<window>\):anomalies\(\.\.\.\) >= <fraction/],
  ];
  it.each(bad)("rejects %s", (_, query, message) => {
    expect(() => parseMonitorQuery(query)).toThrow(message);
  });

  it("rejects monitor-only anomaly arguments in a dashboard expression", () => {
    expect(() => parseMetricExpression(`anomalies(${errors}, 'agile', 3, direction='above', alert_window='last_15m')`)).toThrow(
      /anomalies\(\) in a dashboard or SLO takes only \(<query>, '<algorithm>', <bounds>\) .*; direction, alert_window are monitor-only: remove them/,
    );
  });

  it("names the query and the position", () => {
    expect(() => parseMetricExpression("sum:trace.http.request.hits{*} +")).toThrow(/^query "sum:trace.http.request.hits\{\*\} \+": .* \(at character 33\)$/);
  });

  it("rejects an anomaly algorithm passed to the builder", () => {
    expect(() =>
      monitorQuery({ aggregator: "avg", window: "last_4h", expression: anomalies(errors, { algorithm: "prophet" as never, bounds: 2, alertWindow: "last_15m", intervalSeconds: 60 }), comparator: ">=", threshold: 1 }),
    ).toThrow(/unknown anomaly algorithm "prophet"/);
  });
});
