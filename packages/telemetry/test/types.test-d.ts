import { createHost, type Logger, LoggerToken } from "@dext/core-di";
import type { Meter, Span, Tracer } from "@opentelemetry/api";
import { describe, expectTypeOf, it } from "vitest";
import {
  type BoundCounter,
  type Counter,
  createLogger,
  createMetrics,
  createTelemetry,
  type DbInstruments,
  type Exposition,
  type HttpInstruments,
  httpInstruments,
  MeterToken,
  type Metrics,
  type MetricsResponse,
  MetricsToken,
  metricsEndpoint,
  type Telemetry,
  TelemetryToken,
  TracerToken,
  telemetry,
  withSpan,
} from "../src/index.ts";

describe("types", () => {
  it("label names are inferred and checked", () => {
    const metrics = createMetrics();
    const c = metrics.counter("c_total", { help: "c", labelNames: ["method", "route"] });
    expectTypeOf(c).toEqualTypeOf<Counter<"method" | "route">>();
    c.inc({ method: "GET", route: "/" });
    c.inc({ method: "GET" }, 2);
    // @ts-expect-error: not a declared label
    c.inc({ methd: "GET" });
    // @ts-expect-error: label values are scalars
    c.inc({ method: ["GET"] });
    expectTypeOf(c.labels({ method: "GET" })).toEqualTypeOf<BoundCounter>();
    const h = metrics.histogram("h_seconds", { help: "h", labelNames: ["op"], buckets: [1] });
    h.observe({ op: "x" }, 1);
    // @ts-expect-error: observe needs a value
    h.observe({ op: "x" });
    expectTypeOf(h.startTimer({ op: "x" })).returns.toEqualTypeOf<number>();
  });

  it("built-in instruments have their label names in their types", () => {
    const http = httpInstruments(createMetrics());
    expectTypeOf(http).toEqualTypeOf<HttpInstruments>();
    http.requestsTotal.inc({ method: "GET", route: "/threads/:id", status: 200 });
    // @ts-expect-error: the URL is not a label
    http.requestsTotal.inc({ url: "/threads/7" });
    expectTypeOf<DbInstruments["queryDuration"]["observe"]>().toBeFunction();
  });

  it("withSpan returns what the function returns", () => {
    expectTypeOf(withSpan("a", {}, () => 1)).toEqualTypeOf<number>();
    expectTypeOf(withSpan("a", {}, async () => "x")).toEqualTypeOf<Promise<string>>();
    withSpan("a", undefined, (span) => expectTypeOf(span).toEqualTypeOf<Span>());
  });

  it("tokens resolve to their types and the logger fits core-di's Logger", () => {
    const host = createHost({ modules: [telemetry()] });
    expectTypeOf(host.services.resolve(TelemetryToken)).toEqualTypeOf<Telemetry>();
    expectTypeOf(host.services.resolve(TracerToken)).toEqualTypeOf<Tracer>();
    expectTypeOf(host.services.resolve(MetricsToken)).toEqualTypeOf<Metrics>();
    expectTypeOf(host.services.resolve(MeterToken)).toEqualTypeOf<Meter>();
    expectTypeOf(host.services.resolve(LoggerToken)).toEqualTypeOf<Logger>();
    expectTypeOf(createLogger()).toExtend<Logger>();
    expectTypeOf(createTelemetry().logger).toExtend<Logger>();
  });

  it("the exposition and the endpoint are typed", () => {
    const metrics = createMetrics();
    expectTypeOf(metrics.exposition()).toEqualTypeOf<Promise<Exposition>>();
    expectTypeOf(metricsEndpoint(metrics)).toEqualTypeOf<
      (accept?: string) => Promise<MetricsResponse>
    >();
  });

  it("the module's options are checked", () => {
    telemetry({ tracing: { exporter: "otlp", sampleRatio: 0.1 } });
    // @ts-expect-error: unknown exporter
    telemetry({ tracing: { exporter: "zipkin" } });
  });
});
