import type { RequestContext } from "./context/request-context.ts";
import type { HttpResult } from "./results/http-result.ts";

/**
 * Runs around the handler of every route in its group (and nested groups): call `next()` to go
 * on and get the result, or return a result (`problem(...)`) to answer without the handler.
 *
 * @example
 * ```ts
 * const timing: Middleware = async (ctx, next) => {
 *   const result = await next();
 *   return result.header("x-handled-by", "api");
 * };
 * ```
 */
export type Middleware = (
  ctx: RequestContext,
  next: () => Promise<HttpResult>,
) => unknown | Promise<unknown>;
