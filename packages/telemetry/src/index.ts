export type { TelemetryConfig, TelemetryLogLevel } from "./config.ts";
export { telemetryConfigSchema } from "./config.ts";
export type { TelemetryErrorCode } from "./errors.ts";
export { TelemetryError } from "./errors.ts";
export type { CreateLoggerOptions, TelemetryLogger } from "./logging/create-logger.ts";
export { createLogger, DEFAULT_REDACT_PATHS } from "./logging/create-logger.ts";
export type { DbInstruments, HttpInstruments } from "./metrics/instruments.ts";
export {
  DB_DURATION_BUCKETS,
  dbInstruments,
  HTTP_DURATION_BUCKETS,
  httpInstruments,
} from "./metrics/instruments.ts";
export type { Metrics, MetricsOptions } from "./metrics/metrics.ts";
export { createMetrics, DEFAULT_BUCKETS } from "./metrics/metrics.ts";
export type { MetricsResponse } from "./metrics/metrics-endpoint.ts";
export { metricsEndpoint } from "./metrics/metrics-endpoint.ts";
export type { ProcessMetrics } from "./metrics/process-metrics.ts";
export { enableProcessMetrics } from "./metrics/process-metrics.ts";
export type {
  AnyInstrument,
  BoundCounter,
  BoundGauge,
  BoundHistogram,
  BoundUpDownCounter,
  Counter,
  Exposition,
  Gauge,
  Histogram,
  HistogramOptions,
  HistogramValue,
  InstrumentKind,
  InstrumentOptions,
  LabelSet,
  LabelValue,
  MetricFamilySnapshot,
  MetricsCollector,
  MetricType,
  ObservableInstrument,
  ObservableResult,
  ObserveCallback,
  SeriesSnapshot,
  UpDownCounter,
} from "./metrics/types.ts";
export { MeterToken, MetricsToken, TelemetryToken, TracerToken, telemetry } from "./module.ts";
export type { Telemetry, TelemetryEnvironment, TelemetryOptions } from "./telemetry.ts";
export { createTelemetry } from "./telemetry.ts";
export { MemorySpanExporter } from "./tracing/memory-span-exporter.ts";
export type { HeadersLike, MutableHeaders } from "./tracing/propagation.ts";
export { extractTraceContext, injectTraceContext } from "./tracing/propagation.ts";
export { contextWithRequestId, currentRequestId, withRequestId } from "./tracing/request-id.ts";
export type { WithSpanOptions } from "./tracing/with-span.ts";
export { withSpan } from "./tracing/with-span.ts";
