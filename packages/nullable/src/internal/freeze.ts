/**
 * Whether instances and the arrays/records they hold are frozen. `Object.freeze` is a call into
 * the engine's runtime (about 30 ns, five times the allocation it guards), so production builds
 * skip it, as React does for its elements: the types already forbid writes (`readonly`), and
 * development and test runs, where a stray write should fail loudly, keep freezing. Read once,
 * when the module loads; shared instances (`none`, the logic and ordering constants) are frozen
 * in every mode.
 */
export const freezesInstances: boolean =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.NODE_ENV !== "production";

/** Freezes `value` unless this is a production run (see `freezesInstances`). */
export function freezeOutsideProduction<T>(value: T): T {
  return freezesInstances ? Object.freeze(value) : value;
}
