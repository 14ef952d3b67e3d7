import {
  contextWithRequestId,
  extractTraceContext,
  type HttpInstruments,
  type Telemetry,
} from "@dext/telemetry";
import {
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
} from "@opentelemetry/api";
import type { FastifyRequest } from "fastify";
import type { Instrumentation, RequestOutcome } from "./instrumentation.ts";

interface RequestTrace {
  readonly span: Span | undefined;
  readonly ctx: Context;
  fields: Readonly<Record<string, string>> | undefined;
}

type Bound = {
  readonly requests: { inc(value?: number): void };
  readonly duration: { observe(value: number): void };
  readonly errors: { inc(value?: number): void };
};

const UNMATCHED = "unmatched";

const pathOf = (url: string): string => {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
};

/**
 * The instrumentation @dext/telemetry provides: a SERVER span per request named by the route
 * template (continuing an incoming W3C trace), the request id in the trace context for log
 * lines, and the HTTP metrics.
 */
export function telemetryInstrumentation(telemetry: Telemetry): Instrumentation {
  const http: HttpInstruments = telemetry.http;
  const tracing = telemetry.tracingEnabled;
  const tracer = telemetry.tracer;
  // Bound series per (route, method, status) in nested maps: the hot path builds no key string.
  const bound = new Map<string, Map<string, Map<number, Bound>>>();
  const series = (method: string, route: string, status: number): Bound => {
    let byMethod = bound.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      bound.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let b = byStatus.get(status);
    if (b === undefined) {
      const labels = { method, route, status: String(status) };
      b = {
        requests: http.requestsTotal.labels(labels),
        duration: http.requestDuration.labels(labels),
        errors: http.errorsTotal.labels(labels),
      };
      byStatus.set(status, b);
    }
    return b;
  };

  return {
    enabled: true,
    begin(request: FastifyRequest, route: string | undefined): RequestTrace {
      if (!tracing)
        return { span: undefined, ctx: contextWithRequestId(request.id), fields: undefined };
      const h = request.headers;
      // Most requests carry no trace headers: skip the propagator for them.
      const parent =
        h.traceparent === undefined && h.baggage === undefined
          ? ROOT_CONTEXT
          : extractTraceContext(h);
      // Attributes are set only on spans the sampler keeps: an unsampled span skips their
      // validation entirely (the ratio sampler does not look at them).
      const span = tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        { kind: SpanKind.SERVER },
        parent,
      );
      if (span.isRecording()) {
        span.setAttribute("http.request.method", request.method);
        if (route) span.setAttribute("http.route", route);
        span.setAttribute("url.path", pathOf(request.url));
      }
      // One context object holds the span and the request id (no map copies).
      return { span, ctx: contextWithRequestId(request.id, parent, span), fields: undefined };
    },
    run<R, A extends unknown[]>(state: unknown, fn: (...args: A) => R, ...args: A): R {
      return state === undefined
        ? fn(...args)
        : context.with((state as RequestTrace).ctx, fn, undefined, ...args);
    },
    logFields(state: unknown) {
      const t = state as RequestTrace | undefined;
      if (t?.span === undefined) return undefined;
      if (t.fields === undefined) {
        const sc = t.span.spanContext();
        t.fields = { trace_id: sc.traceId, span_id: sc.spanId };
      }
      return t.fields;
    },
    fail(state: unknown, error: unknown) {
      const span = (state as RequestTrace | undefined)?.span;
      if (span === undefined) return;
      span.recordException(error instanceof Error ? error : new Error(String(error)));
    },
    end(state: unknown, outcome: RequestOutcome) {
      const route = outcome.route ?? UNMATCHED;
      const b = series(outcome.method, route, outcome.status);
      b.requests.inc();
      b.duration.observe(outcome.durationMs / 1000);
      if (outcome.status >= 500) b.errors.inc();
      const span = (state as RequestTrace | undefined)?.span;
      if (span === undefined) return;
      span.setAttribute("http.response.status_code", outcome.status);
      if (outcome.aborted) span.setAttribute("dext.aborted", true);
      if (outcome.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
    countConnections(count) {
      // Adds this server's change since the last scrape, so servers sharing one registry sum.
      let reported = 0;
      const remove = telemetry.metrics.addCollector(async () => {
        const open = await count();
        http.activeConnections.inc(open - reported);
        reported = open;
        return [];
      });
      return () => {
        remove();
        http.activeConnections.dec(reported);
        reported = 0;
      };
    },
  };
}
