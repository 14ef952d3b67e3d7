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
  return new RequestIdContext(ctx, id);
}

/**
 * `ctx` plus a request id, without copying `ctx`'s entries (the API's contexts copy their map
 * on every `setValue`; the web layer builds one of these per request). Later `setValue`s keep
 * the id on top of the inner context, so lookups stay one hop deep.
 */
class RequestIdContext implements Context {
  readonly #inner: Context;
  readonly #id: unknown;

  constructor(inner: Context, id: unknown) {
    this.#inner = inner;
    this.#id = id;
  }

  getValue(key: symbol): unknown {
    return key === REQUEST_ID ? this.#id : this.#inner.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return key === REQUEST_ID
      ? new RequestIdContext(this.#inner, value)
      : new RequestIdContext(this.#inner.setValue(key, value), this.#id);
  }

  deleteValue(key: symbol): Context {
    return key === REQUEST_ID
      ? this.#inner
      : new RequestIdContext(this.#inner.deleteValue(key), this.#id);
  }
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
