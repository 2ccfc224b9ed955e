/**
 * A typed builder and a validating parser for Datadog metric queries.
 *
 * Datadog stores whatever query string it is given; a misspelt metric, tag or aggregator just
 * reports "no data" and the monitor never fires. Every query this library creates (built here or
 * written by hand in config) is parsed at synth and checked against the metric catalogue, the
 * aggregators, evaluation windows and anomaly options Datadog accepts. Anything else is a
 * ConfigError naming the query, the position and the fix.
 */
import { IConstruct } from "constructs";
import { ConfigError } from "../errors";
import { closest, lookupMetric, METRIC_CATALOGUE, MetricDefinition } from "./metric-catalogue";

/** Time aggregators of a monitor's evaluation (`avg(last_5m):...`). */
export const TIME_AGGREGATORS = ["avg", "sum", "min", "max", "last", "percentile"] as const;
/** A time aggregator from {@link TIME_AGGREGATORS}. */
export type TimeAggregator = (typeof TIME_AGGREGATORS)[number];

/** Percentile space aggregators; only distribution metrics have them. */
export const PERCENTILE_AGGREGATORS = ["p50", "p75", "p90", "p95", "p99"] as const;
/** Space aggregators (`sum:metric{...}`). */
export const SPACE_AGGREGATORS = ["avg", "sum", "min", "max", "count", ...PERCENTILE_AGGREGATORS] as const;
/** A space aggregator from {@link SPACE_AGGREGATORS}. */
export type SpaceAggregator = (typeof SPACE_AGGREGATORS)[number];

/** Evaluation windows offered for metric monitors. */
export const MONITOR_WINDOWS = [
  "last_1m", "last_5m", "last_10m", "last_15m", "last_30m", "last_1h", "last_2h", "last_4h", "last_12h", "last_1d", "last_2d", "last_1w",
] as const;
/** An evaluation window from {@link MONITOR_WINDOWS}. */
export type MonitorWindow = (typeof MONITOR_WINDOWS)[number];

/** Change monitors compare a window with the same window `shift` ago. */
export const CHANGE_FUNCTIONS = ["change", "pct_change"] as const;

/** Threshold comparators a metric monitor accepts. */
export const COMPARATORS = [">", ">=", "<", "<="] as const;
/** A comparator from {@link COMPARATORS}. */
export type Comparator = (typeof COMPARATORS)[number];

/** Arguments the documented anomaly monitor query format lists besides algorithm and deviations (seasonality is optional). */
export const ANOMALY_MONITOR_ARGUMENTS = ["direction", "alert_window", "interval", "count_default_zero"] as const;

/** Datadog's anomaly detection algorithms. */
export const ANOMALY_ALGORITHMS = ["basic", "agile", "robust"] as const;
/** An algorithm from {@link ANOMALY_ALGORITHMS}. */
export type AnomalyAlgorithm = (typeof ANOMALY_ALGORITHMS)[number];
/** Width of the anomaly band in deviations; Datadog offers 1 to 6. */
export const ANOMALY_BOUNDS = {
  /** Narrowest band Datadog accepts: alerts on small deviations. */
  min: 1,
  /** Widest band Datadog accepts: alerts only on extreme deviations. */
  max: 6,
} as const;
/** Seasonality of the agile and robust algorithms (basic has none). */
export const ANOMALY_SEASONALITIES = ["hourly", "daily", "weekly"] as const;
/** Which side of the band alerts. */
export const ANOMALY_DIRECTIONS = ["both", "above", "below"] as const;

const FUNCTIONS = ["anomalies", "abs", "default_zero", "exclude_null", "log10", "per_second", "per_minute", "cumsum"] as const;
const MODIFIERS: Record<string, { kinds?: readonly MetricDefinition["kind"][]; args: RegExp[] }> = {
  as_count: { kinds: ["count", "rate"], args: [] },
  as_rate: { kinds: ["count", "rate"], args: [] },
  rollup: { args: [/^(avg|sum|min|max|count)$/, /^\d+$/] },
  fill: { args: [/^(null|zero|linear|last)$/, /^\d+$/] },
};
const TAG_KEY = /^[a-z][\w.\/-]*$/;
const TAG_VALUE = /^[\w.\/:*-]+$/;

// ---------------------------------------------------------------------------------------------
// Parsed shapes
// ---------------------------------------------------------------------------------------------

/** One `aggregator:metric{filter} by {group}` term of a query. */
export interface ParsedMetric {
  /** Metric name as written, e.g. `trace.http.request.errors`; always a key of the metric catalogue. */
  readonly name: string;
  /** The catalogue entry the name resolved to (kind and the tag keys it reports). */
  readonly definition: MetricDefinition;
  /** How series are combined across hosts/tags before time aggregation, e.g. `sum` or `p95`. */
  readonly spaceAggregator: SpaceAggregator;
  /** `key:value` filters; `!key:value` is recorded with negated true. */
  readonly filters: readonly {
    /** Tag key; one the metric reports (checked against the catalogue). */
    readonly key: string;
    /** Tag value to match; may contain `*` wildcards. */
    readonly value: string;
    /** True for `!key:value`: exclude series with this tag instead of selecting them. */
    readonly negated: boolean;
  }[];
  /** Tag keys of `by {...}`: one series (and one multi-alert group) per value combination; empty when ungrouped. */
  readonly groupBy: readonly string[];
  /** Names of the `.modifier()` calls in order, e.g. `["as_count"]`, `["rollup", "fill"]`. */
  readonly modifiers: readonly string[];
  /** The same calls with their arguments, e.g. `[{ name: "rollup", args: ["sum", "60"] }]`. */
  readonly modifierCalls: readonly ModifierCall[];
}

/** One `.modifier(args)` call of a metric term. */
export interface ModifierCall {
  /** Modifier name, e.g. `rollup`. */
  readonly name: string;
  /** Arguments as written, e.g. `["sum", "60"]`. */
  readonly args: readonly string[];
}

/** A number literal in a query, e.g. the `100` of `(a / b) * 100`. */
export interface NumberNode {
  /** Discriminant. */
  readonly type: "number";
  /** The literal's value. */
  readonly value: number;
}

/** A metric term. */
export interface MetricNode {
  /** Discriminant. */
  readonly type: "metric";
  /** The parsed term. */
  readonly metric: ParsedMetric;
}

/** `left op right`. */
export interface BinaryNode {
  /** Discriminant. */
  readonly type: "binary";
  /** The arithmetic operator. */
  readonly op: "+" | "-" | "*" | "/";
  /** Left operand. */
  readonly left: QueryNode;
  /** Right operand. */
  readonly right: QueryNode;
}

/** `-operand`. */
export interface NegateNode {
  /** Discriminant. */
  readonly type: "negate";
  /** The negated expression. */
  readonly operand: QueryNode;
}

/** `fn(arg, ...)`; the options of `anomalies()` are in {@link ParsedExpression.anomaly}. */
export interface CallNode {
  /** Discriminant. */
  readonly type: "call";
  /** Function name, e.g. `anomalies` or `default_zero`. */
  readonly fn: string;
  /** The expression the function applies to. */
  readonly arg: QueryNode;
}

/** The expression tree of a query, for evaluators (tools/monitor-test) that compute it. */
export type QueryNode = NumberNode | MetricNode | BinaryNode | NegateNode | CallNode;

/** The options of an `anomalies(...)` call. */
export interface ParsedAnomaly {
  /** Detection algorithm: `basic` (no seasonality), `agile` or `robust` (seasonal). */
  readonly algorithm: AnomalyAlgorithm;
  /** Band width in deviations, within {@link ANOMALY_BOUNDS}. */
  readonly bounds: number;
  /** Named options as written (`direction`, `alert_window`, `seasonality`, ...), values unquoted. */
  readonly options: Readonly<Record<string, string>>;
}

/** A metric expression: what a dashboard widget or the right side of a monitor query holds. */
export interface ParsedExpression {
  /** Every metric term in the expression, in order of appearance; never empty. */
  readonly metrics: readonly ParsedMetric[];
  /** Set when the expression wraps its metrics in `anomalies(...)`. */
  readonly anomaly?: ParsedAnomaly;
  /** The expression as a tree (numbers, metric terms, arithmetic, function calls). */
  readonly tree: QueryNode;
}

/** A full metric monitor query. */
export interface ParsedMonitorQuery extends ParsedExpression {
  /** How each series is reduced over the window, e.g. `avg` in `avg(last_5m):...`. */
  readonly timeAggregator: TimeAggregator;
  /** The evaluation window, e.g. `last_5m`. */
  readonly window: MonitorWindow;
  /** Set for change monitors (`change(avg(last_5m),last_1h):...`); absent for plain thresholds. */
  readonly change?: {
    /** `change` compares absolute difference, `pct_change` the percentage difference. */
    readonly fn: (typeof CHANGE_FUNCTIONS)[number];
    /** How far back the comparison window lies. */
    readonly shift: MonitorWindow;
  };
  /** Comparator between the expression and the threshold. */
  readonly comparator: Comparator;
  /** The critical threshold, in the unit of the expression (negative values allowed). */
  readonly threshold: number;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer and parser
// ---------------------------------------------------------------------------------------------

type TokenType = "ident" | "number" | "string" | "punct" | "braces" | "end";
interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly pos: number;
}

const PUNCTUATION = [">=", "<=", ">", "<", "(", ")", ",", ":", "+", "-", "*", "/", ".", "="];

function suggestion(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match ? `; did you mean "${match}"?` : "";
}

class QueryParser {
  private readonly tokens: Token[] = [];
  private index = 0;
  private readonly metrics: ParsedMetric[] = [];
  private anomaly?: ParsedAnomaly;
  private tree?: QueryNode;

  constructor(
    private readonly query: string,
    private readonly scope?: IConstruct,
    /** Monitor queries need every documented anomaly argument; dashboards only the documented three. */
    private readonly mode: "monitor" | "expression" = "expression",
  ) {
    this.tokenize();
  }

  private fail(message: string, pos: number): never {
    throw new ConfigError(`query "${this.query}": ${message} (at character ${pos + 1})`, this.scope);
  }

  private tokenize(): void {
    const q = this.query;
    let i = 0;
    while (i < q.length) {
      const c = q[i];
      if (/\s/.test(c)) {
        i++;
      } else if (c === "{") {
        const end = q.indexOf("}", i);
        const nested = q.indexOf("{", i + 1);
        if (end < 0 || (nested >= 0 && nested < end)) this.fail("unbalanced '{': close the tag filter with '}'", i);
        this.tokens.push({ type: "braces", value: q.slice(i + 1, end), pos: i });
        i = end + 1;
      } else if (c === "}") {
        this.fail("unbalanced '}' without a matching '{'", i);
      } else if (c === "'" || c === '"') {
        const end = q.indexOf(c, i + 1);
        if (end < 0) this.fail(`unterminated string: close it with ${c}`, i);
        this.tokens.push({ type: "string", value: q.slice(i + 1, end), pos: i });
        i = end + 1;
      } else if (/\d/.test(c)) {
        const text = /^\d+(\.\d+)?/.exec(q.slice(i))![0];
        this.tokens.push({ type: "number", value: text, pos: i });
        i += text.length;
      } else if (/[A-Za-z_]/.test(c)) {
        const text = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i))![0].replace(/\.+$/, "");
        this.tokens.push({ type: "ident", value: text, pos: i });
        i += text.length;
      } else {
        const punct = PUNCTUATION.find((p) => q.startsWith(p, i));
        if (!punct) this.fail(`unexpected character '${c}'`, i);
        this.tokens.push({ type: "punct", value: punct, pos: i });
        i += punct.length;
      }
    }
    this.tokens.push({ type: "end", value: "", pos: q.length });
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== "end") this.index++;
    return token;
  }

  private isPunct(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === "punct" && token.value === value;
  }

  private expectPunct(value: string, what: string): Token {
    const token = this.next();
    if (token.type !== "punct" || token.value !== value) {
      this.fail(`expected '${value}' ${what}, found ${token.type === "end" ? "the end of the query" : `'${token.value}'`}`, token.pos);
    }
    return token;
  }

  private expectIdent(what: string): Token {
    const token = this.next();
    if (token.type !== "ident") this.fail(`expected ${what}, found ${token.type === "end" ? "the end of the query" : `'${token.value}'`}`, token.pos);
    return token;
  }

  private oneOf<T extends string>(token: Token, allowed: readonly T[], what: string): T {
    if (!(allowed as readonly string[]).includes(token.value)) {
      this.fail(`unknown ${what} "${token.value}"${suggestion(token.value, allowed)} (allowed: ${allowed.join(", ")})`, token.pos);
    }
    return token.value as T;
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.type !== "end") this.fail(`unexpected '${token.value}' after the end of the query (unbalanced parentheses?)`, token.pos);
  }

  /** `expr` with no evaluation part: dashboards and SLO numerators. */
  parseExpression(): ParsedExpression {
    this.tree = this.expression();
    this.expectEnd();
    return this.result();
  }

  /** `time_aggr(window):expr comparator threshold`. */
  parseMonitor(): ParsedMonitorQuery {
    const head = this.expectIdent("a time aggregator like avg(last_5m)");
    let change: ParsedMonitorQuery["change"];
    let aggregatorToken = head;
    if ((CHANGE_FUNCTIONS as readonly string[]).includes(head.value)) {
      this.expectPunct("(", `after ${head.value}`);
      aggregatorToken = this.expectIdent("a time aggregator");
    }
    const timeAggregator = this.oneOf(aggregatorToken, TIME_AGGREGATORS, "time aggregator");
    this.expectPunct("(", "after the time aggregator");
    const window = this.oneOf(this.expectIdent("an evaluation window like last_5m"), MONITOR_WINDOWS, "evaluation window");
    this.expectPunct(")", "after the evaluation window");
    if (aggregatorToken !== head) {
      this.expectPunct(",", "before the comparison window");
      const shift = this.oneOf(this.expectIdent("a comparison window like last_5m"), MONITOR_WINDOWS, "evaluation window");
      this.expectPunct(")", `closing ${head.value}(`);
      change = { fn: head.value as (typeof CHANGE_FUNCTIONS)[number], shift };
    }
    this.expectPunct(":", "after the evaluation part");
    this.tree = this.expression();
    const comparatorToken = this.next();
    if (comparatorToken.value === ")") this.fail("unbalanced ')' without a matching '('", comparatorToken.pos);
    if (comparatorToken.type !== "punct" || !(COMPARATORS as readonly string[]).includes(comparatorToken.value)) {
      this.fail(`expected a comparator (${COMPARATORS.join(" ")}) and a threshold after the expression`, comparatorToken.pos);
    }
    const negative = this.isPunct("-") ? (this.next(), -1) : 1;
    const thresholdToken = this.next();
    if (thresholdToken.type !== "number") this.fail("expected a numeric threshold", thresholdToken.pos);
    this.expectEnd();

    const parsed: ParsedMonitorQuery = {
      ...this.result(),
      timeAggregator,
      window,
      change,
      comparator: comparatorToken.value as Comparator,
      threshold: negative * Number(thresholdToken.value),
    };
    const percentileTerms = parsed.metrics.filter((m) => (PERCENTILE_AGGREGATORS as readonly string[]).includes(m.spaceAggregator));
    if (timeAggregator === "percentile" && percentileTerms.length !== parsed.metrics.length) {
      this.fail("percentile(...) evaluation needs every metric to use a percentile aggregator like p95:", aggregatorToken.pos);
    }
    if (parsed.anomaly && (timeAggregator !== "avg" || parsed.comparator !== ">=" || parsed.threshold <= 0 || parsed.threshold > 1)) {
      this.fail("an anomaly monitor must read avg(<window>):anomalies(...) >= <fraction of the alert window, 0-1>", head.pos);
    }
    if (parsed.anomaly) this.checkAnomalyMonitor(parsed.anomaly, window, head.pos);
    return parsed;
  }

  /**
   * The documented anomaly monitor format lists direction, alert_window, interval and
   * count_default_zero (https://docs.datadoghq.com/monitors/types/anomaly/#query); leaving one out
   * lets Datadog pick a value nobody reviewed, and a rollup interval over a fifth of the alert window
   * leaves too few points to judge.
   */
  private checkAnomalyMonitor(anomaly: ParsedAnomaly, window: MonitorWindow, pos: number): void {
    for (const required of ANOMALY_MONITOR_ARGUMENTS) {
      if (anomaly.options[required] === undefined) {
        this.fail(`an anomaly monitor needs an explicit ${required}= (the documented format is anomalies(<query>, '<algorithm>', <deviations>, direction=, alert_window=, interval=, count_default_zero=[, seasonality=]))`, pos);
      }
    }
    const alertSeconds = windowSeconds(anomaly.options.alert_window);
    const interval = Number(anomaly.options.interval);
    if (!(interval > 0) || interval > alertSeconds / 5) {
      this.fail(`anomalies() interval=${anomaly.options.interval} must be a positive number of seconds no larger than a fifth of alert_window ${anomaly.options.alert_window} (${alertSeconds / 5})`, pos);
    }
    if (windowSeconds(window) < alertSeconds) {
      this.fail(`the query window ${window} must be at least as long as alert_window ${anomaly.options.alert_window}`, pos);
    }
  }

  private result(): ParsedExpression {
    if (this.metrics.length === 0) this.fail("the query references no metric", 0);
    return { metrics: this.metrics, anomaly: this.anomaly, tree: this.tree! };
  }

  private expression(): QueryNode {
    let node = this.term();
    while (this.isPunct("+") || this.isPunct("-")) {
      const op = this.next().value as "+" | "-";
      node = { type: "binary", op, left: node, right: this.term() };
    }
    return node;
  }

  private term(): QueryNode {
    let node = this.factor();
    while (this.isPunct("*") || this.isPunct("/")) {
      const op = this.next().value as "*" | "/";
      node = { type: "binary", op, left: node, right: this.factor() };
    }
    return node;
  }

  private factor(): QueryNode {
    const token = this.peek();
    if (token.type === "number") {
      this.next();
      return { type: "number", value: Number(token.value) };
    } else if (this.isPunct("-")) {
      this.next();
      return { type: "negate", operand: this.factor() };
    } else if (this.isPunct("(")) {
      this.next();
      const inner = this.expression();
      this.expectPunct(")", "to close '(' (unbalanced parentheses)");
      return inner;
    } else if (token.type === "ident" && this.isPunct("(", 1)) {
      return this.functionCall();
    } else if (token.type === "ident" && this.isPunct(":", 1)) {
      return this.metric();
    } else {
      this.fail(`expected a metric like sum:metric{tag:value}, a number or '(', found ${token.type === "end" ? "the end of the query" : `'${token.value}'`}`, token.pos);
    }
  }

  private metric(): QueryNode {
    const aggregatorToken = this.next();
    const spaceAggregator = this.oneOf(aggregatorToken, SPACE_AGGREGATORS, "space aggregator");
    this.next(); // ':'
    const nameToken = this.expectIdent("a metric name");
    const definition = lookupMetric(nameToken.value);
    if (!definition) {
      this.fail(
        `unknown metric "${nameToken.value}"${suggestion(nameToken.value, Object.keys(METRIC_CATALOGUE))}; add it to constructs/datadog/metric-catalogue.ts if it is real`,
        nameToken.pos,
      );
    }
    if ((PERCENTILE_AGGREGATORS as readonly string[]).includes(spaceAggregator) && definition.kind !== "distribution") {
      this.fail(`${spaceAggregator}: needs a distribution metric; "${nameToken.value}" is a ${definition.kind}`, aggregatorToken.pos);
    }
    const filterToken = this.next();
    if (filterToken.type !== "braces") this.fail(`expected a tag filter {...} after "${nameToken.value}" (use {*} for all)`, filterToken.pos);
    const filters = this.filters(filterToken, nameToken.value, definition);
    let groupBy: string[] = [];
    if (this.peek().type === "ident" && this.peek().value === "by") {
      this.next();
      const groupToken = this.next();
      if (groupToken.type !== "braces") this.fail("expected {tag,...} after by", groupToken.pos);
      groupBy = groupToken.value.split(",").map((key) => key.trim());
      for (const key of groupBy) this.checkTagKey(key, nameToken.value, definition, groupToken.pos);
    }
    const modifiers: string[] = [];
    const modifierCalls: ModifierCall[] = [];
    while (this.isPunct(".")) {
      this.next();
      const modifierToken = this.expectIdent("a modifier like as_count");
      const modifier = this.oneOf(modifierToken, Object.keys(MODIFIERS), "modifier");
      const spec = MODIFIERS[modifier];
      if (spec.kinds && !spec.kinds.includes(definition.kind)) {
        this.fail(`.${modifier}() needs a count or rate metric; "${nameToken.value}" is a ${definition.kind}`, modifierToken.pos);
      }
      this.expectPunct("(", `after .${modifier}`);
      const args: Token[] = [];
      while (!this.isPunct(")")) {
        if (args.length > 0) this.expectPunct(",", "between arguments");
        args.push(this.next());
      }
      this.next();
      args.forEach((arg, i) => {
        if (i >= spec.args.length || !spec.args[i].test(arg.value)) this.fail(`invalid argument "${arg.value}" to .${modifier}()`, arg.pos);
      });
      modifiers.push(modifier);
      modifierCalls.push({ name: modifier, args: args.map((arg) => arg.value) });
    }
    const parsed: ParsedMetric = { name: nameToken.value, definition, spaceAggregator, filters, groupBy, modifiers, modifierCalls };
    this.metrics.push(parsed);
    return { type: "metric", metric: parsed };
  }

  private filters(token: Token, metric: string, definition: MetricDefinition): ParsedMetric["filters"] {
    const body = token.value.trim();
    if (body === "*") return [];
    return body.split(",").map((raw) => {
      const item = raw.trim();
      const match = /^(!)?([^:]+):(.*)$/.exec(item);
      if (!match) this.fail(`tag filter "${item}" must be key:value`, token.pos);
      const [, bang, key, value] = match;
      this.checkTagKey(key, metric, definition, token.pos);
      if (!TAG_VALUE.test(value)) this.fail(`tag value "${value}" of ${key} may only hold letters, digits, _ . / : - and *`, token.pos);
      return { key, value, negated: bang === "!" };
    });
  }

  private checkTagKey(key: string, metric: string, definition: MetricDefinition, pos: number): void {
    if (!TAG_KEY.test(key)) this.fail(`"${key}" is not a valid tag key`, pos);
    if (!definition.tags.includes(key)) {
      this.fail(`metric "${metric}" has no tag "${key}"${suggestion(key, definition.tags)} (it reports: ${definition.tags.join(", ")})`, pos);
    }
  }

  private functionCall(): QueryNode {
    const nameToken = this.next();
    const name = this.oneOf(nameToken, FUNCTIONS, "function");
    this.next(); // '('
    const arg = this.expression();
    const positional: Token[] = [];
    const named: Record<string, Token> = {};
    while (this.isPunct(",")) {
      this.next();
      if (this.peek().type === "ident" && this.isPunct("=", 1)) {
        const key = this.next();
        this.next();
        named[key.value] = this.next();
      } else {
        positional.push(this.next());
      }
    }
    this.expectPunct(")", `to close ${name}( (unbalanced parentheses)`);
    if (name === "anomalies") {
      this.anomalyCall(nameToken, positional, named);
    } else if (positional.length > 0 || Object.keys(named).length > 0) {
      this.fail(`${name}() takes only the expression`, nameToken.pos);
    }
    return { type: "call", fn: name, arg };
  }

  private anomalyCall(at: Token, positional: Token[], named: Record<string, Token>): void {
    if (this.anomaly) this.fail("a query may hold only one anomalies() call", at.pos);
    const [algorithmToken, boundsToken] = positional;
    if (!algorithmToken || algorithmToken.type !== "string") this.fail(`anomalies() needs an algorithm: ${ANOMALY_ALGORITHMS.map((a) => `'${a}'`).join(", ")}`, at.pos);
    const algorithm = this.oneOf(algorithmToken, ANOMALY_ALGORITHMS, "anomaly algorithm");
    const bounds = Number(boundsToken?.value);
    if (!boundsToken || boundsToken.type !== "number" || bounds < ANOMALY_BOUNDS.min || bounds > ANOMALY_BOUNDS.max) {
      this.fail(`anomalies() bounds must be a number from ${ANOMALY_BOUNDS.min} to ${ANOMALY_BOUNDS.max} (deviations), got ${boundsToken?.value ?? "none"}`, boundsToken?.pos ?? at.pos);
    }
    if (positional.length > 2) this.fail("anomalies() takes the expression, an algorithm, bounds and named options", positional[2].pos);
    const allowed: Record<string, readonly string[] | RegExp> = {
      direction: ANOMALY_DIRECTIONS,
      alert_window: MONITOR_WINDOWS,
      interval: /^\d+$/,
      count_default_zero: ["true", "false"],
      seasonality: ANOMALY_SEASONALITIES,
      timezone: /^[A-Za-z_]+(\/[A-Za-z_]+)*$/,
    };
    const options: Record<string, string> = {};
    for (const [key, token] of Object.entries(named)) {
      const rule = allowed[key];
      if (!rule) this.fail(`unknown anomalies() option "${key}"${suggestion(key, Object.keys(allowed))}`, token.pos);
      if (rule instanceof RegExp ? !rule.test(token.value) : !rule.includes(token.value)) {
        this.fail(`invalid anomalies() ${key}="${token.value}"${rule instanceof RegExp ? "" : ` (allowed: ${rule.join(", ")})`}`, token.pos);
      }
      options[key] = token.value;
    }
    if (algorithm === "basic" && options.seasonality) this.fail("the basic algorithm has no seasonality; use agile or robust", at.pos);
    const namedKeys = Object.keys(options);
    if (this.mode === "expression" && namedKeys.length > 0) {
      this.fail(
        `anomalies() in a dashboard or SLO takes only (<query>, '<algorithm>', <bounds>) (https://docs.datadoghq.com/dashboards/functions/algorithms/#anomalies); ${namedKeys.join(", ")} ${namedKeys.length > 1 ? "are" : "is"} monitor-only: remove ${namedKeys.length > 1 ? "them" : "it"}`,
        at.pos,
      );
    }
    this.anomaly = { algorithm, bounds, options };
  }
}

/** Parse and validate a metric expression (dashboard widget, SLO numerator). */
export function parseMetricExpression(query: string, scope?: IConstruct): ParsedExpression {
  return new QueryParser(query, scope).parseExpression();
}

/** Parse and validate a full metric monitor query. */
export function parseMonitorQuery(query: string, scope?: IConstruct): ParsedMonitorQuery {
  return new QueryParser(query, scope, "monitor").parseMonitor();
}

/** Seconds in a window like `last_15m`. */
export function windowSeconds(window: string): number {
  const [, amount, unit] = /^last_(\d+)([mhdw])$/.exec(window)!;
  return Number(amount) * { m: 60, h: 3600, d: 86400, w: 604800 }[unit as "m" | "h" | "d" | "w"];
}

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

/** One metric term. */
export interface MetricTerm {
  /** Space aggregator across series, e.g. `sum` for counts, `p95` for distribution latencies. */
  readonly aggregator: SpaceAggregator;
  /** A metric from the catalogue. */
  readonly metric: string;
  /** Tag filters, `{key: value}`; an empty object means all (`{*}`). */
  readonly filter: Readonly<Record<string, string>>;
  /** Group by these tag keys (one alert per group in a multi-alert monitor). */
  readonly by?: readonly string[];
  /** `as_count` for totals of count metrics over the window; `as_rate` for per-second rates. */
  readonly modifier?: "as_count" | "as_rate";
}

/** Render a metric term, e.g. `sum:trace.http.request.errors{env:prod,service:api}.as_count()`. */
export function metric(term: MetricTerm): string {
  const filter = Object.entries(term.filter).map(([key, value]) => `${key}:${value}`).join(",") || "*";
  const by = term.by && term.by.length > 0 ? ` by {${term.by.join(",")}}` : "";
  const modifier = term.modifier ? `.${term.modifier}()` : "";
  return `${term.aggregator}:${term.metric}{${filter}}${by}${modifier}`;
}

/** Options of {@link anomalies}. */
export interface AnomalyOptions {
  /** `basic` for metrics without a pattern; `agile` or `robust` follow a seasonal pattern (robust resists spikes). */
  readonly algorithm: AnomalyAlgorithm;
  /** Band width in deviations, 1-6. */
  readonly bounds: number;
  /** Window the anomaly must persist over before alerting. */
  readonly alertWindow: MonitorWindow;
  /** @default "above" (errors only worry us when they rise) */
  readonly direction?: (typeof ANOMALY_DIRECTIONS)[number];
  /** Seasonality for agile and robust. @default "weekly" for agile/robust, none for basic */
  readonly seasonality?: (typeof ANOMALY_SEASONALITIES)[number];
  /** Treat missing points of a sparse count as zero so quiet periods are part of the model. @default true */
  readonly countDefaultZero?: boolean;
  /** Rollup interval in seconds; at most a fifth of the alert window (no default: Datadog's own pick is not reviewable). */
  readonly intervalSeconds: number;
}

/** Wrap an expression in a monitor's `anomalies(...)` with every documented argument; the parser validates them. */
export function anomalies(expression: string, options: AnomalyOptions): string {
  const seasonality = options.seasonality ?? (options.algorithm === "basic" ? undefined : "weekly");
  const parts = [
    expression,
    `'${options.algorithm}'`,
    String(options.bounds),
    `direction='${options.direction ?? "above"}'`,
    `alert_window='${options.alertWindow}'`,
    `interval=${options.intervalSeconds}`,
    `count_default_zero='${options.countDefaultZero ?? true}'`,
    ...(seasonality ? [`seasonality='${seasonality}'`] : []),
  ];
  return `anomalies(${parts.join(", ")})`;
}

/** The dashboard form `anomalies(<query>, '<algorithm>', <bounds>)`, the only one the dashboard function documents. */
export function anomalyBand(expression: string, algorithm: AnomalyAlgorithm, bounds: number): string {
  return `anomalies(${expression}, '${algorithm}', ${bounds})`;
}

/** A monitor query's parts. */
export interface MonitorQueryParts {
  /** Time aggregator over the window, e.g. `avg` or `sum`; `percentile` needs percentile space aggregators. */
  readonly aggregator: TimeAggregator;
  /** Evaluation window, e.g. `last_5m`; longer windows alert later but flap less. */
  readonly window: MonitorWindow;
  /** Compare with the same window this long ago (`change(...)`). */
  readonly changeOver?: MonitorWindow;
  /** Metric expression to evaluate, typically built with {@link metric} / {@link anomalies}. */
  readonly expression: string;
  /** How the evaluated value is compared with the threshold. */
  readonly comparator: Comparator;
  /** Must equal the monitor's critical threshold (Datadog rejects a mismatch at apply). */
  readonly threshold: number;
}

/** Render and validate a monitor query; throws a ConfigError for anything Datadog would not evaluate. */
export function monitorQuery(parts: MonitorQueryParts, scope?: IConstruct): string {
  const evaluation = parts.changeOver
    ? `change(${parts.aggregator}(${parts.window}),${parts.changeOver})`
    : `${parts.aggregator}(${parts.window})`;
  const query = `${evaluation}:${parts.expression} ${parts.comparator} ${parts.threshold}`;
  parseMonitorQuery(query, scope);
  return query;
}
