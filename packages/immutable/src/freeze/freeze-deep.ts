import { ImmutableError } from "../errors.ts";
import { describe } from "../internal/arguments.ts";
import { freezeGraph, isFrozenRoot } from "../internal/freeze/walk.ts";
import type { Snapshot } from "./snapshot.ts";

/**
 * Options of {@link freezeDeep}.
 *
 * @example
 * ```ts
 * import { freezeDeep, type FreezeDeepOptions } from "@dext/immutable";
 *
 * const lenient: FreezeDeepOptions = { typedArrays: "allow" };
 * const row = freezeDeep({ id: 1, avatar: new Uint8Array([1, 2]) }, lenient);
 * ```
 */
export interface FreezeDeepOptions {
  /**
   * What to do with a non-empty typed array, `DataView`, `ArrayBuffer` or `SharedArrayBuffer`,
   * whose bytes no JavaScript engine can freeze: `"throw"` (the default) fails with
   * `IMMUTABLE_UNFREEZABLE` naming its path; `"allow"` leaves it mutable inside the snapshot
   * (its `Snapshot` type stays read-only).
   */
  readonly typedArrays?: "throw" | "allow";
}

/**
 * Freezes `value` and everything reachable from it, in place, and returns it typed as a
 * {@link Snapshot}. Handles cycles and shared references; Dates, Maps, Sets, WeakMaps and
 * WeakSets get read-only methods (their setters throw `IMMUTABLE_FROZEN`); functions and
 * prototypes are left alone. Freezing the same root again is O(1).
 *
 * @example
 * ```ts
 * import { freezeDeep } from "@dext/immutable";
 *
 * const row = freezeDeep({ id: 1, tags: ["a"], seen: new Date(0), meta: new Map([["k", 1]]) });
 * Object.isFrozen(row.tags); // true
 * // row.tags.push("b") throws a TypeError; row.meta.set("k", 2) throws ImmutableError IMMUTABLE_FROZEN
 * ```
 */
export function freezeDeep<T>(value: T, options?: FreezeDeepOptions): Snapshot<T> {
  const policy = options?.typedArrays ?? "throw";
  if (policy !== "throw" && policy !== "allow") {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_ARGUMENT",
      `freezeDeep: typedArrays must be "throw" or "allow", got ${describe(policy)}`,
    );
  }
  if (typeof value === "object" && value !== null && !isFrozenRoot(value, policy)) {
    freezeGraph(value, policy);
  }
  return value as Snapshot<T>;
}
