import type {
  LabelSet,
  MetricFamilySnapshot,
  ObservableInstrument,
  ObservableResult,
  ObserveCallback,
  SeriesSnapshot,
} from "../metrics/types.ts";
import {
  type InstrumentSetup,
  invalidValue,
  isLabels,
  pairs,
  type ValueSeries,
} from "./instrument.ts";
import { SeriesIndex } from "./series-index.ts";

/** An instrument read through a callback at every scrape; cardinality applies per scrape. */
export class ObservableImpl<L extends string> implements ObservableInstrument {
  readonly name: string;
  readonly kind: "observableGauge" | "observableCounter";
  readonly #setup: InstrumentSetup;
  readonly #callback: ObserveCallback<L>;

  constructor(
    setup: InstrumentSetup,
    kind: "observableGauge" | "observableCounter",
    callback: ObserveCallback<L>,
  ) {
    this.name = setup.name;
    this.kind = kind;
    this.#setup = setup;
    this.#callback = callback;
  }

  get definition(): string {
    return `${this.kind}(${this.#setup.labelNames.join(",")})`;
  }

  async collect(): Promise<MetricFamilySnapshot> {
    const setup = this.#setup;
    const index = new SeriesIndex<ValueSeries>({
      metric: setup.name,
      labelNames: setup.labelNames,
      maxCardinality: setup.maxCardinality,
      create: (values) => ({ values, value: 0 }),
      refused: (labels) => setup.refused(setup.name, labels),
    });
    const name = this.name;
    const result: ObservableResult<L> = {
      observe(a: LabelSet<L> | number, b?: number): void {
        const labeled = isLabels(a);
        const value = labeled ? b : a;
        if (typeof value !== "number") throw invalidValue(name, value, "observe a number");
        const s = index.get(labeled ? a : undefined);
        if (s !== undefined) s.value = value;
      },
    };
    await this.#callback(result);
    const series: SeriesSnapshot[] = [];
    for (const s of index.series()) {
      series.push({ labels: pairs(setup.labelNames, s.values), value: s.value });
    }
    return {
      name,
      help: setup.help,
      type: this.kind === "observableCounter" ? "counter" : "gauge",
      series,
    };
  }
}
