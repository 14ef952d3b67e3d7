import type { DependencyContainer } from "tsyringe";
import { type Plan, SINGLETON } from "./internal/plan.ts";
import { Resolver, RootState } from "./internal/resolver.ts";
import { tsyringeContainerFor } from "./internal/tsyringe-bridge.ts";
import type { Registration } from "./registration.ts";
import { runInScope } from "./scope-context.ts";
import type { ServiceKey } from "./token.ts";

/** What both the provider and its scopes can do: resolve services by key. */
export interface ServiceResolver {
  /**
   * The service registered last for `key`. Throws `DI_NOT_REGISTERED` for an unknown key,
   * `DI_SCOPED_FROM_ROOT` for a scoped service asked of the root provider, and
   * `DI_ASYNC_NOT_READY` for an async service not created yet.
   */
  resolve<T>(key: ServiceKey<T>): T;
  /** Like `resolve`, but `undefined` when nothing is registered for `key`. */
  tryResolve<T>(key: ServiceKey<T>): T | undefined;
  /** Every registration of `key`, in registration order (empty when none). */
  resolveAll<T>(key: ServiceKey<T>): T[];
  /** Resolves, awaiting async factories; concurrent first calls share one creation. */
  resolveAsync<T>(key: ServiceKey<T>): Promise<T>;
  isRegistered(key: ServiceKey): boolean;
  /**
   * A tsyringe `DependencyContainer` view of this provider or scope: it resolves the same
   * instances with the same lifetimes, for code written against tsyringe.
   */
  readonly container: DependencyContainer;
}

/**
 * A unit of work (a request, a job) with its own scoped instances. Disposing it disposes
 * what it created, in reverse creation order.
 *
 * @example
 * ```ts
 * await using scope = provider.createScope();
 * const db = scope.resolve(Db); // one per scope
 * ```
 */
export interface ServiceScope extends ServiceResolver, AsyncDisposable {
  readonly disposed: boolean;
  /** Runs `fn` with this scope as `currentScope()` across its async call tree. */
  run<R>(fn: () => R): R;
  /** Disposes scoped and transient instances created here; failures become one `DisposalError`. */
  dispose(): Promise<void>;
  /**
   * Disposes without waiting, for code that ends a unit of work and moves on (the web layer
   * ends every request this way); a `DisposalError` goes to `onError(error, arg)`. A scope that
   * created nothing needing disposal is disposed at once, without a promise. `arg` is passed
   * through so a caller that ends many scopes needs no closure per scope.
   *
   * @example
   * ```ts
   * scope.disposeInBackground((err, id) => logger.error({ err, id }, "disposing failed"), jobId);
   * ```
   */
  disposeInBackground<A>(onError: (error: unknown, arg: A) => void, arg: A): void;
}

/**
 * The built container: singletons, a root for transients, and the factory for scopes.
 *
 * @example
 * ```ts
 * const provider = new ServiceCollection().addSingleton(Clock).build();
 * await provider.start();           // creates singletons in dependency order
 * provider.resolve(Clock);
 * await provider.dispose();          // disposes them in reverse
 * ```
 */
export interface ServiceProvider extends ServiceResolver, AsyncDisposable {
  /** A new scope; dispose it (`await using`) when the unit of work ends. */
  createScope(): ServiceScope;
  /** Creates every singleton in dependency order, awaiting async factories. */
  start(): Promise<void>;
  readonly registrations: readonly Registration[];
  readonly disposed: boolean;
  /** Disposes singletons (and transients resolved from the root) in reverse creation order. */
  dispose(): Promise<void>;
}

class Scope extends Resolver implements ServiceScope {
  #container: DependencyContainer | undefined;

  resolve<T>(key: ServiceKey<T>): T {
    this.assertUsable();
    return this.get(this.nodeFor(key)) as T;
  }

  tryResolve<T>(key: ServiceKey<T>): T | undefined {
    this.assertUsable();
    const node = this.state.lastByKey.get(key);
    return node === undefined ? undefined : (this.get(node) as T);
  }

  resolveAll<T>(key: ServiceKey<T>): T[] {
    this.assertUsable();
    return (this.state.plan.byKey.get(key) ?? []).map((n) => this.get(n) as T);
  }

  async resolveAsync<T>(key: ServiceKey<T>): Promise<T> {
    this.assertUsable();
    return (await this.getAsync(this.nodeFor(key))) as T;
  }

  isRegistered(key: ServiceKey): boolean {
    return this.state.lastByKey.has(key);
  }

  get container(): DependencyContainer {
    this.#container ??= tsyringeContainerFor(this);
    return this.#container;
  }

  run<R>(fn: () => R): R {
    return runInScope(this, fn);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

class Provider extends Scope implements ServiceProvider {
  readonly registrations: readonly Registration[];

  constructor(state: RootState, registrations: readonly Registration[]) {
    super(state, true);
    this.registrations = registrations;
  }

  createScope(): ServiceScope {
    this.assertUsable();
    return new Scope(this.state, false);
  }

  async start(): Promise<void> {
    this.assertUsable();
    for (const node of this.state.plan.nodes) {
      if (node.lifetime === SINGLETON) await this.getAsync(node);
    }
  }

  override run<R>(): R {
    throw new TypeError("run() needs a scope: provider.createScope().run(fn)");
  }
}

/** @internal Used by `ServiceCollection.build()`. */
export function createProvider(
  plan: Plan,
  registrations: readonly Registration[],
): ServiceProvider {
  const state = new RootState(plan);
  const provider = new Provider(state, registrations);
  state.root = provider;
  return provider;
}
