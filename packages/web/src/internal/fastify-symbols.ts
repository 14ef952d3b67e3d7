/**
 * One of fastify's own symbol keys on `object`, found by its description (fastify does not
 * export them); `null` when this fastify version has none by that name.
 */
export function fastifySymbol(object: object, description: string): symbol | null {
  return Object.getOwnPropertySymbols(object).find((k) => k.description === description) ?? null;
}
