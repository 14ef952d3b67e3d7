import type {
  BoundGauge,
  BoundUpDownCounter,
  Gauge,
  LabelSet,
  UpDownCounter,
} from "../metrics/types.ts";
import {
  type AnyLabels,
  invalidValue,
  isLabels,
  ValueInstrument,
  type ValueSeries,
} from "./instrument.ts";

const finite = "pass a finite number";

/** Splits the `(labels, value)` and `(value)` call shapes. */
function args(
  a: unknown,
  b: number | undefined,
  fallback: number,
): [AnyLabels | undefined, number] {
  return isLabels(a) ? [a, b ?? fallback] : [undefined, (a as number | undefined) ?? fallback];
}

function bind(name: string, s: ValueSeries): BoundGauge {
  const add = (value: number): void => {
    if (!Number.isFinite(value)) throw invalidValue(name, value, finite);
    s.value += value;
  };
  return {
    inc: (value = 1) => add(value),
    dec: (value = 1) => add(-value),
    set: (value: number) => {
      if (typeof value !== "number") throw invalidValue(name, value, "pass a number");
      s.value = value;
    },
  };
}

/** Up-down counters and gauges: both add, both are exposed as Prometheus gauges. */
abstract class AdditiveInstrument<L extends string> extends ValueInstrument<L> {
  protected readonly type = "gauge" as const;

  inc(a?: LabelSet<L> | number, b?: number): void {
    const [labels, value] = args(a, b, 1);
    this.add(labels, value);
  }

  dec(a?: LabelSet<L> | number, b?: number): void {
    const [labels, value] = args(a, b, 1);
    this.add(labels, -value);
  }

  protected add(labels: AnyLabels | undefined, value: number): void {
    if (!Number.isFinite(value)) throw invalidValue(this.name, value, finite);
    const s = this.index.get(labels);
    if (s !== undefined) s.value += value;
  }

  protected bound(labels: LabelSet<L>): BoundGauge {
    const s = this.index.get(labels);
    if (s === undefined) {
      // Refused: every use asks again (and is counted) until a slot frees up.
      return {
        inc: (value = 1) => this.add(labels, value),
        dec: (value = 1) => this.add(labels, -value),
        set: (value) => {
          const again = this.index.get(labels);
          if (again !== undefined) again.value = value;
        },
      };
    }
    s.bound ??= bind(this.name, s);
    return s.bound as BoundGauge;
  }
}

export class UpDownCounterImpl<L extends string>
  extends AdditiveInstrument<L>
  implements UpDownCounter<L>
{
  readonly kind = "upDownCounter" as const;

  labels(labels: LabelSet<L>): BoundUpDownCounter {
    const { inc, dec } = this.bound(labels);
    return { inc, dec };
  }
}

export class GaugeImpl<L extends string> extends AdditiveInstrument<L> implements Gauge<L> {
  readonly kind = "gauge" as const;

  set(a: LabelSet<L> | number, b?: number): void {
    const [labels, value] = isLabels(a) ? [a, b] : [undefined, a];
    if (typeof value !== "number") throw invalidValue(this.name, value, "pass a number");
    const s = this.index.get(labels);
    if (s !== undefined) s.value = value;
  }

  labels(labels: LabelSet<L>): BoundGauge {
    return this.bound(labels);
  }
}
