import { AsyncLocalStorage } from "node:async_hooks";
import { DiError } from "./errors.ts";
import type { ServiceScope } from "./service-provider.ts";

// One storage per process even if two copies of this package are loaded.
const storageKey = Symbol.for("@dext/core-di/scope-storage");
const holder = globalThis as { [storageKey]?: AsyncLocalStorage<ServiceScope> };
holder[storageKey] ??= new AsyncLocalStorage();
const storage: AsyncLocalStorage<ServiceScope> = holder[storageKey];

/**
 * Runs `fn` with `scope` as the current scope for its whole async call tree; concurrent calls
 * never see each other's scope. Arguments after `fn` are passed to it, so a hot path can hand
 * over its values without making a closure per call.
 *
 * @example
 * ```ts
 * await using scope = provider.createScope();
 * await runInScope(scope, async () => {
 *   currentScope().resolve(Db); // this request's Db
 * });
 * runInScope(scope, handle, request); // calls handle(request) in the scope
 * ```
 */
export function runInScope<R, A extends unknown[] = []>(
  scope: ServiceScope,
  fn: (...args: A) => R,
  ...args: A
): R {
  return storage.run(scope, fn, ...args);
}

/**
 * The scope bound by {@link runInScope} for the running async flow.
 * Throws `DI_NO_SCOPE` outside one.
 *
 * @example
 * ```ts
 * const db = currentScope().resolve(Db);
 * ```
 */
export function currentScope(): ServiceScope {
  const scope = storage.getStore();
  if (scope === undefined) {
    throw new DiError(
      "DI_NO_SCOPE",
      "currentScope() was called outside a scope: run the work inside runInScope(scope, fn) (the web layer does this for every request)",
    );
  }
  return scope;
}

/** Like {@link currentScope}, but `undefined` outside a scope. */
export function tryCurrentScope(): ServiceScope | undefined {
  return storage.getStore();
}
