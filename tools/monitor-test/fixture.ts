/**
 * Fixture time series for offline monitor tests: one value per minute per series, NaN where the
 * agent or integration reported nothing (a missing point, not a zero).
 */

/** One time series as the agent or an integration would submit it. */
export interface Series {
  /** Metric name, e.g. `kubernetes.containers.restarts`. */
  readonly metric: string;
  /** Tags, key -> value (Datadog tags are `key:value`; values here are already lower-case). */
  readonly tags: Readonly<Record<string, string>>;
  /** Value per minute since the fixture's start; NaN = no point that minute. */
  readonly values: Float64Array;
}

/** A set of series over the same minutes. */
export class Fixture {
  private readonly byMetric = new Map<string, Series[]>();

  constructor(
    /** Minutes the fixture spans; every series has this many values. */
    public readonly minutes: number,
    series: readonly Series[] = [],
  ) {
    for (const s of series) this.add(s);
  }

  /** Add a series (its length must match the fixture's). */
  add(series: Series): this {
    if (series.values.length !== this.minutes) {
      throw new Error(`series ${series.metric} has ${series.values.length} values; the fixture spans ${this.minutes} minutes`);
    }
    const list = this.byMetric.get(series.metric) ?? [];
    list.push(series);
    this.byMetric.set(series.metric, list);
    return this;
  }

  /** Every series of `metric`. */
  of(metric: string): readonly Series[] {
    return this.byMetric.get(metric) ?? [];
  }

  /** A copy in which `change` replaced the values of the series it returns new values for. */
  with(change: (series: Series) => Float64Array | undefined): Fixture {
    const copy = new Fixture(this.minutes);
    for (const list of this.byMetric.values()) {
      for (const s of list) copy.add({ ...s, values: change(s) ?? s.values });
    }
    return copy;
  }

  /** Every series, for copying and inspection. */
  all(): Series[] {
    return [...this.byMetric.values()].flat();
  }
}

/** `{a:1,b:2}` -> `a:1,b:2`, sorted, for messages and group keys. */
export function tagString(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}:${v}`)
    .sort()
    .join(",");
}

/** A deterministic pseudo-random stream (mulberry32): fixtures are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable seed from a string, so each series gets its own noise. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Values from `value(minute)`; undefined becomes NaN (no point). */
export function valuesOf(minutes: number, value: (minute: number) => number | undefined): Float64Array {
  const values = new Float64Array(minutes);
  for (let m = 0; m < minutes; m++) values[m] = value(m) ?? NaN;
  return values;
}
