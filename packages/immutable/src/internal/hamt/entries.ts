import { ImmutableError } from "../../errors.ts";
import { describe } from "../arguments.ts";

/** Marks an absent key in lookups where `undefined` may be a stored value. */
export const NOT_FOUND: unique symbol = Symbol("not found");

/** Throws unless `source` is iterable (of `[key, value]` pairs, checked one by one). */
export function requireEntries(method: string, source: unknown): void {
  if (
    source === null ||
    typeof source !== "object" ||
    typeof (source as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `${method}: expected an iterable of [key, value] pairs (a Map, an ImmutableMap, an array of pairs), got ${describe(source)}; use ImmutableMap.fromObject for plain objects`,
    );
  }
}

/** Throws unless `entry` is a `[key, value]` pair. */
export function requirePair(
  method: string,
  entry: unknown,
): asserts entry is readonly [unknown, unknown] {
  if (
    entry === null ||
    typeof entry !== "object" ||
    typeof (entry as ArrayLike<unknown>).length !== "number"
  ) {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `${method}: every entry must be a [key, value] pair, got ${describe(entry)}`,
    );
  }
}
