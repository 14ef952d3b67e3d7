import { TelemetryError } from "../errors.ts";
import type {
  BoundHistogram,
  Histogram,
  HistogramValue,
  LabelSet,
  MetricFamilySnapshot,
  SeriesSnapshot,
} from "../metrics/types.ts";
import { type InstrumentSetup, invalidValue, isLabels, pairs } from "./instrument.ts";
import { type Series, SeriesIndex } from "./series-index.ts";

interface HistogramSeries extends Series {
  /** Per-bucket (not cumulative) counts; the last slot is `+Inf`. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
  bound?: BoundHistogram;
}

const notNaN = "pass a number (NaN cannot be bucketed)";

/** Throws `TELEMETRY_INVALID_BUCKETS` unless `buckets` are finite and strictly ascending. */
export function checkBuckets(metric: string, buckets: readonly unknown[]): readonly number[] {
  const bad = (why: string): TelemetryError =>
    new TelemetryError(
      "TELEMETRY_INVALID_BUCKETS",
      `histogram "${metric}" has invalid buckets [${buckets.map(String).join(", ")}]: ${why}`,
    );
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw bad("give at least one upper bound (+Inf is added for you)");
  }
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (typeof b !== "number" || !Number.isFinite(b)) {
      throw bad(`bucket ${i} is not a finite number (+Inf is implied; leave it out)`);
    }
    if (i > 0 && b <= (buckets[i - 1] as number)) throw bad("bounds must be strictly ascending");
  }
  return Object.freeze([...(buckets as number[])]);
}

export class HistogramImpl<L extends string> implements Histogram<L> {
  readonly name: string;
  readonly kind = "histogram" as const;
  readonly buckets: readonly number[];
  readonly #help: string;
  readonly #labelNames: readonly string[];
  readonly #bounds: Float64Array;
  readonly #index: SeriesIndex<HistogramSeries>;

  constructor(setup: InstrumentSetup, buckets: readonly number[]) {
    this.name = setup.name;
    this.#help = setup.help;
    this.#labelNames = setup.labelNames;
    this.buckets = buckets;
    this.#bounds = Float64Array.from(buckets);
    const slots = buckets.length + 1;
    this.#index = new SeriesIndex<HistogramSeries>({
      metric: setup.name,
      labelNames: setup.labelNames,
      maxCardinality: setup.maxCardinality,
      create: (values) => ({ values, counts: new Float64Array(slots), sum: 0, count: 0 }),
      refused: (labels) => setup.refused(setup.name, labels),
    });
  }

  get definition(): string {
    return `histogram(${this.#labelNames.join(",")})[${this.buckets.join(",")}]`;
  }

  observe(a: LabelSet<L> | number, b?: number): void {
    const labeled = isLabels(a);
    const value = labeled ? b : a;
    if (typeof value !== "number" || Number.isNaN(value))
      throw invalidValue(this.name, value, notNaN);
    const s = this.#index.get(labeled ? a : undefined);
    if (s !== undefined) this.#record(s, value);
  }

  #record(s: HistogramSeries, value: number): void {
    const bounds = this.#bounds;
    const n = bounds.length;
    let i = 0;
    // Bucket lists are short (about a dozen), so a linear scan beats a binary search.
    while (i < n && value > bounds[i]!) i++;
    s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  labels(labels: LabelSet<L>): BoundHistogram {
    const s = this.#index.get(labels);
    if (s === undefined) {
      return {
        observe: (value) => this.observe(labels, value),
        startTimer: () => this.startTimer(labels),
      };
    }
    if (s.bound === undefined) {
      const name = this.name;
      const record = (value: number): void => {
        if (typeof value !== "number" || Number.isNaN(value))
          throw invalidValue(name, value, notNaN);
        this.#record(s, value);
      };
      s.bound = {
        observe: record,
        startTimer: () => {
          const t0 = performance.now();
          return () => {
            const seconds = (performance.now() - t0) / 1000;
            record(seconds);
            return seconds;
          };
        },
      };
    }
    return s.bound;
  }

  startTimer(labels?: LabelSet<L>): (more?: LabelSet<L>) => number {
    const t0 = performance.now();
    return (more) => {
      const seconds = (performance.now() - t0) / 1000;
      this.observe(more === undefined ? (labels ?? {}) : { ...labels, ...more }, seconds);
      return seconds;
    };
  }

  get(labels?: LabelSet<L>): HistogramValue {
    const s = this.#index.peek(labels);
    return s === undefined ? this.#value(undefined) : this.#value(s);
  }

  remove(labels: LabelSet<L>): void {
    this.#index.remove(labels);
  }

  reset(): void {
    this.#index.clear();
  }

  #value(s: HistogramSeries | undefined): HistogramValue {
    let running = 0;
    const buckets = [...this.buckets, Number.POSITIVE_INFINITY].map((le, i) => {
      running += s?.counts[i] ?? 0;
      return { le, count: running };
    });
    return { buckets, sum: s?.sum ?? 0, count: s?.count ?? 0 };
  }

  collect(): MetricFamilySnapshot {
    const series: SeriesSnapshot[] = [];
    for (const s of this.#index.series()) {
      series.push({ labels: pairs(this.#labelNames, s.values), histogram: this.#value(s) });
    }
    if (this.#labelNames.length === 0 && series.length === 0) {
      series.push({ labels: [], histogram: this.#value(undefined) });
    }
    return { name: this.name, help: this.#help, type: "histogram", series };
  }
}
