// The one place @dext/orm freezes what no-tracking reads return: @dext/immutable's freezeDeep,
// typed as its Snapshot<T>.
import { freezeDeep, type Snapshot } from "@dext/immutable";

export type { Snapshot };

// Byte columns (Uint8Array) cannot be frozen by any engine; their Snapshot type stays read-only.
const options = { typedArrays: "allow" } as const;

/** @internal Freezes a value and everything reachable from it (rows, includes, JSON, dates). */
export function freezeSnapshot<T>(value: T): Snapshot<T> {
  return freezeDeep(value, options);
}

/**
 * @internal Freezes a freshly read row. A row whose columns are all primitives (or Nullable
 * values, which are frozen already) is deep-frozen by a shallow freeze, the common fast path;
 * rows with JSON, date or byte columns get the full walk.
 */
export function freezeRow<T extends object>(row: T, objectKeys: readonly string[]): T {
  return objectKeys.length === 0 ? Object.freeze(row) : (freezeDeep(row, options) as T);
}
