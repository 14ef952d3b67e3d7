/** True when `value` has something Dext can call to dispose it. */
export function isDisposable(value: unknown): boolean {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  const v = value as Record<PropertyKey, unknown>;
  return (
    typeof v[Symbol.asyncDispose] === "function" ||
    typeof v[Symbol.dispose] === "function" ||
    typeof v.dispose === "function"
  );
}

/** Disposes one instance: `Symbol.asyncDispose`, else `Symbol.dispose`, else `dispose()`. */
export async function disposeOne(value: unknown): Promise<void> {
  const v = value as Record<PropertyKey, (() => unknown) | undefined>;
  const asyncDispose = v[Symbol.asyncDispose];
  if (typeof asyncDispose === "function") return void (await asyncDispose.call(v));
  const syncDispose = v[Symbol.dispose];
  if (typeof syncDispose === "function") return void syncDispose.call(v);
  if (typeof v.dispose === "function") await v.dispose.call(v);
}

/**
 * Disposes `items` in reverse order, one after another (a service is disposed before what it
 * depends on), and returns every failure instead of stopping at the first.
 */
export async function disposeReverse(items: readonly unknown[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    try {
      await disposeOne(items[i]);
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}
