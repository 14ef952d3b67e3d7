import type { ImmutableList } from "../list/immutable-list.ts";
import type { ImmutableMap } from "../map/immutable-map.ts";

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

type DateSetter =
  | "setTime"
  | "setMilliseconds"
  | "setUTCMilliseconds"
  | "setSeconds"
  | "setUTCSeconds"
  | "setMinutes"
  | "setUTCMinutes"
  | "setHours"
  | "setUTCHours"
  | "setDate"
  | "setUTCDate"
  | "setMonth"
  | "setUTCMonth"
  | "setFullYear"
  | "setUTCFullYear";

/**
 * A `Date` without its setters: what a `Date` inside a {@link Snapshot} is. At runtime the
 * setters of a Date passed through `freezeDeep` throw `IMMUTABLE_FROZEN`.
 *
 * @example
 * ```ts
 * import { freezeDeep, type ReadonlyDate } from "@dext/immutable";
 *
 * const at: ReadonlyDate = freezeDeep(new Date(0));
 * at.getTime(); // 0
 * // at.setTime(1) is a type error, and throws ImmutableError IMMUTABLE_FROZEN at runtime
 * ```
 */
export type ReadonlyDate = Readonly<Omit<Date, DateSetter>>;

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

type TypedArrayMutator = "set" | "fill" | "copyWithin" | "reverse" | "sort";

/**
 * A typed array without its mutating methods and with a read-only index: what a typed array
 * inside a {@link Snapshot} is. Engines cannot freeze typed arrays, so `freezeDeep` rejects them
 * by default (see its `typedArrays` option); this type is the promise made by the snapshot.
 *
 * @example
 * ```ts
 * import type { ReadonlyTypedArray } from "@dext/immutable";
 *
 * const bytes: ReadonlyTypedArray<Uint8Array> = new Uint8Array([1, 2]);
 * bytes[0]; // 1
 * // bytes[0] = 3 and bytes.fill(0) are type errors
 * ```
 */
export type ReadonlyTypedArray<A extends TypedArray> = Readonly<Omit<A, TypedArrayMutator>>;

type DataViewSetter = Extract<keyof DataView, `set${string}`>;

/**
 * The deep-readonly view of `T`: every property, element, `Map` and `Set` entry, at any depth,
 * is read-only; `Date`s lose their setters. `freezeDeep(value)` returns its argument typed as
 * `Snapshot<T>`, and freezes it at runtime to match.
 *
 * @example
 * ```ts
 * import { freezeDeep, type Snapshot } from "@dext/immutable";
 *
 * interface User { name: string; roles: string[]; prefs: Map<string, string> }
 * const user: Snapshot<User> = freezeDeep({ name: "ada", roles: ["admin"], prefs: new Map() });
 * // user.name = "x", user.roles.push("y") and user.prefs.set("a", "b") are all type errors
 * ```
 */
export type Snapshot<T> = T extends Primitive
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends Date
      ? ReadonlyDate
      : T extends ImmutableList<infer U>
        ? ImmutableList<Snapshot<U>>
        : T extends ImmutableMap<infer K, infer V>
          ? ImmutableMap<Snapshot<K>, Snapshot<V>>
          : T extends ReadonlyMap<infer K, infer V>
            ? ReadonlyMap<Snapshot<K>, Snapshot<V>>
            : T extends ReadonlySet<infer U>
              ? ReadonlySet<Snapshot<U>>
              : T extends WeakMap<infer K extends WeakKey, infer V>
                ? Omit<WeakMap<K, Snapshot<V>>, "set" | "delete">
                : T extends WeakSet<infer U extends WeakKey>
                  ? Omit<WeakSet<U>, "add" | "delete">
                  : T extends TypedArray
                    ? ReadonlyTypedArray<T>
                    : T extends DataView
                      ? Readonly<Omit<DataView, DataViewSetter>>
                      : T extends ArrayBuffer | SharedArrayBuffer | Promise<unknown>
                        ? T
                        : { readonly [K in keyof T]: Snapshot<T[K]> };
