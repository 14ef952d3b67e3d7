/** A label value; numbers and booleans are rendered with `String()`. */
export type LabelValue = string | number | boolean;

/**
 * The labels of one series, keyed by the instrument's label names. A missing label is the
 * empty string, which Prometheus treats as an absent label.
 */
export type LabelSet<L extends string> = { readonly [K in L]?: LabelValue | undefined };

/** What every instrument is created with. */
export interface InstrumentOptions<L extends string = never> {
  /** One line describing what is measured; shown as `# HELP`. */
  readonly help: string;
  /** The label names, fixed at creation; values are bounded (a route template, never a URL). */
  readonly labelNames?: readonly L[];
  /**
   * The most label sets this instrument keeps; beyond it new label sets are refused (not
   * recorded) and counted in `telemetry_label_cardinality_refusals_total{metric}`.
   * Default: the registry's `maxCardinality` (2000).
   */
  readonly maxCardinality?: number;
}

/** Options of a histogram: the bucket upper bounds, ascending (`+Inf` is implied). */
export interface HistogramOptions<L extends string = never> extends InstrumentOptions<L> {
  readonly buckets?: readonly number[];
}

/** The Prometheus type an instrument is exposed as. */
export type MetricType = "counter" | "gauge" | "histogram";

/** What kind of instrument a registry holds under a name. */
export type InstrumentKind =
  | "counter"
  | "upDownCounter"
  | "gauge"
  | "histogram"
  | "observableGauge"
  | "observableCounter";

/** A counter bound to one label set: incrementing it is one addition. */
export interface BoundCounter {
  /** Adds `value` (default 1; must be >= 0). */
  inc(value?: number): void;
}

/**
 * A monotonically increasing count (`http_requests_total`).
 *
 * @example
 * ```ts
 * const sent = metrics.counter("mail_sent_total", { help: "Mails sent", labelNames: ["kind"] });
 * sent.inc({ kind: "welcome" });
 * const welcome = sent.labels({ kind: "welcome" }); // bind once on hot paths
 * welcome.inc();
 * ```
 */
export interface Counter<L extends string = never> {
  readonly name: string;
  readonly kind: "counter";
  /** Adds `value` (default 1; must be >= 0) to the series without labels. */
  inc(value?: number): void;
  /** Adds `value` (default 1; must be >= 0) to the series of `labels`. */
  inc(labels: LabelSet<L>, value?: number): void;
  /** The handle of one label set, for hot paths. */
  labels(labels: LabelSet<L>): BoundCounter;
  /** The current value of a series (0 when it was never recorded). */
  get(labels?: LabelSet<L>): number;
  /** Drops one series (freeing its cardinality slot). */
  remove(labels: LabelSet<L>): void;
  /** Drops every series. */
  reset(): void;
}

/** An up-down counter or gauge bound to one label set. */
export interface BoundUpDownCounter {
  /** Adds `value` (default 1; may be negative). */
  inc(value?: number): void;
  /** Subtracts `value` (default 1). */
  dec(value?: number): void;
}

/**
 * A count that goes up and down (`http_active_connections`); exposed as a Prometheus gauge.
 *
 * @example
 * ```ts
 * const open = metrics.upDownCounter("ws_open_connections", { help: "Open WebSockets" });
 * open.inc();
 * open.dec();
 * ```
 */
export interface UpDownCounter<L extends string = never> {
  readonly name: string;
  readonly kind: "upDownCounter";
  inc(value?: number): void;
  inc(labels: LabelSet<L>, value?: number): void;
  dec(value?: number): void;
  dec(labels: LabelSet<L>, value?: number): void;
  labels(labels: LabelSet<L>): BoundUpDownCounter;
  get(labels?: LabelSet<L>): number;
  remove(labels: LabelSet<L>): void;
  reset(): void;
}

/** A gauge bound to one label set. */
export interface BoundGauge extends BoundUpDownCounter {
  set(value: number): void;
}

/**
 * A value that is set (`queue_depth`, `build_info`).
 *
 * @example
 * ```ts
 * const depth = metrics.gauge("queue_depth", { help: "Jobs waiting", labelNames: ["queue"] });
 * depth.set({ queue: "mail" }, 12);
 * ```
 */
export interface Gauge<L extends string = never> {
  readonly name: string;
  readonly kind: "gauge";
  set(value: number): void;
  set(labels: LabelSet<L>, value: number): void;
  inc(value?: number): void;
  inc(labels: LabelSet<L>, value?: number): void;
  dec(value?: number): void;
  dec(labels: LabelSet<L>, value?: number): void;
  labels(labels: LabelSet<L>): BoundGauge;
  get(labels?: LabelSet<L>): number;
  remove(labels: LabelSet<L>): void;
  reset(): void;
}

/** A histogram bound to one label set. */
export interface BoundHistogram {
  /** Records one observation. */
  observe(value: number): void;
  /** Starts a timer; calling the result records the elapsed seconds and returns them. */
  startTimer(): () => number;
}

/** What a histogram series holds: the cumulative bucket counts, the sum and the count. */
export interface HistogramValue {
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly sum: number;
  readonly count: number;
}

/**
 * A distribution in buckets (`http_request_duration_seconds`), with `_bucket`, `_sum` and
 * `_count` series.
 *
 * @example
 * ```ts
 * const took = metrics.histogram("job_duration_seconds", { help: "Job time", labelNames: ["job"], buckets: [0.1, 1, 10] });
 * const end = took.startTimer({ job: "digest" });
 * await runDigest();
 * end();
 * ```
 */
export interface Histogram<L extends string = never> {
  readonly name: string;
  readonly kind: "histogram";
  /** The bucket upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];
  observe(value: number): void;
  observe(labels: LabelSet<L>, value: number): void;
  labels(labels: LabelSet<L>): BoundHistogram;
  /** Starts a timer; the returned function records the seconds elapsed (with extra labels). */
  startTimer(labels?: LabelSet<L>): (more?: LabelSet<L>) => number;
  get(labels?: LabelSet<L>): HistogramValue;
  remove(labels: LabelSet<L>): void;
  reset(): void;
}

/** What an observable instrument's callback reports values through. */
export interface ObservableResult<L extends string = never> {
  observe(value: number): void;
  observe(labels: LabelSet<L>, value: number): void;
}

/** The callback of an observable instrument, called on every scrape. */
export type ObserveCallback<L extends string = never> = (
  result: ObservableResult<L>,
) => void | Promise<void>;

/**
 * An instrument whose values are read on every scrape (heap size, pool usage).
 *
 * @example
 * ```ts
 * metrics.observableGauge("db_pool_idle", { help: "Idle connections" }, (r) => r.observe(pool.idle));
 * ```
 */
export interface ObservableInstrument {
  readonly name: string;
  readonly kind: "observableGauge" | "observableCounter";
}

/** Any instrument a registry holds. */
export type AnyInstrument =
  | Counter<string>
  | UpDownCounter<string>
  | Gauge<string>
  | Histogram<string>
  | ObservableInstrument;

/** One series of a collected metric family. */
export interface SeriesSnapshot {
  /** Label name/value pairs, in label-name order. */
  readonly labels: readonly (readonly [string, string])[];
  /** The value, for counters and gauges. */
  readonly value?: number;
  /** The cumulative buckets, sum and count, for histograms. */
  readonly histogram?: HistogramValue;
}

/** One metric family as collected for exposition. */
export interface MetricFamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly series: readonly SeriesSnapshot[];
}

/** A source of metric families read at every scrape (e.g. the OpenTelemetry meter bridge). */
export type MetricsCollector = () => MetricFamilySnapshot[] | Promise<MetricFamilySnapshot[]>;

/** A rendered exposition, ready to send as a scrape response. */
export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}
