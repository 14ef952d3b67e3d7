import type { Tracer } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { Resource } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { TelemetryError } from "../errors.ts";
import { MemorySpanExporter } from "../tracing/memory-span-exporter.ts";
import { CountingSpanProcessor, type OnSpansDropped, SpanQueueGauge } from "./dropped-spans.ts";
import { PooledIdGenerator } from "./pooled-id-generator.ts";
import { RateLimitedSampler } from "./rate-limited-sampler.ts";
import { OwningTracer } from "./span-tracers.ts";

type OtlpConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

export interface TracingSetupOptions {
  readonly exporter: "otlp" | "memory" | "console" | "none";
  readonly spanExporter: SpanExporter | undefined;
  readonly sampleRatio: number;
  /** At most this many new traces sampled per second; undefined for no limit. */
  readonly tracesPerSecond: number | undefined;
  readonly otlp: {
    readonly url?: string | undefined;
    readonly headers?: Readonly<Record<string, string>> | undefined;
    readonly timeoutMs?: number | undefined;
    readonly compression?: "none" | "gzip" | undefined;
  };
  readonly batch: {
    readonly maxQueueSize?: number | undefined;
    readonly maxExportBatchSize?: number | undefined;
    readonly scheduledDelayMs?: number | undefined;
    readonly exportTimeoutMs?: number | undefined;
  };
  readonly resource: Resource;
  readonly onProblem: (problem: TelemetryError) => void;
  /** Told about every finished, sampled span that will never reach the exporter. */
  readonly onSpansDropped: OnSpansDropped;
}

export interface TracingSetup {
  /** The host's own tracer, or `undefined` when no SDK is configured. */
  readonly tracer: Tracer | undefined;
  readonly provider: TracerProvider | undefined;
  readonly memoryExporter: MemorySpanExporter | undefined;
  /** Where spans go, for the startup log line. */
  readonly target: string;
}

/**
 * Reports failed exports (the first, then every hundredth) instead of losing them silently,
 * and counts the spans the batch processor hands over (its queue shrinks by as many).
 */
class ReportingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #target: string;
  readonly #onProblem: (problem: TelemetryError) => void;
  readonly #gauge: SpanQueueGauge;
  readonly #onDropped: OnSpansDropped;
  #failures = 0;

  constructor(
    inner: SpanExporter,
    target: string,
    options: Pick<TracingSetupOptions, "onProblem" | "onSpansDropped"> & { gauge: SpanQueueGauge },
  ) {
    this.#inner = inner;
    this.#target = target;
    this.#onProblem = options.onProblem;
    this.#gauge = options.gauge;
    this.#onDropped = options.onSpansDropped;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#gauge.handedOver(spans.length);
    this.#inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.#onDropped("export_failed", spans.length);
        this.#failures++;
        if (this.#failures === 1 || this.#failures % 100 === 0) {
          this.#onProblem(
            new TelemetryError(
              "TELEMETRY_EXPORT_FAILED",
              `exporting ${spans.length} span(s) to ${this.#target} failed (${this.#failures} failed export(s) so far): ${result.error?.message ?? "unknown error"}; check that the collector is reachable`,
              { cause: result.error },
            ),
          );
        }
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The OpenTelemetry default of `maxQueueSize`. */
const DEFAULT_MAX_QUEUE_SIZE = 2048;

function sampler(
  ratio: number,
  tracesPerSecond: number | undefined,
): { sampler: Sampler; cap: RateLimitedSampler | undefined } {
  const byRatio =
    ratio >= 1
      ? new AlwaysOnSampler()
      : ratio <= 0
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(ratio);
  const cap =
    tracesPerSecond === undefined || ratio <= 0
      ? undefined
      : new RateLimitedSampler(byRatio, tracesPerSecond);
  return { sampler: new ParentBasedSampler({ root: cap ?? byRatio }), cap };
}

/** Builds the tracer provider Dext owns (never registered globally unless asked). */
export function setupTracing(options: TracingSetupOptions): TracingSetup {
  let memoryExporter: MemorySpanExporter | undefined;
  let exporter: SpanExporter;
  let target: string;
  if (options.spanExporter !== undefined) {
    exporter = options.spanExporter;
    target = exporter.constructor.name;
  } else if (options.exporter === "none") {
    return { tracer: undefined, provider: undefined, memoryExporter: undefined, target: "none" };
  } else if (options.exporter === "memory") {
    memoryExporter = new MemorySpanExporter();
    exporter = memoryExporter;
    target = "memory";
  } else if (options.exporter === "console") {
    exporter = new ConsoleSpanExporter();
    target = "console";
  } else {
    const { url, headers, timeoutMs, compression } = options.otlp;
    const config: OtlpConfig = {};
    if (url !== undefined) config.url = url;
    if (headers !== undefined) config.headers = { ...headers };
    if (timeoutMs !== undefined) config.timeoutMillis = timeoutMs;
    if (compression !== undefined)
      config.compression = compression as NonNullable<OtlpConfig["compression"]>;
    exporter = new OTLPTraceExporter(config);
    target = `OTLP ${url ?? "(OTEL_EXPORTER_OTLP_* or http://localhost:4318/v1/traces)"}`;
  }
  const { batch } = options;
  const gauge = new SpanQueueGauge(batch.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE);
  const batchProcessor = new BatchSpanProcessor({
    exporter: new ReportingExporter(exporter, target, { ...options, gauge }),
    maxQueueSize: gauge.capacity,
    ...(batch.maxExportBatchSize !== undefined
      ? { maxExportBatchSize: batch.maxExportBatchSize }
      : {}),
    ...(batch.scheduledDelayMs !== undefined
      ? { scheduledDelayMillis: batch.scheduledDelayMs }
      : {}),
    ...(batch.exportTimeoutMs !== undefined ? { exportTimeoutMillis: batch.exportTimeoutMs } : {}),
  });
  const { sampler: rootSampler, cap } = sampler(options.sampleRatio, options.tracesPerSecond);
  const ids = new PooledIdGenerator();
  const provider = new TracerProvider({
    resource: options.resource,
    sampler: rootSampler,
    idGenerator: ids,
    spanProcessors: [new CountingSpanProcessor(batchProcessor, gauge, options.onSpansDropped)],
  });
  return {
    tracer: new OwningTracer(provider.getTracer("@dext/telemetry"), cap, ids),
    provider,
    memoryExporter,
    target,
  };
}
