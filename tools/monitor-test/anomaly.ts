/**
 * A conservative, documented stand-in for Datadog's anomaly bands. Datadog describes the
 * algorithms (https://docs.datadoghq.com/monitors/types/anomaly/#anomaly-detection-algorithms):
 * basic is a lagging rolling quantile without seasonality; agile a robust SARIMA that follows level
 * shifts quickly; robust a seasonal-trend decomposition that stays put through long anomalies;
 * seasonal algorithms need three seasons of history and use up to six. The model here:
 *
 * - values are rolled up into `interval`-second buckets (sum for `.as_count()` queries, else avg),
 *   missing buckets are 0 when count_default_zero='true';
 * - robust: expected = median of the same phase (±7 minutes) in up to six previous seasons (at
 *   least three, else no band and nothing is anomalous); agile: the same plus the median level
 *   shift of the hour before the alert window; basic: median of that lagging hour;
 * - band = expected ± bounds × σ, σ = 1.4826 × MAD of the history, floored at √expected for counts
 *   (Poisson noise) and 5% of expected, so the band is never narrower than counting noise;
 * - the monitor value is the fraction of alert-window buckets outside the band in `direction`.
 *
 * The floors make the band at least as wide as Datadog's plausibly is: a drill that alerts here
 * is strong evidence the real monitor alerts; a healthy series staying quiet here is weaker
 * evidence that Datadog stays quiet.
 */
import { ParsedAnomaly, windowSeconds } from "../../constructs/datadog/query";

const SEASON_MINUTES = { hourly: 60, daily: 1440, weekly: 10080 } as const;
/** Seasons of history the seasonal algorithms use at most, and need at least (Datadog docs). */
const MAX_SEASONS = 6;
const MIN_SEASONS = 3;
/** Minutes either side of the phase pooled into the seasonal history. */
const PHASE_SLACK_MINUTES = 7;
/** The lagging window of basic and of agile's level shift. */
const LAG_MINUTES = 60;
const MAD_TO_SIGMA = 1.4826;
const RELATIVE_FLOOR = 0.05;

function median(values: number[]): number {
  // A typed array sorts numbers natively, without a comparator call per pair: the evaluator takes
  // thousands of medians per run (inputs never hold NaN: slice() drops missing points).
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Fractions of anomalous buckets, computed lazily for the minutes a test evaluates. */
export class AnomalyModel {
  private readonly bucketMinutes: number;
  private readonly alertBuckets: number;
  private readonly buckets = new Map<string, Float64Array>();
  private readonly verdicts = new Map<string, Map<number, boolean>>();

  constructor(
    grouped: ReadonlyMap<string, Float64Array>,
    private readonly anomaly: ParsedAnomaly,
    private readonly counts: boolean,
  ) {
    this.bucketMinutes = Math.max(1, Math.round(Number(anomaly.options.interval) / 60));
    this.alertBuckets = Math.max(1, Math.round(windowSeconds(anomaly.options.alert_window) / 60 / this.bucketMinutes));
    const zeroFill = anomaly.options.count_default_zero === "true";
    for (const [group, values] of grouped) {
      const n = Math.floor(values.length / this.bucketMinutes);
      const rolled = new Float64Array(n);
      for (let b = 0; b < n; b++) {
        let sum = 0;
        let present = 0;
        for (let m = b * this.bucketMinutes; m < (b + 1) * this.bucketMinutes; m++) {
          const v = Number.isNaN(values[m]) && zeroFill ? 0 : values[m];
          if (!Number.isNaN(v)) {
            sum += v;
            present++;
          }
        }
        rolled[b] = present === 0 ? NaN : counts ? sum : sum / present;
      }
      this.buckets.set(group, rolled);
      this.verdicts.set(group, new Map());
    }
  }

  /** The groups the model has series for. */
  groups(): string[] {
    return [...this.buckets.keys()];
  }

  /** Fraction of the alert window anomalous for `group` at minute `end`, or undefined before a full window. */
  fraction(group: string, end: number): number | undefined {
    const last = Math.floor((end + 1) / this.bucketMinutes) - 1;
    const values = this.buckets.get(group);
    if (!values || last - this.alertBuckets + 1 < 0 || last >= values.length) return undefined;
    let anomalous = 0;
    for (let b = last - this.alertBuckets + 1; b <= last; b++) if (this.anomalous(group, values, b)) anomalous++;
    return anomalous / this.alertBuckets;
  }

  private anomalous(group: string, values: Float64Array, b: number): boolean {
    const cache = this.verdicts.get(group)!;
    const cached = cache.get(b);
    if (cached !== undefined) return cached;
    const value = values[b];
    const band = Number.isNaN(value) ? undefined : this.band(values, b);
    let verdict = false;
    if (band) {
      const above = value > band.expected + this.anomaly.bounds * band.sigma;
      const below = value < band.expected - this.anomaly.bounds * band.sigma;
      const direction = this.anomaly.options.direction ?? "both";
      verdict = direction === "above" ? above : direction === "below" ? below : above || below;
    }
    cache.set(b, verdict);
    return verdict;
  }

  private band(values: Float64Array, b: number): { expected: number; sigma: number } | undefined {
    const lagEnd = b - this.alertBuckets;
    const lag = this.slice(values, lagEnd - LAG_MINUTES / this.bucketMinutes + 1, lagEnd);
    let history: number[];
    let expected: number;
    if (this.anomaly.algorithm === "basic") {
      if (lag.length < LAG_MINUTES / this.bucketMinutes / 2) return undefined;
      history = lag;
      expected = median(lag);
    } else {
      const season = SEASON_MINUTES[(this.anomaly.options.seasonality ?? "weekly") as keyof typeof SEASON_MINUTES] / this.bucketMinutes;
      const slack = Math.max(1, Math.round(PHASE_SLACK_MINUTES / this.bucketMinutes));
      history = [];
      let seasons = 0;
      for (let k = 1; k <= MAX_SEASONS && b - k * season - slack >= 0; k++, seasons++) history.push(...this.slice(values, b - k * season - slack, b - k * season + slack));
      if (seasons < MIN_SEASONS || history.length === 0) return undefined;
      expected = median(history);
      if (this.anomaly.algorithm === "agile" && lag.length > 0) {
        // Agile follows level shifts: add how far the lagging hour sat from its own seasonal expectation.
        const shifts = [];
        for (let j = lagEnd - LAG_MINUTES / this.bucketMinutes + 1; j <= lagEnd; j++) {
          const past = [1, 2, 3].map((k) => values[j - k * season]).filter((v) => v !== undefined && !Number.isNaN(v));
          if (past.length > 0 && !Number.isNaN(values[j])) shifts.push(values[j] - median(past));
        }
        if (shifts.length > 0) expected += median(shifts);
      }
    }
    const centre = median(history);
    const mad = median(history.map((v) => Math.abs(v - centre)));
    const sigma = Math.max(MAD_TO_SIGMA * mad, this.counts ? Math.sqrt(Math.max(expected, 1)) : 0, RELATIVE_FLOOR * Math.abs(expected), 1e-9);
    return { expected, sigma };
  }

  private slice(values: Float64Array, from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = Math.max(0, from); i <= Math.min(values.length - 1, to); i++) if (!Number.isNaN(values[i])) out.push(values[i]);
    return out;
  }
}
