// The one place @dext/orm freezes what no-tracking reads return (issue: wire @dext/immutable's
// freezeDeep and Snapshot<T> in when they land).
import type { Nullable } from "./nullable.ts";

/**
 * A deep-readonly view of `T`: what no-tracking reads return. The objects are frozen at run
 * time too, so a write throws in strict mode instead of silently changing shared data.
 *
 * @example
 * ```ts
 * const user: Snapshot<Row<typeof User>> = await db.find(User, 1);
 * user.name = "x"; // compile error, and a TypeError at run time
 * ```
 */
export type Snapshot<T> = T extends (...args: any[]) => unknown
  ? T
  : T extends Date | Uint8Array | Nullable<any>
    ? T
    : T extends ReadonlyArray<infer U>
      ? ReadonlyArray<Snapshot<U>>
      : T extends ReadonlyMap<infer K, infer V>
        ? ReadonlyMap<K, Snapshot<V>>
        : T extends ReadonlySet<infer V>
          ? ReadonlySet<Snapshot<V>>
          : T extends object
            ? { readonly [K in keyof T]: Snapshot<T[K]> }
            : T;

/**
 * @internal Freezes a value and everything reachable from it (rows, included relations, JSON
 * columns). Typed arrays cannot be frozen and are left as they are; cycles are handled.
 */
export function freezeSnapshot<T>(value: T): Snapshot<T> {
  deepFreeze(value);
  return value as Snapshot<T>;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  if (ArrayBuffer.isView(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k);
      deepFreeze(v);
    }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) deepFreeze(v);
    return;
  }
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}

/**
 * @internal Freezes a freshly hydrated row: its own fields are primitives except for JSON,
 * dates and bytes, so only those need the deep walk.
 */
export function freezeRow<T extends object>(row: T, deepKeys: readonly string[]): T {
  for (let i = 0; i < deepKeys.length; i++)
    deepFreeze((row as Record<string, unknown>)[deepKeys[i]!]);
  return Object.freeze(row);
}
