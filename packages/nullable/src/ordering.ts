import { NullableError } from "./errors.ts";
import { defaultCompare } from "./internal/default-compare.ts";
import { Nullable } from "./nullable.ts";

/** The result of comparing two values: negative, zero or positive, normalised to -1, 0, 1. */
export type Ordering = -1 | 0 | 1;

/** Orders two present values like an `Array#sort` comparator: negative, zero or positive. */
export type Comparer<T> = (a: T, b: T) => number;

/** Values with a default order: numbers and bigints, strings, booleans and Dates. */
export type Comparable = number | bigint | string | boolean | Date;

/** Options of `compareTotal`. */
export interface TotalOrderOptions<T> {
  /** Where none sorts: after every value (`"last"`, the default) or before (`"first"`). */
  readonly none?: "first" | "last";
  /** Orders two present values; required when `T` is not `Comparable`. */
  readonly compare?: Comparer<T>;
}

// Shared by every caller, so frozen in every mode.
const orderings = [-1 as const, 0 as const, 1 as const].map((n) => Object.freeze(Nullable.of(n)));

function order<T>(a: T, b: T, comparer: Comparer<T> | undefined): Ordering {
  if (!comparer) return defaultCompare(a, b);
  const c = comparer(a, b);
  if (typeof c !== "number" || Number.isNaN(c)) {
    throw new NullableError(
      "NULLABLE_INVALID_ARGUMENT",
      `the comparer returned ${String(c)}; it must return a negative number, zero or a positive number.`,
    );
  }
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/**
 * Compares two Nullables the SQL way: when either is none the answer is unknown, so the result
 * is none; otherwise `Nullable.of(-1 | 0 | 1)`. Map it to a `Nullable<boolean>` to keep
 * three-valued logic going (`compare(a, b).map((c) => c < 0)`).
 *
 * @example
 * ```ts
 * compare(Nullable.of(1), Nullable.of(2)); // Nullable.of(-1)
 * compare(Nullable.of(1), Nullable.none<number>()); // none: unknown
 * ```
 */
export function compare<T extends Comparable>(a: Nullable<T>, b: Nullable<T>): Nullable<Ordering>;
export function compare<T>(
  a: Nullable<T>,
  b: Nullable<T>,
  comparer: Comparer<T>,
): Nullable<Ordering>;
export function compare<T>(
  a: Nullable<T>,
  b: Nullable<T>,
  comparer?: Comparer<T>,
): Nullable<Ordering> {
  const x = a.value;
  const y = b.value;
  if (x === undefined || y === undefined) return Nullable.none();
  return orderings[order(x, y, comparer) + 1]!;
}

function known<T>(a: Nullable<T>, b: Nullable<T>, comparer: Comparer<T> | undefined): number {
  const x = a.value;
  const y = b.value;
  // NaN is never < 0, > 0 or === 0, so every predicate below is false for unknown.
  return x === undefined || y === undefined ? Number.NaN : order(x, y, comparer);
}

/**
 * `a < b` for Nullables, SQL-like: `false` when either is none (unknown is not true).
 * So `lt(a, b)` and `ge(a, b)` can both be false; use `compare` for three-valued results.
 *
 * @example
 * ```ts
 * lt(Nullable.of(1), Nullable.of(2)); // true
 * lt(Nullable.none<number>(), Nullable.of(2)); // false
 * ```
 */
export function lt<T extends Comparable>(a: Nullable<T>, b: Nullable<T>): boolean;
export function lt<T>(a: Nullable<T>, b: Nullable<T>, comparer: Comparer<T>): boolean;
export function lt<T>(a: Nullable<T>, b: Nullable<T>, comparer?: Comparer<T>): boolean {
  return known(a, b, comparer) < 0;
}

/**
 * `a <= b` for Nullables, SQL-like: `false` when either is none.
 *
 * @example
 * ```ts
 * le(Nullable.of(2), Nullable.of(2)); // true
 * ```
 */
export function le<T extends Comparable>(a: Nullable<T>, b: Nullable<T>): boolean;
export function le<T>(a: Nullable<T>, b: Nullable<T>, comparer: Comparer<T>): boolean;
export function le<T>(a: Nullable<T>, b: Nullable<T>, comparer?: Comparer<T>): boolean {
  return known(a, b, comparer) <= 0;
}

/**
 * `a > b` for Nullables, SQL-like: `false` when either is none.
 *
 * @example
 * ```ts
 * gt(Nullable.of(new Date(1)), Nullable.of(new Date(0))); // true
 * ```
 */
export function gt<T extends Comparable>(a: Nullable<T>, b: Nullable<T>): boolean;
export function gt<T>(a: Nullable<T>, b: Nullable<T>, comparer: Comparer<T>): boolean;
export function gt<T>(a: Nullable<T>, b: Nullable<T>, comparer?: Comparer<T>): boolean {
  return known(a, b, comparer) > 0;
}

/**
 * `a >= b` for Nullables, SQL-like: `false` when either is none.
 *
 * @example
 * ```ts
 * ge(Nullable.of("b"), Nullable.of("a")); // true
 * ```
 */
export function ge<T extends Comparable>(a: Nullable<T>, b: Nullable<T>): boolean;
export function ge<T>(a: Nullable<T>, b: Nullable<T>, comparer: Comparer<T>): boolean;
export function ge<T>(a: Nullable<T>, b: Nullable<T>, comparer?: Comparer<T>): boolean {
  return known(a, b, comparer) >= 0;
}

/**
 * A total order for sorting: none equals none and sorts after every value (`NULLS LAST`, as
 * PostgreSQL sorts ascending) unless `{ none: "first" }`; values use the default order or
 * `options.compare`. Use it with `Array#sort`.
 *
 * @example
 * ```ts
 * const prices = [Nullable.of(3), Nullable.none<number>(), Nullable.of(1)];
 * prices.sort(compareTotal); // [1, 3, none]
 * prices.sort((a, b) => compareTotal(a, b, { none: "first" })); // [none, 1, 3]
 * ```
 */
export function compareTotal<T extends Comparable>(
  a: Nullable<T>,
  b: Nullable<T>,
  options?: TotalOrderOptions<T>,
): Ordering;
export function compareTotal<T>(
  a: Nullable<T>,
  b: Nullable<T>,
  options: TotalOrderOptions<T> & { readonly compare: Comparer<T> },
): Ordering;
export function compareTotal<T>(
  a: Nullable<T>,
  b: Nullable<T>,
  options?: TotalOrderOptions<T>,
): Ordering {
  const x = a.value;
  const y = b.value;
  if (x !== undefined && y !== undefined) return order(x, y, options?.compare);
  if (x === y) return 0;
  const noneLast = options?.none !== "first";
  return (x === undefined) === noneLast ? 1 : -1;
}
