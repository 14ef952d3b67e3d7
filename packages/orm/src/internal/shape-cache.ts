import type { CompiledQuery } from "kysely";
import type { QueryOperation } from "./instrumentation.ts";

/** A placeholder value: where the value collected at `index` goes in the compiled SQL. */
export class Slot {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

/** SQL compiled once for a query shape, and how to lay the values of one call into it. */
export interface CompiledShape {
  readonly sql: string;
  readonly operation: QueryOperation;
  /** For each SQL parameter: the collected value's index, or -(constant index + 1). */
  readonly slots: readonly number[];
  readonly constants: readonly unknown[];
  /** The slots are 0..n-1 in order with no constants: the collected values go as they are. */
  readonly direct: boolean;
  /** Row array -> object, for row-returning shapes with explicit columns. */
  readonly hydrate: ((row: any) => Record<string, unknown>) | undefined;
}

/** Turns a compiled Kysely query built with {@link Slot}s into a reusable shape. */
export function toShape(
  compiled: CompiledQuery,
  operation: QueryOperation,
  hydrate?: (row: any) => Record<string, unknown>,
): CompiledShape {
  const constants: unknown[] = [];
  const slots = compiled.parameters.map((p) => {
    if (p instanceof Slot) return p.index;
    constants.push(p);
    return -constants.length;
  });
  return {
    sql: compiled.sql,
    operation,
    slots,
    constants,
    direct: constants.length === 0 && slots.every((s, i) => s === i),
    hydrate,
  };
}

/** The parameters of one execution of a shape. */
export function bind(shape: CompiledShape, values: readonly unknown[]): readonly unknown[] {
  if (shape.direct) return values;
  const out = new Array<unknown>(shape.slots.length);
  for (let i = 0; i < out.length; i++) {
    const s = shape.slots[i]!;
    out[i] = s >= 0 ? values[s] : shape.constants[-s - 1];
  }
  return out;
}

/**
 * Compiled shapes by key, per database. Bounded: an app that builds unbounded shapes (it should
 * not) evicts the oldest instead of growing forever.
 */
export class ShapeCache {
  readonly #map = new Map<string, CompiledShape>();
  readonly #max: number;
  /** Compilations so far: tests use it to prove a shape compiles once. */
  compiled = 0;

  constructor(max = 5000) {
    this.#max = max;
  }

  get(key: string): CompiledShape | undefined {
    return this.#map.get(key);
  }

  set(key: string, shape: CompiledShape): CompiledShape {
    if (this.#map.size >= this.#max) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(key, shape);
    this.compiled++;
    return shape;
  }

  get size(): number {
    return this.#map.size;
  }
}
