import { NullableError } from "../errors.ts";
import { describeValue } from "./describe.ts";

type Numeric = number | bigint;

const isNumeric = (v: unknown): v is Numeric => typeof v === "number" || typeof v === "bigint";

// NaN sorts after every number and equals itself, as PostgreSQL orders numeric NaN, so numbers
// (and invalid Dates, whose time is NaN) get a total order that Array.prototype.sort can use.
function compareNumeric(a: Numeric, b: Numeric): -1 | 0 | 1 {
  const aNaN = typeof a === "number" && Number.isNaN(a);
  const bNaN = typeof b === "number" && Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The default order of two present values: numbers and bigints numerically (mixed too, NaN
 * last), strings by UTF-16 code unit (as `<` does), booleans with `false` first, Dates by time.
 * Anything else has no natural order and needs a comparer.
 */
export function defaultCompare(a: unknown, b: unknown): -1 | 0 | 1 {
  if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Date && b instanceof Date) return compareNumeric(a.getTime(), b.getTime());
  throw new NullableError(
    "NULLABLE_NOT_COMPARABLE",
    `cannot order ${describeValue(a)} and ${describeValue(b)}: without a comparer only numbers, bigints, strings, booleans and Dates of the same kind are ordered. Pass a comparer, e.g. compare(a, b, (x, y) => x.id - y.id).`,
  );
}
