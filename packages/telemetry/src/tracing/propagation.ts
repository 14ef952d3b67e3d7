import { type Context, context, type TextMapGetter, type TextMapSetter } from "@opentelemetry/api";
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from "@opentelemetry/core";
import { ensureContextManager } from "../internal/context-manager.ts";

/** Incoming headers: Node's `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. */
export type HeadersLike =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/** Outgoing headers to write into: a plain record or a fetch `Headers`. */
export type MutableHeaders =
  | Record<string, string | string[] | undefined>
  | { set(name: string, value: string): void };

const propagator = new CompositePropagator({
  propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
});

const isFetchHeaders = (h: unknown): h is { get(name: string): string | null } =>
  typeof (h as { get?: unknown }).get === "function";

const getter: TextMapGetter<HeadersLike> = {
  keys: (carrier) =>
    isFetchHeaders(carrier) ? [...(carrier as unknown as Headers).keys()] : Object.keys(carrier),
  get(carrier, key) {
    if (isFetchHeaders(carrier)) return carrier.get(key) ?? undefined;
    const direct = carrier[key];
    if (direct !== undefined) return direct as string | string[];
    // Node lower-cases header names; plain records from elsewhere may not.
    for (const k of Object.keys(carrier)) {
      if (k.toLowerCase() === key) return carrier[k] as string | string[] | undefined;
    }
    return undefined;
  },
};

const setter: TextMapSetter<MutableHeaders> = {
  set(carrier, key, value) {
    if (typeof (carrier as { set?: unknown }).set === "function") {
      (carrier as { set(name: string, value: string): void }).set(key, value);
    } else {
      (carrier as Record<string, string>)[key] = value;
    }
  },
};

/**
 * The context of an incoming request's W3C `traceparent` / `tracestate` (and `baggage`)
 * headers, as the parent for the request's span. A missing or malformed `traceparent` is
 * ignored: the result is `ctx` unchanged, so the span starts a new trace.
 *
 * @example
 * ```ts
 * const parent = extractTraceContext(req.headers);
 * await withSpan("GET /threads/:id", {}, handle, { kind: SpanKind.SERVER, parent });
 * ```
 */
export function extractTraceContext(headers: HeadersLike, ctx?: Context): Context {
  ensureContextManager();
  const base = ctx ?? context.active();
  if (headers === null || typeof headers !== "object") return base;
  try {
    return propagator.extract(base, headers, getter);
  } catch {
    // A hostile header must never fail the request: fall back to a new trace.
    return base;
  }
}

/**
 * Writes the `traceparent` / `tracestate` (and `baggage`) headers of `ctx` (default: the
 * active context) into `headers` for an outgoing call, and returns `headers`.
 *
 * @example
 * ```ts
 * const headers = injectTraceContext({ "content-type": "application/json" });
 * await fetch(url, { headers });
 * ```
 */
export function injectTraceContext<H extends MutableHeaders>(headers: H, ctx?: Context): H {
  propagator.inject(ctx ?? context.active(), headers, setter);
  return headers;
}
