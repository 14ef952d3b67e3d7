import type { Dependency, Resolved } from "./dependency.ts";
import type { ServiceKey } from "./token.ts";

/** How long an instance lives: one per provider, one per scope, or one per resolution. */
export type Lifetime = "singleton" | "scoped" | "transient";

/** A constructor Dext can call. */
export type Concrete<T> = new (...args: any[]) => T;

/** A class registered with explicit dependencies, checked against its constructor. */
export interface ClassProvider<T, D extends readonly Dependency[]> {
  // NoInfer: D comes from `deps` alone; the constructor is then checked against it.
  readonly useClass: new (
    ...args: NoInfer<Resolved<D>>
  ) => T;
  readonly deps: D;
}

/** A factory with declared dependencies; may return a promise (created once, then cached). */
export interface FactoryProvider<T, D extends readonly Dependency[]> {
  readonly useFactory: (...args: NoInfer<Resolved<D>>) => T | PromiseLike<T>;
  readonly deps?: D;
}

/** A ready-made value. Dext does not own it, so it never disposes it. */
export interface ValueProvider<T> {
  readonly useValue: T;
}

/** Another key's service under this key (an alias; the lifetime is the target's). */
export interface ExistingProvider<T> {
  readonly useExisting: ServiceKey<T>;
}

/**
 * A class whose constructor dependencies are declared by `static inject`; the constructor's
 * parameters must match what the list resolves to.
 */
export type InjectableClass<C> = C extends {
  readonly inject: infer D extends readonly Dependency[];
}
  ? C extends new (
      ...args: Resolved<D>
    ) => unknown
    ? C
    : never
  : C;

/**
 * The overloads `addSingleton`, `addScoped` and `addTransient` share.
 *
 * @example
 * ```ts
 * services
 *   .addSingleton(Clock)                                            // class, its own key
 *   .addScoped(Repo, SqlRepo)                                       // key -> implementation
 *   .addScoped(Db, { deps: [Pool], useFactory: (pool) => pool.context() })
 *   .addSingleton(Settings, { useValue: { greeting: "hi" } });
 * ```
 */
export interface AddService<Self> {
  <C extends Concrete<unknown>>(cls: C & InjectableClass<C>): Self;
  <T, const D extends readonly Dependency[] = []>(
    key: ServiceKey<T>,
    provider: FactoryProvider<NoInfer<T>, D>,
  ): Self;
  <T, const D extends readonly Dependency[]>(
    key: ServiceKey<T>,
    provider: ClassProvider<NoInfer<T>, D>,
  ): Self;
  <T>(key: ServiceKey<T>, provider: { readonly useClass: Concrete<NoInfer<T>> }): Self;
  <T>(key: ServiceKey<T>, provider: ValueProvider<NoInfer<T>>): Self;
  <T>(key: ServiceKey<T>, provider: ExistingProvider<NoInfer<T>>): Self;
  <T, C extends Concrete<NoInfer<T>>>(
    key: ServiceKey<T>,
    implementation: C & InjectableClass<C>,
  ): Self;
}

/** @internal The provider shapes after normalisation. */
export type NormalizedProvider =
  | {
      readonly kind: "class";
      readonly ctor: Concrete<unknown>;
      readonly deps: readonly Dependency[] | undefined;
    }
  | {
      readonly kind: "factory";
      readonly fn: (...args: any[]) => unknown;
      readonly deps: readonly Dependency[];
    }
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "alias"; readonly target: ServiceKey };

/** One entry of a {@link ServiceCollection}: what is registered, how, and where. */
export interface Registration {
  readonly key: ServiceKey;
  readonly lifetime: Lifetime;
  readonly provider: NormalizedProvider;
  /** `file:line` of the `add*` call, for error messages. */
  readonly site: string | undefined;
  /** The module that registered it, when one did. */
  readonly module: string | undefined;
}
