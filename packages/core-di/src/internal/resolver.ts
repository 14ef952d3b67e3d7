import { DiError, DisposalError } from "../errors.ts";
import type { ServiceKey } from "../token.ts";
import { keyName } from "../token.ts";
import { disposeOne, disposeReverse, isDisposable } from "./disposal.ts";
import {
  ALIAS,
  ALL,
  CLASS,
  FACTORY,
  ONE,
  type Plan,
  type PlanDep,
  type PlanNode,
  SCOPED,
  SINGLETON,
  VALUE,
} from "./plan.ts";

type AnyFn = (...args: unknown[]) => unknown;
type AnyCtor = new (...args: unknown[]) => unknown;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

const noop = (): void => {};

/** State every scope of one provider shares: the plan and the singletons. */
export class RootState {
  readonly plan: Plan;
  readonly lastByKey: Map<ServiceKey, PlanNode>;
  readonly singletons: unknown[];
  readonly singletonPending: (Promise<unknown> | undefined)[];
  root!: Resolver;

  constructor(plan: Plan) {
    this.plan = plan;
    this.lastByKey = new Map();
    for (const [key, list] of plan.byKey) this.lastByKey.set(key, list[list.length - 1]!);
    this.singletons = new Array(plan.singletonCount);
    this.singletonPending = new Array(plan.singletonCount);
  }
}

function asyncNotReady(node: PlanNode): DiError {
  return new DiError(
    "DI_ASYNC_NOT_READY",
    `${node.describe()} is created asynchronously (its factory returned a promise) and is not ready yet: ` +
      (node.lifetime === SINGLETON
        ? "await provider.start() (the host does this) before resolving it synchronously, or use resolveAsync()"
        : "use resolveAsync() for it"),
  );
}

function creationFailed(node: PlanNode, error: unknown): unknown {
  // The innermost failure already names its service; do not wrap it once per level.
  if (error instanceof DiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DiError("DI_FACTORY_FAILED", `creating ${node.describe()} failed: ${message}`, {
    cause: error,
  });
}

function returnedUndefined(node: PlanNode): DiError {
  return new DiError(
    "DI_FACTORY_FAILED",
    `the factory of ${node.describe()} returned undefined; a service must be a value (return null if you mean "none")`,
  );
}

/** What disposing a resolver that owns nothing returns: one settled promise for all of them. */
const settled: Promise<void> = Promise.resolve();

/**
 * Resolves services for the root provider or one scope. The hot path is array reads by the
 * slots compiled into the plan: no map lookups below the first key, no reflection.
 */
export class Resolver {
  readonly state: RootState;
  readonly isRoot: boolean;
  readonly #scoped: unknown[];
  #scopedPending: (Promise<unknown> | undefined)[] | undefined;
  /** Instances this resolver created and must dispose, in creation order. */
  #owned: unknown[] | undefined;
  #disposed = false;
  #disposing: Promise<void> | undefined;

  constructor(state: RootState, isRoot: boolean) {
    this.state = state;
    this.isRoot = isRoot;
    this.#scoped = isRoot ? [] : new Array(state.plan.scopedCount);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  nodeFor(key: ServiceKey): PlanNode {
    const node = this.state.lastByKey.get(key);
    if (node === undefined) {
      throw new DiError(
        "DI_NOT_REGISTERED",
        `nothing is registered for ${keyName(key)}: add it to the ServiceCollection (or its module) before build()`,
      );
    }
    return node;
  }

  assertUsable(): void {
    if (this.#disposed) {
      throw new DiError(
        "DI_SCOPE_DISPOSED",
        this.isRoot
          ? "the service provider has been disposed; resolve from a live provider"
          : "this scope has been disposed; resolve inside the request or job that owns a live scope",
      );
    }
  }

  get(node: PlanNode): unknown {
    const lifetime = node.lifetime;
    if (lifetime === SINGLETON) {
      const v = this.state.singletons[node.slot];
      return v !== undefined ? v : this.state.root.#createSingleton(node);
    }
    if (lifetime === SCOPED) {
      if (this.isRoot) throw this.#scopedFromRoot(node);
      const v = this.#scoped[node.slot];
      return v !== undefined ? v : this.#createScoped(node);
    }
    return this.#createTransient(node);
  }

  #dep(d: PlanDep): unknown {
    if (d.kind === ONE) return this.get(d.node);
    if (d.kind === ALL) {
      const out = new Array(d.nodes.length);
      for (let i = 0; i < out.length; i++) out[i] = this.get(d.nodes[i]!);
      return out;
    }
    return d.node === undefined ? undefined : this.get(d.node);
  }

  #instantiate(node: PlanNode): unknown {
    const deps = node.deps;
    const n = deps.length;
    try {
      if (node.kind === ALIAS) return this.#dep(deps[0]!);
      if (n === 0) {
        return node.kind === CLASS ? new (node.target as AnyCtor)() : (node.target as AnyFn)();
      }
      const args = new Array(n);
      for (let i = 0; i < n; i++) args[i] = this.#dep(deps[i]!);
      return node.kind === CLASS
        ? new (node.target as AnyCtor)(...args)
        : (node.target as AnyFn)(...args);
    } catch (error) {
      throw creationFailed(node, error);
    }
  }

  #createSingleton(node: PlanNode): unknown {
    this.assertUsable();
    if (node.kind === VALUE) return this.#store(node, node.target);
    if (this.state.singletonPending[node.slot] !== undefined) throw asyncNotReady(node);
    const v = this.#instantiate(node);
    if (node.kind === FACTORY && isThenable(v)) {
      const pending = this.#settleSingleton(node, v);
      pending.catch(noop);
      throw asyncNotReady(node);
    }
    return this.#store(node, v);
  }

  #store(node: PlanNode, v: unknown): unknown {
    if (v === undefined && node.kind !== VALUE) throw returnedUndefined(node);
    if (node.lifetime === SINGLETON) this.state.singletons[node.slot] = v;
    else this.#scoped[node.slot] = v;
    if (node.owned && node.mayDispose(v)) this.#track(v);
    return v;
  }

  #track(v: unknown): void {
    if (this.#owned === undefined) this.#owned = [v];
    else this.#owned.push(v);
  }

  #createScoped(node: PlanNode): unknown {
    this.assertUsable();
    if (this.#scopedPending?.[node.slot] !== undefined) throw asyncNotReady(node);
    const v = this.#instantiate(node);
    if (node.kind === FACTORY && isThenable(v)) {
      this.#settleScoped(node, v).catch(noop);
      throw asyncNotReady(node);
    }
    return this.#store(node, v);
  }

  #createTransient(node: PlanNode): unknown {
    const v = this.#instantiate(node);
    if (node.kind === FACTORY && isThenable(v)) {
      // Nobody will receive this instance; dispose it when it arrives rather than leak it.
      Promise.resolve(v)
        .then((late) => (isDisposable(late) ? disposeOne(late) : undefined), noop)
        .catch(noop);
      throw asyncNotReady(node);
    }
    if (v === undefined && node.kind === FACTORY) throw returnedUndefined(node);
    if (node.owned && node.mayDispose(v)) this.#track(v);
    return v;
  }

  #scopedFromRoot(node: PlanNode): DiError {
    return new DiError(
      "DI_SCOPED_FROM_ROOT",
      `${node.describe()} is scoped and cannot be resolved from the root provider: create a scope (provider.createScope()) and resolve it there`,
    );
  }

  // ---- asynchronous resolution -------------------------------------------------------------

  getAsync(node: PlanNode): Promise<unknown> {
    const lifetime = node.lifetime;
    if (lifetime === SINGLETON) {
      const v = this.state.singletons[node.slot];
      if (v !== undefined) return Promise.resolve(v);
      const root = this.state.root;
      root.assertUsable();
      if (node.kind === VALUE) return Promise.resolve(root.#store(node, node.target));
      return (
        this.state.singletonPending[node.slot] ??
        root.#settleSingleton(node, root.#instantiateAsync(node))
      );
    }
    if (lifetime === SCOPED) {
      if (this.isRoot) return Promise.reject(this.#scopedFromRoot(node));
      const v = this.#scoped[node.slot];
      if (v !== undefined) return Promise.resolve(v);
      this.assertUsable();
      return (
        this.#scopedPending?.[node.slot] ?? this.#settleScoped(node, this.#instantiateAsync(node))
      );
    }
    return this.#instantiateAsync(node).then((v) => {
      if (v === undefined && node.kind === FACTORY) throw returnedUndefined(node);
      if (node.owned && node.mayDispose(v)) this.#track(v);
      return v;
    });
  }

  async #depAsync(d: PlanDep): Promise<unknown> {
    if (d.kind === ONE) return this.getAsync(d.node);
    if (d.kind === ALL) {
      const out: unknown[] = [];
      for (const n of d.nodes) out.push(await this.getAsync(n));
      return out;
    }
    return d.node === undefined ? undefined : this.getAsync(d.node);
  }

  async #instantiateAsync(node: PlanNode): Promise<unknown> {
    // Dependencies one after another, so creation order (and so disposal order) is stable.
    const args: unknown[] = [];
    for (const d of node.deps) args.push(await this.#depAsync(d));
    try {
      if (node.kind === ALIAS) return args[0];
      return node.kind === CLASS
        ? new (node.target as AnyCtor)(...args)
        : await (node.target as AnyFn)(...args);
    } catch (error) {
      throw creationFailed(node, error);
    }
  }

  #settleSingleton(node: PlanNode, created: PromiseLike<unknown>): Promise<unknown> {
    const pending = this.state.singletonPending;
    const p = this.#settle(node, created).finally(() => {
      pending[node.slot] = undefined;
    });
    pending[node.slot] = p;
    return p;
  }

  #settleScoped(node: PlanNode, created: PromiseLike<unknown>): Promise<unknown> {
    this.#scopedPending ??= new Array(this.state.plan.scopedCount);
    const pending = this.#scopedPending;
    const p = this.#settle(node, created).finally(() => {
      pending[node.slot] = undefined;
    });
    pending[node.slot] = p;
    return p;
  }

  async #settle(node: PlanNode, created: PromiseLike<unknown>): Promise<unknown> {
    let v: unknown;
    try {
      v = await created;
    } catch (error) {
      throw creationFailed(node, error);
    }
    if (this.#disposed) {
      // The scope ended while this was being created: nobody may use it, so dispose it now.
      if (node.owned && isDisposable(v)) await disposeOne(v);
      this.assertUsable();
    }
    return this.#store(node, v);
  }

  // ---- disposal ------------------------------------------------------------------------------

  dispose(): Promise<void> {
    if (this.#disposing === undefined) {
      this.#disposed = true;
      const owned = this.#owned;
      this.#owned = undefined;
      this.#disposing = owned === undefined ? settled : this.#disposeAll(owned);
    }
    return this.#disposing;
  }

  /**
   * Disposes without waiting; a failure goes to `onError(error, arg)`. When nothing was created
   * that needs disposing, the resolver is marked disposed and no promise is made.
   */
  disposeInBackground<A>(onError: (error: unknown, arg: A) => void, arg: A): void {
    if (this.#disposing === undefined && this.#owned === undefined) {
      this.#disposed = true;
      this.#disposing = settled;
      return;
    }
    this.dispose().catch((error: unknown) => onError(error, arg));
  }

  async #disposeAll(owned: unknown[]): Promise<void> {
    const errors = await disposeReverse(owned);
    if (errors.length > 0) {
      throw new DisposalError(errors, this.isRoot ? "the service provider" : "a scope");
    }
  }
}
