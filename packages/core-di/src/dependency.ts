import type { ServiceKey } from "./token.ts";

/** A dependency that resolves to `undefined` when nothing is registered for its key. */
export interface OptionalDependency<T> {
  readonly kind: "optional";
  readonly key: ServiceKey<T>;
}

/** A dependency on every registration of a key, in registration order. */
export interface AllDependency<T> {
  readonly kind: "all";
  readonly key: ServiceKey<T>;
}

/** What a constructor or factory parameter asks for. */
export type Dependency = ServiceKey<any> | OptionalDependency<any> | AllDependency<any>;

/** The values a list of dependencies resolves to, position by position. */
export type Resolved<D extends readonly Dependency[]> = {
  -readonly [I in keyof D]: D[I] extends OptionalDependency<infer T>
    ? T | undefined
    : D[I] extends AllDependency<infer T>
      ? T[]
      : D[I] extends ServiceKey<infer T>
        ? T
        : never;
};

/**
 * Marks a dependency as optional: `undefined` when the key is not registered.
 *
 * @example
 * ```ts
 * services.addSingleton(Mailer, { deps: [optional(SmtpConfig)], useFactory: (smtp) => ... });
 * ```
 */
export function optional<T>(key: ServiceKey<T>): OptionalDependency<T> {
  return { kind: "optional", key };
}

/**
 * Asks for every registration of a key (plugins, health checks), in registration order.
 *
 * @example
 * ```ts
 * services.addSingleton(Health, { deps: [all(HealthCheck)], useFactory: (checks) => new Health(checks) });
 * ```
 */
export function all<T>(key: ServiceKey<T>): AllDependency<T> {
  return { kind: "all", key };
}

/** @internal */
export function dependencyKey(dep: Dependency): ServiceKey {
  return typeof dep === "object" && dep !== null && "kind" in dep ? dep.key : dep;
}
