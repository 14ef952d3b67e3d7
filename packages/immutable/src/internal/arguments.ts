import { ImmutableError } from "../errors.ts";

/**
 * Resolves a possibly negative integer `index` against `size` (like `Array.prototype.at`), or
 * throws a typed error naming the method and the valid range. `allowEnd` admits `size` itself.
 */
export function resolveIndex(
  method: string,
  index: number,
  size: number,
  allowEnd: boolean,
): number {
  if (!Number.isInteger(index)) {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `${method}(${describe(index)}): the index must be an integer (negative counts from the end)`,
    );
  }
  const i = index < 0 ? index + size : index;
  if (i < 0 || i > size || (i === size && !allowEnd)) {
    const last = allowEnd ? size : size - 1;
    throw new ImmutableError(
      "IMMUTABLE_INDEX_OUT_OF_RANGE",
      size === 0 && !allowEnd
        ? `${method}(${index}): the collection is empty`
        : `${method}(${index}): the index must be within ${-size}..${last} for a collection of ${size} elements`,
    );
  }
  return i;
}

/** Resolves a `slice` bound like `Array.prototype.slice`: negative from the end, clamped. */
export function resolveBound(
  method: string,
  bound: number | undefined,
  size: number,
  fallback: number,
): number {
  if (bound === undefined) return fallback;
  if (typeof bound !== "number" || Number.isNaN(bound)) {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `${method}: the bound ${describe(bound)} is not a number; pass an integer (negative counts from the end) or leave it out`,
    );
  }
  const b = Math.trunc(bound);
  return b < 0 ? Math.max(0, size + b) : Math.min(b, size);
}

/** Throws unless `fn` is a function. */
export function requireFunction(method: string, name: string, fn: unknown): void {
  if (typeof fn !== "function") {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `${method}: ${name} must be a function, got ${describe(fn)}`,
    );
  }
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || (typeof value !== "object" && typeof value !== "function"))
    return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "function"
    ? "a function"
    : `an object (${value.constructor?.name ?? "null prototype"})`;
}

/** Throws unless `values` is iterable or array-like (strings included). */
export function requireIterable(method: string, values: unknown): void {
  if (
    values === null ||
    (typeof values !== "object" && typeof values !== "string") ||
    (typeof (values as Iterable<unknown>)[Symbol.iterator] !== "function" &&
      typeof (values as ArrayLike<unknown>).length !== "number")
  ) {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `${method}: expected an iterable or an array-like, got ${describe(values)}`,
    );
  }
}
