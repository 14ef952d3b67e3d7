declare const valueType: unique symbol;

/**
 * A typed key for per-request values that middleware sets and handlers read
 * (`ctx.set(CurrentUser, user)`, then `ctx.get(CurrentUser)` is typed).
 *
 * @example
 * ```ts
 * const CurrentUser = contextKey<{ id: number }>("CurrentUser");
 * app.use(async (ctx, next) => { ctx.set(CurrentUser, { id: 1 }); return next(); });
 * ```
 */
export type ContextKey<T> = symbol & { readonly [valueType]?: T };

/**
 * Creates a {@link ContextKey}; each call makes a distinct key.
 *
 * @example
 * ```ts
 * const Tenant = contextKey<string>("Tenant");
 * ```
 */
export function contextKey<T>(name: string): ContextKey<T> {
  return Symbol(name) as ContextKey<T>;
}
