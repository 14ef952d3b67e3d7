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
 * never see each other's scope.
 *
 * @example
 * ```ts
 * await using scope = provider.createScope();
 * await runInScope(scope, async () => {
 *   currentScope().resolve(Db); // this request's Db
 * });
 * ```
 */
export function runInScope<R>(scope: ServiceScope, fn: () => R): R {
  return storage.run(scope, fn);
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
