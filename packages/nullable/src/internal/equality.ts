interface ValueObject {
  equals(other: unknown): unknown;
}

const hasEquals = (value: object): value is ValueObject =>
  typeof (value as Partial<ValueObject>).equals === "function";

/**
 * The default equality of two present values: SameValueZero for primitives (so `NaN` equals
 * `NaN` and `0` equals `-0`; bigints by value), Dates by their time, and objects that carry an
 * `equals` method (value objects, immutable collections, nested Nullables) by that method.
 * Any other object is equal only to itself.
 */
export function defaultEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number") return typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return false;
  if (a instanceof Date) {
    if (!(b instanceof Date)) return false;
    const x = a.getTime();
    const y = b.getTime();
    return x === y || (Number.isNaN(x) && Number.isNaN(y));
  }
  return hasEquals(a) ? Boolean(a.equals(b)) : false;
}
