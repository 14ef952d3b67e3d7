import { TelemetryError } from "../errors.ts";
import type {
  InstrumentKind,
  LabelSet,
  MetricFamilySnapshot,
  MetricType,
  SeriesSnapshot,
} from "../metrics/types.ts";
import { type Series, SeriesIndex } from "./series-index.ts";

/** What the registry gives each instrument it creates. */
export interface InstrumentSetup {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly maxCardinality: number;
  /** Counts one refused recording in `telemetry_label_cardinality_refusals_total`. */
  readonly refused: (metric: string, labels: Readonly<Record<string, unknown>>) => void;
}

/** What the registry needs from every instrument. */
export interface Collectable {
  readonly name: string;
  readonly kind: InstrumentKind;
  /** A canonical description; creating the same name again must match it. */
  readonly definition: string;
  collect(): MetricFamilySnapshot | Promise<MetricFamilySnapshot>;
}

export type AnyLabels = Readonly<Record<string, unknown>>;

export const isLabels = (a: unknown): a is AnyLabels => typeof a === "object" && a !== null;

export function invalidValue(metric: string, value: unknown, rule: string): TelemetryError {
  return new TelemetryError(
    "TELEMETRY_INVALID_VALUE",
    `metric "${metric}" was given ${String(value)}: ${rule}`,
  );
}

export function pairs(names: readonly string[], values: readonly string[]): [string, string][] {
  return names.map((n, i) => [n, values[i]!]);
}

/** A series holding one number (counters, gauges). */
export interface ValueSeries extends Series {
  value: number;
  bound?: unknown;
}

/** The shared part of counters, up-down counters and gauges. */
export abstract class ValueInstrument<L extends string> implements Collectable {
  readonly name: string;
  abstract readonly kind: InstrumentKind;
  protected abstract readonly type: MetricType;
  readonly #help: string;
  readonly #labelNames: readonly string[];
  protected readonly index: SeriesIndex<ValueSeries>;

  constructor(setup: InstrumentSetup) {
    this.name = setup.name;
    this.#help = setup.help;
    this.#labelNames = setup.labelNames;
    this.index = new SeriesIndex<ValueSeries>({
      metric: setup.name,
      labelNames: setup.labelNames,
      maxCardinality: setup.maxCardinality,
      create: (values) => ({ values, value: 0 }),
      refused: (labels) => setup.refused(setup.name, labels),
    });
  }

  get definition(): string {
    return `${this.kind}(${this.#labelNames.join(",")})`;
  }

  get(labels?: LabelSet<L>): number {
    return this.index.peek(labels)?.value ?? 0;
  }

  remove(labels: LabelSet<L>): void {
    this.index.remove(labels);
  }

  reset(): void {
    this.index.clear();
  }

  collect(): MetricFamilySnapshot {
    const series: SeriesSnapshot[] = [];
    for (const s of this.index.series()) {
      series.push({ labels: pairs(this.#labelNames, s.values), value: s.value });
    }
    // An unlabeled metric always has its one series, so dashboards see 0 rather than nothing.
    if (this.#labelNames.length === 0 && series.length === 0) series.push({ labels: [], value: 0 });
    return { name: this.name, help: this.#help, type: this.type, series };
  }
}
