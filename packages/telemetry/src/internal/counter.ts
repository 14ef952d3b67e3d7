import type { BoundCounter, Counter, LabelSet } from "../metrics/types.ts";
import {
  type AnyLabels,
  invalidValue,
  isLabels,
  ValueInstrument,
  type ValueSeries,
} from "./instrument.ts";

const mustBePositive =
  "a counter only goes up: pass a value >= 0 (use an up-down counter or a gauge for values that go down)";

export class CounterImpl<L extends string> extends ValueInstrument<L> implements Counter<L> {
  readonly kind = "counter" as const;
  protected readonly type = "counter" as const;

  inc(a?: LabelSet<L> | number, b?: number): void {
    let labels: AnyLabels | undefined;
    let value: number;
    if (isLabels(a)) {
      labels = a;
      value = b ?? 1;
    } else {
      value = a ?? 1;
    }
    if (!(value >= 0)) throw invalidValue(this.name, value, mustBePositive);
    const s = this.index.get(labels);
    if (s !== undefined) s.value += value;
  }

  labels(labels: LabelSet<L>): BoundCounter {
    const s = this.index.get(labels);
    // A refused label set keeps asking the index, so each use is counted as a refusal and
    // the series is created once a slot frees up.
    if (s === undefined) return { inc: (value) => this.inc(labels, value) };
    s.bound ??= bind(this.name, s);
    return s.bound as BoundCounter;
  }
}

function bind(name: string, s: ValueSeries): BoundCounter {
  return {
    inc(value = 1): void {
      if (!(value >= 0)) throw invalidValue(name, value, mustBePositive);
      s.value += value;
    },
  };
}
