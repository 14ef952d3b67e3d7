import {
  type Context,
  context,
  createContextKey,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  type Span,
  trace,
} from "@opentelemetry/api";
import { ensureContextManager } from "../internal/context-manager.ts";

const REQUEST_ID = createContextKey("@dext/telemetry/request-id");

/**
 * The key the API keeps the active span under. It is not exported; `trace.setSpan(ctx, span)`
 * is defined as `ctx.setValue(key, span)`, so a context that records the key it is given
 * learns it through the public API.
 */
const SPAN_KEY: symbol = (() => {
  let key: symbol | undefined;
  const recorder: Context = {
    getValue: () => undefined,
    setValue(k) {
      key = k;
      return recorder;
    },
    deleteValue: () => recorder,
  };
  trace.setSpan(recorder, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  if (key === undefined || trace.getSpan(ROOT_CONTEXT.setValue(key, span)) !== span) {
    throw new Error("@dext/telemetry: could not learn the API's span key");
  }
  return key;
})();

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
 * `ctx` (default: the active context) with `id` as its request id and, if given, `span` as its
 * active span (as `trace.setSpan` would set it), for code that manages contexts itself.
 *
 * @example
 * ```ts
 * const ctx = contextWithRequestId(extractTraceContext(headers), requestId);
 * context.with(ctx, handle);
 * ```
 */
export function contextWithRequestId(
  id: string,
  ctx: Context = context.active(),
  span?: Span,
): Context {
  ensureContextManager();
  return new RequestIdContext(ctx, id, span);
}

/**
 * `ctx` plus a request id and optionally the active span, without copying `ctx`'s entries (the
 * API's contexts copy their map, and make three closures, on every `setValue`; the web layer
 * builds one of these per request). Later `setValue`s keep the id and span on top of the inner
 * context, so lookups stay one hop deep.
 */
class RequestIdContext implements Context {
  readonly #inner: Context;
  readonly #id: unknown;
  readonly #span: unknown;

  constructor(inner: Context, id: unknown, span: unknown) {
    this.#inner = inner;
    this.#id = id;
    this.#span = span;
  }

  getValue(key: symbol): unknown {
    if (key === REQUEST_ID) return this.#id;
    if (key === SPAN_KEY && this.#span !== undefined) return this.#span;
    return this.#inner.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    if (key === REQUEST_ID) return new RequestIdContext(this.#inner, value, this.#span);
    if (key === SPAN_KEY) return new RequestIdContext(this.#inner, this.#id, value);
    return new RequestIdContext(this.#inner.setValue(key, value), this.#id, this.#span);
  }

  deleteValue(key: symbol): Context {
    if (key === REQUEST_ID) {
      return this.#span === undefined ? this.#inner : this.#inner.setValue(SPAN_KEY, this.#span);
    }
    if (key === SPAN_KEY) {
      return new RequestIdContext(this.#inner.deleteValue(key), this.#id, undefined);
    }
    return new RequestIdContext(this.#inner.deleteValue(key), this.#id, this.#span);
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
