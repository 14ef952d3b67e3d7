import {
  type Attributes,
  type Context,
  context,
  type Link,
  type Span,
  type SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ensureContextManager } from "../internal/context-manager.ts";
import { NOOP_SPAN, tracerFor } from "../internal/span-tracers.ts";

/** Options of {@link withSpan}. */
export interface WithSpanOptions {
  /** `SpanKind.SERVER` for an incoming request, `CLIENT` for a query or outgoing call. */
  readonly kind?: SpanKind;
  readonly links?: Link[];
  /** The parent context (default: the active one), e.g. from `extractTraceContext(headers)`. */
  readonly parent?: Context;
  /** The tracer to use (default: the one that started the active span, else the global one). */
  readonly tracer?: Tracer;
}

interface Thenable<T> {
  then<A, B>(ok: (v: T) => A, fail: (e: unknown) => B): Thenable<A | B>;
}

const isThenable = (v: unknown): v is Thenable<unknown> =>
  v !== null &&
  (typeof v === "object" || typeof v === "function") &&
  typeof (v as { then?: unknown }).then === "function";

function fail(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function run<R>(span: Span, fn: (span: Span) => R): R {
  let result: R;
  try {
    result = fn(span);
  } catch (error) {
    fail(span, error);
    span.end();
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error) => {
        fail(span, error);
        span.end();
        throw error;
      },
    ) as R;
  }
  span.end();
  return result;
}

/**
 * Runs `fn` in a new span (the child of the active one) and returns what `fn` returns. Works
 * for sync and async functions; a throw or rejection is recorded on the span with an error
 * status and rethrown. With no tracer configured it only calls `fn`.
 *
 * @example
 * ```ts
 * const rows = await withSpan("db.query", { "db.operation": "select" }, async (span) => {
 *   const r = await runQuery();
 *   span.setAttribute("db.rows", r.length);
 *   return r;
 * });
 * ```
 */
export function withSpan<R>(
  name: string,
  attributes: Attributes | undefined,
  fn: (span: Span) => R,
  options?: WithSpanOptions,
): R {
  ensureContextManager();
  const parent = options?.parent ?? context.active();
  const tracer = options?.tracer ?? tracerFor(parent);
  if (tracer === undefined) {
    // No SDK: nothing to record. Only an explicit parent (an incoming trace) is activated,
    // so outgoing calls still propagate it.
    return options?.parent === undefined
      ? fn(NOOP_SPAN)
      : context.with(parent, fn, undefined, NOOP_SPAN);
  }
  const spanOptions: SpanOptions = {};
  if (attributes !== undefined) spanOptions.attributes = attributes;
  if (options?.kind !== undefined) spanOptions.kind = options.kind;
  if (options?.links !== undefined) spanOptions.links = options.links;
  const span = tracer.startSpan(name, spanOptions, parent);
  return context.with(trace.setSpan(parent, span), run, undefined, span, fn) as R;
}
