import { freezeOutsideProduction } from "./internal/freeze.ts";
import { Nullable } from "./nullable.ts";

/** The values of a tuple or record of Nullables, as `Nullable.all` returns them. */
export type ValuesOf<N> = {
  readonly [K in keyof N]: N[K] extends Nullable<infer V> ? V : never;
};

/**
 * Combines Nullables: a tuple or iterable gives an array of their values, a record an object
 * with the same keys (both frozen outside production); the result is none as soon as any
 * input is none.
 *
 * @example
 * ```ts
 * const point = Nullable.all([Nullable.of(1), Nullable.of("a")]); // Nullable<readonly [number, string]>
 * const user = Nullable.all({ id: Nullable.of(1), name: Nullable.none<string>() }); // none
 * ```
 */
export function all<const N extends readonly Nullable<unknown>[]>(items: N): Nullable<ValuesOf<N>>;
export function all<T>(items: Iterable<Nullable<T>>): Nullable<readonly T[]>;
export function all<N extends Readonly<Record<string, Nullable<unknown>>>>(
  record: N,
): Nullable<ValuesOf<N>>;
export function all(
  items: Iterable<Nullable<unknown>> | Readonly<Record<string, Nullable<unknown>>>,
): Nullable<unknown> {
  if (Symbol.iterator in items) {
    const values: unknown[] = [];
    for (const item of items as Iterable<Nullable<unknown>>) {
      if (item.value === undefined) return Nullable.none();
      values.push(item.value);
    }
    return Nullable.of(freezeOutsideProduction(values));
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(items)) {
    const value = (items as Record<string, Nullable<unknown>>)[key]!.value;
    if (value === undefined) return Nullable.none();
    out[key] = value;
  }
  return Nullable.of(freezeOutsideProduction(out));
}
