import { TelemetryError } from "../errors.ts";
import { collectFamilies } from "../internal/collect.ts";
import { CounterImpl } from "../internal/counter.ts";
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  prefersOpenMetrics,
  renderExposition,
} from "../internal/exposition-format.ts";
import { GaugeImpl, UpDownCounterImpl } from "../internal/gauge.ts";
import { checkBuckets, HistogramImpl } from "../internal/histogram.ts";
import type { Collectable, InstrumentSetup } from "../internal/instrument.ts";
import { assertLabelNames, assertMetricName } from "../internal/names.ts";
import { ObservableImpl } from "../internal/observable.ts";
import type {
  AnyInstrument,
  Counter,
  Exposition,
  Gauge,
  Histogram,
  HistogramOptions,
  InstrumentOptions,
  MetricFamilySnapshot,
  MetricsCollector,
  ObservableInstrument,
  ObserveCallback,
  UpDownCounter,
} from "./types.ts";

/**
 * The Prometheus default buckets, in seconds (5 ms to 10 s), used when none are given.
 *
 * @example
 * ```ts
 * metrics.histogram("job_seconds", { help: "Job time", buckets: [...DEFAULT_BUCKETS, 30, 60] });
 * ```
 */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Label sets each instrument keeps before refusing new ones (default 2000). */
  readonly maxCardinality?: number;
  /** Labels added to every exposed series that does not set them (`{ service: "forum" }`). */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Told about problems that must not fail a scrape or a request (refusals, failed callbacks). */
  readonly onProblem?: (problem: TelemetryError) => void;
}

/**
 * The metrics registry: creates instruments and renders the Prometheus / OpenMetrics
 * exposition. Creating an instrument whose name exists returns the existing one when the
 * definition matches, so several packages can share `http_requests_total`.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const jobs = metrics.counter("jobs_total", { help: "Jobs run", labelNames: ["queue"] });
 * jobs.inc({ queue: "mail" });
 * const { contentType, body } = await metrics.exposition(request.headers.accept);
 * ```
 */
export interface Metrics {
  readonly maxCardinality: number;
  counter<L extends string = never>(name: string, options: InstrumentOptions<L>): Counter<L>;
  upDownCounter<L extends string = never>(
    name: string,
    options: InstrumentOptions<L>,
  ): UpDownCounter<L>;
  gauge<L extends string = never>(name: string, options: InstrumentOptions<L>): Gauge<L>;
  histogram<L extends string = never>(name: string, options: HistogramOptions<L>): Histogram<L>;
  /** A gauge whose values `collect` reports at every scrape. */
  observableGauge<L extends string = never>(
    name: string,
    options: InstrumentOptions<L>,
    collect: ObserveCallback<L>,
  ): ObservableInstrument;
  /** A counter whose running totals `collect` reports at every scrape. */
  observableCounter<L extends string = never>(
    name: string,
    options: InstrumentOptions<L>,
    collect: ObserveCallback<L>,
  ): ObservableInstrument;
  /** The instrument registered under `name`. */
  get(name: string): AnyInstrument | undefined;
  /** Adds a source of families read at every scrape; returns a function that removes it. */
  addCollector(collector: MetricsCollector): () => void;
  /** Reads every instrument and collector. */
  collect(): Promise<MetricFamilySnapshot[]>;
  /**
   * Renders every metric in the Prometheus text format 0.0.4, or in OpenMetrics 1.0.0 when
   * `accept` asks for `application/openmetrics-text`.
   */
  exposition(accept?: string): Promise<Exposition>;
}

const REFUSALS = "telemetry_label_cardinality_refusals_total";
const COLLECT_ERRORS = "telemetry_collect_errors_total";

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TelemetryError(
      "TELEMETRY_INVALID_OPTIONS",
      `${what} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

class MetricsRegistry implements Metrics {
  readonly maxCardinality: number;
  readonly #instruments = new Map<string, Collectable>();
  readonly #collectors = new Set<MetricsCollector>();
  readonly #defaults: readonly (readonly [string, string])[];
  readonly #onProblem: (problem: TelemetryError) => void;
  readonly #warned = new Set<string>();
  readonly #refusals: Counter<"metric">;
  readonly #collectErrors: Counter<"metric">;

  constructor(options: MetricsOptions) {
    this.maxCardinality = positiveInteger(options.maxCardinality ?? 2000, "metrics.maxCardinality");
    const defaults = Object.entries(options.defaultLabels ?? {});
    assertLabelNames(
      "defaultLabels",
      defaults.map(([k]) => k),
    );
    this.#defaults = defaults.map(([k, v]) => [k, String(v)] as const);
    this.#onProblem = options.onProblem ?? (() => {});
    // One series per metric at most, so these two need no limit of their own.
    this.#refusals = this.counter(REFUSALS, {
      help: "Recordings refused because the metric reached its label cardinality limit",
      labelNames: ["metric"],
      maxCardinality: Number.MAX_SAFE_INTEGER,
    });
    this.#collectErrors = this.counter(COLLECT_ERRORS, {
      help: "Scrapes in which a metric's collect callback failed (the metric was left out)",
      labelNames: ["metric"],
      maxCardinality: Number.MAX_SAFE_INTEGER,
    });
  }

  #setup(name: string, options: InstrumentOptions<string>, reserved: string[]): InstrumentSetup {
    assertMetricName(name);
    if (options === null || typeof options !== "object" || typeof options.help !== "string") {
      throw new TelemetryError(
        "TELEMETRY_INVALID_OPTIONS",
        `metric "${name}" needs options with a help string: { help: "what it measures" }`,
      );
    }
    const labelNames = [...(options.labelNames ?? [])];
    assertLabelNames(name, labelNames, reserved);
    return {
      name,
      help: options.help,
      labelNames,
      maxCardinality:
        options.maxCardinality === undefined
          ? this.maxCardinality
          : positiveInteger(options.maxCardinality, `maxCardinality of metric "${name}"`),
      refused: (metric, labels) => this.#refused(metric, labels),
    };
  }

  #refused(metric: string, labels: Readonly<Record<string, unknown>>): void {
    this.#refusals.inc({ metric });
    if (!this.#warned.has(metric)) {
      this.#warned.add(metric);
      this.#onProblem(
        new TelemetryError(
          "TELEMETRY_CARDINALITY_EXCEEDED",
          `metric "${metric}" reached its cardinality limit; new label sets such as ${JSON.stringify(labels)} are refused and counted in ${REFUSALS}. Use bounded label values (a route template, never a raw URL) or raise maxCardinality`,
        ),
      );
    }
  }

  #register<T extends Collectable>(name: string, make: () => T): T {
    const created = make();
    const existing = this.#instruments.get(name);
    if (existing === undefined) {
      this.#instruments.set(name, created);
      return created;
    }
    if (existing.definition === created.definition && !existing.kind.startsWith("observable")) {
      return existing as T;
    }
    throw new TelemetryError(
      "TELEMETRY_METRIC_CONFLICT",
      `metric "${name}" is already registered as ${existing.definition}; it cannot also be ${created.definition}${existing.kind.startsWith("observable") ? " (an observable metric is registered once)" : ""}. Use another name or the same definition`,
    );
  }

  counter<L extends string = never>(name: string, options: InstrumentOptions<L>): Counter<L> {
    return this.#register(name, () => new CounterImpl<L>(this.#setup(name, options, [])));
  }

  upDownCounter<L extends string = never>(
    name: string,
    options: InstrumentOptions<L>,
  ): UpDownCounter<L> {
    return this.#register(name, () => new UpDownCounterImpl<L>(this.#setup(name, options, [])));
  }

  gauge<L extends string = never>(name: string, options: InstrumentOptions<L>): Gauge<L> {
    return this.#register(name, () => new GaugeImpl<L>(this.#setup(name, options, [])));
  }

  histogram<L extends string = never>(name: string, options: HistogramOptions<L>): Histogram<L> {
    return this.#register(name, () => {
      const setup = this.#setup(name, options, ["le"]);
      return new HistogramImpl<L>(setup, checkBuckets(name, options.buckets ?? DEFAULT_BUCKETS));
    });
  }

  observableGauge<L extends string = never>(
    name: string,
    options: InstrumentOptions<L>,
    collect: ObserveCallback<L>,
  ): ObservableInstrument {
    return this.#observable(name, options, collect, "observableGauge");
  }

  observableCounter<L extends string = never>(
    name: string,
    options: InstrumentOptions<L>,
    collect: ObserveCallback<L>,
  ): ObservableInstrument {
    return this.#observable(name, options, collect, "observableCounter");
  }

  #observable<L extends string>(
    name: string,
    options: InstrumentOptions<L>,
    collect: ObserveCallback<L>,
    kind: "observableGauge" | "observableCounter",
  ): ObservableInstrument {
    if (typeof collect !== "function") {
      throw new TelemetryError(
        "TELEMETRY_INVALID_OPTIONS",
        `observable metric "${name}" needs a collect callback: (result) => result.observe(value)`,
      );
    }
    return this.#register(
      name,
      () => new ObservableImpl<L>(this.#setup(name, options, []), kind, collect),
    );
  }

  get(name: string): AnyInstrument | undefined {
    return this.#instruments.get(name) as AnyInstrument | undefined;
  }

  addCollector(collector: MetricsCollector): () => void {
    this.#collectors.add(collector);
    return () => this.#collectors.delete(collector);
  }

  collect(): Promise<MetricFamilySnapshot[]> {
    return collectFamilies(this.#instruments, this.#collectors, (metric, error) => {
      this.#collectErrors.inc({ metric });
      this.#onProblem(
        new TelemetryError(
          "TELEMETRY_COLLECT_FAILED",
          `collecting metric "${metric}" failed, so this scrape leaves it out: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
    });
  }

  async exposition(accept?: string): Promise<Exposition> {
    const openMetrics = prefersOpenMetrics(accept);
    const families = await this.collect();
    return {
      contentType: openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
      body: renderExposition(families, this.#defaults, openMetrics),
    };
  }
}

/**
 * Creates a metrics registry (the `telemetry()` module registers one under `MetricsToken`).
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ maxCardinality: 500, defaultLabels: { service: "forum" } });
 * metrics.gauge("build_info", { help: "Build", labelNames: ["version"] }).set({ version: "1.2.0" }, 1);
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new MetricsRegistry(options);
}
