// The one place @dext/orm builds and reads Nullable values: `.asNullable()` columns read as
// @dext/nullable's Nullable<T>, and writes accept one as well as a plain value or null.
import { Nullable } from "@dext/nullable";

export type { Nullable };

/** @internal Wraps a database value for an `.asNullable()` column. */
export function toNullable<T>(value: T | null | undefined): Nullable<T> {
  return Nullable.from(value as {} | null | undefined) as Nullable<T>;
}

/** @internal The plain value (or `null`) behind a `Nullable`, for writes and change detection. */
export function fromNullable(value: unknown): unknown {
  return value instanceof Nullable ? (value.value ?? null) : value;
}
