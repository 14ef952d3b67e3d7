/**
 * One of fastify's own symbol keys on `object`, found by its description (fastify does not
 * export them); `null` when this fastify version has none by that name.
 */
export function fastifySymbol(object: object, description: string): symbol | null {
  return Object.getOwnPropertySymbols(object).find((k) => k.description === description) ?? null;
}

let contextKey: symbol | null | undefined;

/**
 * fastify's key for a request's route context (`Symbol(fastify.context)`, the same symbol for
 * every instance; the reply reads it through its request), found on the first request that
 * asks; `null` when this fastify version has none by that name.
 */
export function routeContextKey(request: object): symbol | null {
  if (contextKey === undefined) contextKey = fastifySymbol(request, "fastify.context");
  return contextKey;
}
