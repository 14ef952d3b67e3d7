import { NullableError } from "./errors.ts";
import { describeValue } from "./internal/describe.ts";
import { Nullable } from "./nullable.ts";

/**
 * Reads what `Nullable#toJSON` wrote: `null` (or a missing field) is none, anything else is
 * the value, passed through `decode` first when given (a Date from its ISO string, a zod parse).
 *
 * @example
 * ```ts
 * const body = JSON.parse('{"at":"2024-01-01T00:00:00.000Z"}');
 * const at = Nullable.fromJSON(body.at, (v) => new Date(String(v))); // Nullable<Date>
 * ```
 */
export function fromJSON<T extends {}>(json: T | null | undefined): Nullable<T>;
export function fromJSON<T extends {}>(
  json: unknown,
  decode: (json: unknown) => T | null | undefined,
): Nullable<T>;
export function fromJSON(json: unknown, decode?: (json: unknown) => unknown): Nullable<{}> {
  if (json === null || json === undefined) return Nullable.none();
  return Nullable.from(decode ? decode(json) : json);
}

function isClonedNullable(clone: unknown): clone is { value: unknown } {
  if (typeof clone !== "object" || clone === null) return false;
  if (Object.getPrototypeOf(clone) !== Object.prototype) return false;
  const keys = Object.keys(clone);
  return keys.length === 1 && keys[0] === "value";
}

/**
 * Restores a Nullable after `structuredClone` or `postMessage`, which keep own fields but drop
 * prototypes: a Nullable arrives as the plain object `{ value }` (`value` is `undefined` for
 * none). A Nullable passes through unchanged; anything else throws `NULLABLE_NOT_REVIVABLE`.
 * `decode` checks or converts the present value (a nested Nullable needs its own revive).
 *
 * @example
 * ```ts
 * const copy = Nullable.revive(structuredClone(Nullable.of(1)), (v) => v as number);
 * ```
 */
export function revive<T extends {}>(
  clone: unknown,
  decode?: (value: unknown) => T | null | undefined,
): Nullable<T> {
  if (Nullable.isNullable(clone)) return clone as Nullable<T>;
  if (!isClonedNullable(clone)) {
    throw new NullableError(
      "NULLABLE_NOT_REVIVABLE",
      `Nullable.revive expected a Nullable or its structured clone (a plain object whose only key is "value") but got ${describeValue(clone)}.`,
    );
  }
  const value = clone.value;
  if (value === null || value === undefined) return Nullable.none();
  return Nullable.from((decode ? decode(value) : value) as T | null | undefined);
}
