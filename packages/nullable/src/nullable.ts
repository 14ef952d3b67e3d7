import { all } from "./combine.ts";
import { NullableError } from "./errors.ts";
import { inspectSymbol, nullableBrand } from "./internal/brand.ts";
import { describeValue } from "./internal/describe.ts";
import { defaultEquals } from "./internal/equality.ts";
import { freezeOutsideProduction, freezesInstances } from "./internal/freeze.ts";
import { fromJSON, revive } from "./serialization.ts";

/** A `Nullable<T>` known to hold a value: `value` is `T`. */
export type Some<T> = Nullable<T> & { readonly value: T };

/** A `Nullable<T>` known to be empty: `value` is `undefined`. */
export type None<T = never> = Nullable<T> & { readonly value: undefined };

/** Decides whether two present values are equal (see `Nullable#equals`). */
export type Equivalence<T> = (a: T, b: T) => boolean;

/** What `Nullable#toJSON` writes: the value as `JSON.stringify` would write it, or `null`. */
export type NullableJson<T> = (T extends { toJSON(...args: any[]): infer J } ? J : T) | null;

/** The cases `Nullable#match` dispatches on. */
export interface MatchCases<T, A, B> {
  readonly some: (value: T) => A;
  readonly none: () => B;
}

// A module `const`, like `none` and `NullableClass` below: see `NullableClass` for why.
const freezes = freezesInstances;

/**
 * An immutable optional value: either some value (never `null` or `undefined`) or the single
 * shared `none`. Instances are immutable and safe to share (frozen outside production, where
 * `Object.freeze` costs five times the allocation; `none` always); chain them with `map`, `bind`
 * and `getOrElse` instead of repeating `null` checks.
 *
 * @example
 * ```ts
 * const email = Nullable.from(user.email)      // string | null -> Nullable<string>
 *   .map((e) => e.trim().toLowerCase())
 *   .filter((e) => e.includes("@"))
 *   .getOrElse("unknown");
 * ```
 */
export class Nullable<T> {
  /** The value, or `undefined` for none; narrowed to `T` by `isSome()`. */
  readonly value: T | undefined;

  private constructor(value: T | undefined) {
    this.value = value;
    if (freezes) Object.freeze(this);
  }

  /**
   * Wraps a present value; `null` and `undefined` are rejected (use `from` for those).
   * @example
   * ```ts
   * Nullable.of(42).getOrElse(0); // 42
   * ```
   */
  static of<T extends {}>(value: T): Nullable<T> {
    if (value === null || value === undefined) {
      throw new NullableError(
        "NULLABLE_NULL_VALUE",
        `Nullable.of(${value}) needs a present value; use Nullable.from(value) to turn null and undefined into none.`,
      );
    }
    return new NullableClass(value);
  }

  /**
   * The shared empty value, typed for `T`.
   * @example
   * ```ts
   * const missing = Nullable.none<string>(); // missing.isNone() === true
   * ```
   */
  static none<T = never>(): Nullable<T> {
    return none;
  }

  /**
   * Wraps a value that may be `null` or `undefined`; both become none.
   * @example
   * ```ts
   * Nullable.from(row.deletedAt as Date | null); // Nullable<Date>
   * ```
   */
  static from<T extends {}>(value: T | null | undefined): Nullable<T> {
    return value === null || value === undefined ? none : new NullableClass(value);
  }

  /**
   * Reads what `toJSON` wrote (`null` or the value), decoding present values with `decode`.
   * @example
   * ```ts
   * const at = Nullable.fromJSON(JSON.parse(text).at, (v) => new Date(v as string));
   * ```
   */
  static readonly fromJSON: typeof fromJSON = fromJSON;

  /**
   * Restores a Nullable that lost its prototype to `structuredClone` or `postMessage` (a plain
   * `{ value }` object); a Nullable passes through unchanged.
   * @example
   * ```ts
   * const copy = Nullable.revive<number>(structuredClone(Nullable.of(1))); // Nullable<number>
   * ```
   */
  static readonly revive: typeof revive = revive;

  /**
   * Combines several Nullables (a tuple, an iterable or a record of them) into one holding all
   * their values, or none as soon as one is none.
   * @example
   * ```ts
   * Nullable.all({ lat: Nullable.of(52.5), lon: Nullable.of(13.4) }); // Nullable<{ lat, lon }>
   * ```
   */
  static readonly all: typeof all = all;

  /**
   * Tells whether `value` is a Nullable (from any installed copy of this package).
   * @example
   * ```ts
   * Nullable.isNullable(Nullable.of(1)); // true
   * ```
   */
  static isNullable(value: unknown): value is Nullable<unknown> {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[nullableBrand] === true
    );
  }

  /**
   * `nullable.isSome()` as a function, for `Array#filter` and other callbacks.
   * @example
   * ```ts
   * const present = list.filter(Nullable.isSome).map((n) => n.value); // T[]
   * ```
   */
  static isSome<T>(nullable: Nullable<T>): nullable is Some<T> {
    return nullable.value !== undefined;
  }

  /**
   * `nullable.isNone()` as a function.
   * @example
   * ```ts
   * const missing = list.filter(Nullable.isNone).length;
   * ```
   */
  static isNone<T>(nullable: Nullable<T>): nullable is None<T> {
    return nullable.value === undefined;
  }

  /**
   * Tells whether a value is present, narrowing `value` to `T`.
   * @example
   * ```ts
   * if (name.isSome()) name.value.toUpperCase();
   * ```
   */
  isSome(): this is Some<T> {
    return this.value !== undefined;
  }

  /**
   * Tells whether this is none, narrowing `value` to `undefined`.
   * @example
   * ```ts
   * if (name.isNone()) return "anonymous";
   * ```
   */
  isNone(): this is None<T> {
    return this.value === undefined;
  }

  /**
   * Transforms the value; a `null` or `undefined` result becomes none, none stays none.
   * @example
   * ```ts
   * Nullable.of(" a ").map((s) => s.trim()); // Nullable.of("a")
   * ```
   */
  map<U extends {}>(f: (value: T) => U | null | undefined): Nullable<U> {
    const value = this.value;
    if (value === undefined) return none;
    const result = f(value);
    return result === null || result === undefined ? none : new NullableClass(result);
  }

  /**
   * Chains a step that itself returns a Nullable (flatMap), so results never nest.
   * @example
   * ```ts
   * Nullable.of("42").bind((s) => (Number.isNaN(+s) ? Nullable.none() : Nullable.of(+s)));
   * ```
   */
  bind<U>(f: (value: T) => Nullable<U>): Nullable<U> {
    const value = this.value;
    return value === undefined ? none : f(value);
  }

  /**
   * Removes one level of nesting: `Nullable<Nullable<U>>` becomes `Nullable<U>`.
   * @example
   * ```ts
   * Nullable.of(Nullable.of(1)).flatten(); // Nullable.of(1)
   * ```
   */
  flatten<U>(this: Nullable<Nullable<U>>): Nullable<U> {
    return this.value === undefined ? none : this.value;
  }

  /**
   * Calls `some` with the value or `none` without, and returns what the call returns.
   * @example
   * ```ts
   * const label = count.match({ some: (n) => `${n} items`, none: () => "unknown" });
   * ```
   */
  match<A, B = A>(cases: MatchCases<T, A, B>): A | B {
    const value = this.value;
    return value === undefined ? cases.none() : cases.some(value);
  }

  /**
   * Keeps the value only when `predicate` accepts it; a type guard narrows the result.
   * @example
   * ```ts
   * Nullable.of(-1).filter((n) => n > 0); // none
   * ```
   */
  filter<S extends T>(predicate: (value: T) => value is S): Nullable<S>;
  filter(predicate: (value: T) => boolean): Nullable<T>;
  filter(predicate: (value: T) => boolean): Nullable<T> {
    const value = this.value;
    return value !== undefined && predicate(value) ? this : none;
  }

  /**
   * Runs a side effect with the value, if any, and returns this Nullable unchanged.
   * @example
   * ```ts
   * user.tap((u) => log.info({ id: u.id }, "found")).map((u) => u.name);
   * ```
   */
  tap(f: (value: T) => void): this {
    const value = this.value;
    if (value !== undefined) f(value);
    return this;
  }

  /**
   * Pairs this value with another: some only when both are (see `Nullable.all` for more).
   * @example
   * ```ts
   * Nullable.of(1).zip(Nullable.of("a")); // Nullable.of([1, "a"])
   * ```
   */
  zip<U>(other: Nullable<U>): Nullable<readonly [T, U]> {
    const a = this.value;
    const b = other.value;
    return a === undefined || b === undefined
      ? none
      : new NullableClass(freezeOutsideProduction([a, b] as const));
  }

  /**
   * The value, or `fallback` for none.
   * @example
   * ```ts
   * Nullable.from(query.limit).getOrElse(20);
   * ```
   */
  getOrElse<U>(fallback: U): T | U {
    const value = this.value;
    return value === undefined ? fallback : value;
  }

  /**
   * The value, or what `compute` returns for none (called only then).
   * @example
   * ```ts
   * cached.getOrCompute(() => loadSettings());
   * ```
   */
  getOrCompute<U>(compute: () => U): T | U {
    const value = this.value;
    return value === undefined ? compute() : value;
  }

  /**
   * The value, or `null` for none (what a database column or JSON field expects).
   * @example
   * ```ts
   * await db.updateTable("users").set({ bio: bio.getOrNull() }).execute();
   * ```
   */
  getOrNull(): T | null {
    const value = this.value;
    return value === undefined ? null : value;
  }

  /**
   * The value; throws a `NullableError` with code `NULLABLE_NONE` naming `what` for none.
   * @example
   * ```ts
   * const email = user.email.getOrThrow("user.email");
   * ```
   */
  getOrThrow(what = "value"): T {
    const value = this.value;
    if (value !== undefined) return value;
    throw new NullableError(
      "NULLABLE_NONE",
      `expected a ${what} but it is none: check isSome() first, or use getOrElse(...) for a fallback.`,
    );
  }

  /**
   * The value; throws what `makeError` returns for none.
   * @example
   * ```ts
   * user.getOrThrowWith(() => new NotFoundError("user 42"));
   * ```
   */
  getOrThrowWith(makeError: () => unknown): T {
    const value = this.value;
    if (value !== undefined) return value;
    throw makeError();
  }

  /**
   * This Nullable when it has a value, else `alternative` (or what it returns, called lazily).
   * @example
   * ```ts
   * const name = nickname.orElse(() => fullName);
   * ```
   */
  orElse<U>(alternative: Nullable<U> | (() => Nullable<U>)): Nullable<T | U> {
    if (this.value !== undefined) return this;
    return typeof alternative === "function" ? alternative() : alternative;
  }

  /**
   * Structural equality: none equals none; two values are compared by `equivalence` or by
   * default SameValueZero for primitives, time for Dates and an `equals` method for objects.
   * @example
   * ```ts
   * Nullable.of(new Date(0)).equals(Nullable.of(new Date(0))); // true
   * ```
   */
  equals(other: Nullable<T>, equivalence?: Equivalence<T>): boolean {
    const a = this.value;
    const b = other.value;
    if (a === undefined || b === undefined) return a === b;
    return equivalence ? equivalence(a, b) : defaultEquals(a, b);
  }

  /**
   * What `JSON.stringify` writes: the value exactly as it would write the bare value, or `null`.
   * @example
   * ```ts
   * JSON.stringify({ bio: Nullable.none(), age: Nullable.of(3) }); // {"bio":null,"age":3}
   * ```
   */
  toJSON(key?: string): NullableJson<T> {
    const value = this.value as { toJSON?: (key: string) => unknown } | undefined;
    if (value === undefined) return null;
    // JSON.stringify calls toJSON only once, so a Date inside must be converted here.
    return (
      typeof value.toJSON === "function" ? value.toJSON(key ?? "") : value
    ) as NullableJson<T>;
  }

  /**
   * A readable form for logs: `Nullable.of(42)` or `Nullable.none`.
   * @example
   * ```ts
   * String(Nullable.of("a")); // 'Nullable.of("a")'
   * ```
   */
  toString(): string {
    return this.value === undefined ? "Nullable.none" : `Nullable.of(${describeValue(this.value)})`;
  }

  /**
   * Iterates over the value, if any: zero or one element, for `for...of` and spreading.
   * @example
   * ```ts
   * const tags = [...primaryTag, ...otherTags];
   * ```
   */
  [Symbol.iterator](): Iterator<T> {
    return (this.value === undefined ? [] : [this.value])[Symbol.iterator]();
  }
}

/**
 * The class under a module-level `const`; every `new` in this module goes through it. Where V8
 * inlines `from`, `map`, `bind` and `of` into a hot loop, it folds module `const`s (this one,
 * `none` and `freezes`) to constants, but not the class's own name inside its body, a `let` or an
 * import: it checks those for initialization on every use, and the imported flag would leave an
 * `Object.freeze` branch in production code. Each such check is a possible call into the runtime,
 * and when one is inlined into a callback (`bind((x) => Nullable.of(x + 1))`), V8 keeps that
 * callback allocated in case the call deoptimizes: one more allocation per call (see the
 * README's Performance section). The cast opens the private constructor to this module only.
 */
const NullableClass = Nullable as unknown as new <T>(value: T | undefined) => Nullable<T>;

/** The single shared none, frozen in every mode. */
const none: Nullable<never> = Object.freeze(new NullableClass<never>(undefined));

Object.defineProperty(Nullable.prototype, nullableBrand, { value: true });
Object.defineProperty(Nullable.prototype, inspectSymbol, {
  value(
    this: Nullable<unknown>,
    _depth: number,
    options: unknown,
    inspect: (v: unknown, o: unknown) => string,
  ) {
    return this.value === undefined
      ? "Nullable.none"
      : `Nullable.of(${inspect(this.value, options)})`;
  },
});
