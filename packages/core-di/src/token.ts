declare const serviceType: unique symbol;

/**
 * A typed service key: a symbol that carries the type of the service it names, so
 * `resolve(token)` returns `T` with no cast. Being a symbol, it also works with tsyringe's
 * `@inject(token)` decorator.
 *
 * @example
 * ```ts
 * const Clock = token<{ now(): Date }>("Clock");
 * services.addSingleton(Clock, { useValue: { now: () => new Date() } });
 * provider.resolve(Clock).now(); // typed
 * ```
 */
export type Token<T> = symbol & { readonly [serviceType]?: T };

/** Any constructor (abstract included) whose instances are `T`. */
export type Class<T> = abstract new (...args: any[]) => T;

/** What a service is registered and resolved by: a typed token or a class. */
export type ServiceKey<T = unknown> = Token<T> | Class<T>;

/** The service type a key stands for. */
export type ServiceOf<K> = K extends Token<infer T> ? T : K extends Class<infer T> ? T : never;

/**
 * Creates a typed token. Each call makes a distinct key, even for the same name.
 *
 * @example
 * ```ts
 * const Db = token<Database>("Db");
 * ```
 */
export function token<T>(name: string): Token<T> {
  return Symbol(name) as Token<T>;
}

/** A readable name for a key, used in every error message. */
export function keyName(key: unknown): string {
  if (typeof key === "symbol") return key.description ?? key.toString();
  if (typeof key === "function") return key.name || "<anonymous class>";
  return String(key);
}
