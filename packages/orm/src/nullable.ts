// The one place @dext/orm builds and reads Nullable values (issue: wire @dext/nullable in
// when it lands). Until then this is a small structural stand-in with the same method names.

/**
 * A value that may be absent, as `.asNullable()` columns read: `isSome()` narrows,
 * `getOrElse()` unwraps, `toJSON()` writes the value or `null`.
 *
 * @example
 * ```ts
 * const bio = user.bio.map((b) => b.trim()).getOrElse("(no bio)");
 * ```
 */
export interface Nullable<T> {
  isSome(): boolean;
  isNone(): boolean;
  map<U>(fn: (value: T) => U): Nullable<U>;
  getOrElse<U>(fallback: U): T | U;
  toJSON(): T | null;
}

class Some<T> implements Nullable<T> {
  readonly value: T;
  constructor(value: T) {
    this.value = value;
    Object.freeze(this);
  }
  isSome(): boolean {
    return true;
  }
  isNone(): boolean {
    return false;
  }
  map<U>(fn: (value: T) => U): Nullable<U> {
    return toNullable(fn(this.value));
  }
  getOrElse<U>(_fallback: U): T | U {
    return this.value;
  }
  toJSON(): T | null {
    return this.value;
  }
}

class None implements Nullable<never> {
  isSome(): boolean {
    return false;
  }
  isNone(): boolean {
    return true;
  }
  map<U>(): Nullable<U> {
    return none;
  }
  getOrElse<U>(fallback: U): U {
    return fallback;
  }
  toJSON(): null {
    return null;
  }
}

const none: Nullable<never> = Object.freeze(new None());

/** @internal Wraps a database value for an `.asNullable()` column. */
export function toNullable<T>(value: T | null | undefined): Nullable<T> {
  return value === null || value === undefined ? none : new Some(value);
}

/** @internal The plain value (or `null`) behind a `Nullable`, for writes and change detection. */
export function fromNullable(value: unknown): unknown {
  if (value instanceof Some) return value.value;
  if (value instanceof None) return null;
  return value;
}

/** @internal True for values this seam produced. */
export function isNullableValue(value: unknown): boolean {
  return value instanceof Some || value instanceof None;
}
