import { type Context, context, createContextKey } from "@opentelemetry/api";
import { ensureContextManager } from "../internal/context-manager.ts";

const REQUEST_ID = createContextKey("@dext/telemetry/request-id");

/**
 * Runs `fn` with `id` as the current request id; log lines written inside carry it as
 * `request_id`. The web layer calls this once per request.
 *
 * @example
 * ```ts
 * await withRequestId(req.id, () => handler(req));
 * ```
 */
export function withRequestId<R>(id: string, fn: () => R): R {
  ensureContextManager();
  return context.with(context.active().setValue(REQUEST_ID, id), fn);
}

/**
 * `ctx` (default: the active context) with `id` as its request id, for code that manages
 * contexts itself.
 *
 * @example
 * ```ts
 * const ctx = contextWithRequestId(extractTraceContext(headers), requestId);
 * context.with(ctx, handle);
 * ```
 */
export function contextWithRequestId(id: string, ctx: Context = context.active()): Context {
  ensureContextManager();
  return ctx.setValue(REQUEST_ID, id);
}

/**
 * The request id of the running async flow, if one was set.
 *
 * @example
 * ```ts
 * reply.header("x-request-id", currentRequestId() ?? "");
 * ```
 */
export function currentRequestId(ctx: Context = context.active()): string | undefined {
  return ctx.getValue(REQUEST_ID) as string | undefined;
}
