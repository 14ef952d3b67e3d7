import { hashValue, valuesEqual } from "../../value-equality.ts";
import { someChunk } from "./iterator.ts";
import type { ListParts } from "./parts.ts";

// The read-only walks behind ImmutableList's query methods: one descent per leaf, then a plain
// loop over the leaf, with no iterator objects.

export function forEachValue(
  parts: ListParts,
  fn: (value: unknown, index: number) => unknown,
): void {
  someChunk(parts, (chunk, length, start) => {
    for (let j = 0; j < length; j++) fn(chunk[j], start + j);
    return false;
  });
}

export function findIndexOf(
  parts: ListParts,
  predicate: (value: unknown, index: number) => unknown,
): number {
  let found = -1;
  someChunk(parts, (chunk, length, start) => {
    for (let j = 0; j < length; j++) {
      if (predicate(chunk[j], start + j)) {
        found = start + j;
        return true;
      }
    }
    return false;
  });
  return found;
}

export function reduceValues<A>(
  parts: ListParts,
  reducer: (accumulator: A, value: unknown, index: number) => A,
  initial: A,
): A {
  let acc = initial;
  forEachValue(parts, (value, index) => {
    acc = reducer(acc, value, index);
  });
  return acc;
}

export function valuesToArray(parts: ListParts): unknown[] {
  const out: unknown[] = [];
  someChunk(parts, (chunk, length) => {
    for (let j = 0; j < length; j++) out.push(chunk[j]);
    return false;
  });
  return out;
}

/** An order-sensitive hash of the values, consistent with `valuesEqual`. */
export function hashValues(parts: ListParts): number {
  let h = 1;
  someChunk(parts, (chunk, length) => {
    for (let j = 0; j < length; j++) h = (Math.imul(31, h) + hashValue(chunk[j])) | 0;
    return false;
  });
  return h;
}

/** Whether the values equal, in order, those `theirs` yields (the caller checked the sizes). */
export function valuesMatch(parts: ListParts, theirs: Iterator<unknown>): boolean {
  return !someChunk(parts, (chunk, length) => {
    for (let j = 0; j < length; j++) {
      if (!valuesEqual(chunk[j], theirs.next().value)) return true;
    }
    return false;
  });
}
