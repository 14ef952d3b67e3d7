import {
  type Attributes,
  type Meter,
  metrics as otelMetrics,
  type Span,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { DestinationStream } from "pino";
import type { TelemetryConfig } from "./config.ts";
import { TelemetryError } from "./errors.ts";
import { ensureContextManager } from "./internal/context-manager.ts";
import { spanDropCounter } from "./internal/dropped-spans.ts";
import { createMeterBridge } from "./internal/meter-bridge.ts";
import { setLive } from "./internal/span-tracers.ts";
import { setupTracing } from "./internal/tracing-setup.ts";
import { createLogger, type TelemetryLogger } from "./logging/create-logger.ts";
import {
  type DbInstruments,
  dbInstruments,
  type HttpInstruments,
  httpInstruments,
} from "./metrics/instruments.ts";
import { createMetrics, type Metrics } from "./metrics/metrics.ts";
import { enableProcessMetrics, type ProcessMetrics } from "./metrics/process-metrics.ts";
import type { MemorySpanExporter } from "./tracing/memory-span-exporter.ts";
import { type WithSpanOptions, withSpan } from "./tracing/with-span.ts";

/**
 * Options of {@link createTelemetry} and `telemetry()`: the config section's keys plus what
 * only code can give (streams, exporter instances). The config section wins over these.
 */
export interface TelemetryOptions extends Omit<TelemetryConfig, "logging" | "tracing"> {
  /** The environment name (default: the host config's env, else `NODE_ENV`, else `development`). */
  readonly env?: string;
  readonly logging?: NonNullable<TelemetryConfig["logging"]> & {
    /** Where log lines go: a stream, a file descriptor or a path (default stdout). */
    readonly destination?: DestinationStream | number | string;
    /** Fields on every log line. */
    readonly bindings?: Readonly<Record<string, unknown>>;
  };
  readonly tracing?: NonNullable<TelemetryConfig["tracing"]> & {
    /** An exporter instance to use instead of `exporter` (any OpenTelemetry `SpanExporter`). */
    readonly spanExporter?: SpanExporter;
    /**
     * Also register this tracer and meter provider as the process-wide OpenTelemetry globals,
     * so third-party instrumentations report through them (default false: with several hosts
     * in one process, only the first can).
     */
    readonly registerGlobal?: boolean;
  };
}

/**
 * Everything one app's telemetry holds: the logger, the tracer, the metrics registry, the
 * OpenTelemetry meter and the built-in instruments. `telemetry()` registers it under
 * `TelemetryToken`; `createTelemetry()` makes one without DI.
 */
export interface Telemetry {
  readonly serviceName: string;
  readonly env: string;
  readonly logger: TelemetryLogger;
  /** This app's tracer; without an SDK configured, the global OpenTelemetry tracer (no-op unless registered). */
  readonly tracer: Tracer;
  /** True when spans are recorded and exported by this app's SDK. */
  readonly tracingEnabled: boolean;
  /** An OpenTelemetry `Meter` whose instruments appear in the exposition. */
  readonly meter: Meter;
  readonly metrics: Metrics;
  readonly http: HttpInstruments;
  readonly db: DbInstruments;
  /** The exporter when `tracing.exporter` is `memory` (tests). */
  readonly memoryExporter: MemorySpanExporter | undefined;
  /** {@link withSpan} on this app's tracer. */
  withSpan<R>(
    name: string,
    attributes: Attributes | undefined,
    fn: (span: Span) => R,
    options?: Omit<WithSpanOptions, "tracer">,
  ): R;
  /** Exports every finished span and flushes the log stream. */
  flush(): Promise<void>;
  /** Flushes and stops exporters and process metrics; safe to call more than once. */
  shutdown(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** What only the module knows: the host config's env and environment variables. */
export interface TelemetryEnvironment {
  readonly env?: string | undefined;
  readonly variables?: Readonly<Record<string, string | undefined>>;
}

/** New traces sampled per second in production unless `tracing.tracesPerSecond` says otherwise. */
const DEFAULT_PRODUCTION_TRACES_PER_SECOND = 100;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function defaultServiceName(variables: Readonly<Record<string, string | undefined>>): string {
  return variables.OTEL_SERVICE_NAME ?? variables.npm_package_name ?? "app";
}

class TelemetryImpl implements Telemetry {
  readonly serviceName: string;
  readonly env: string;
  readonly logger: TelemetryLogger;
  readonly tracer: Tracer;
  readonly tracingEnabled: boolean;
  readonly meter: Meter;
  readonly metrics: Metrics;
  readonly http: HttpInstruments;
  readonly db: DbInstruments;
  readonly memoryExporter: MemorySpanExporter | undefined;
  readonly #ownTracer: Tracer | undefined;
  /** The options of `withSpan` when none are given, made once rather than per span. */
  readonly #tracerOnly: WithSpanOptions;
  readonly #shutdownWork: (() => Promise<void>)[] = [];
  readonly #flushWork: (() => Promise<void>)[] = [];
  #shutdown: Promise<void> | undefined;

  constructor(options: TelemetryOptions, environment: TelemetryEnvironment) {
    const variables = environment.variables ?? process.env;
    this.env = options.env ?? environment.env ?? variables.NODE_ENV ?? "development";
    this.serviceName = options.serviceName ?? defaultServiceName(variables);
    const logging = options.logging ?? {};
    this.logger = createLogger({
      serviceName: this.serviceName,
      env: this.env,
      ...(logging.level !== undefined ? { level: logging.level } : {}),
      ...(logging.pretty !== undefined ? { pretty: logging.pretty } : {}),
      ...(logging.redact !== undefined ? { redact: logging.redact } : {}),
      ...(logging.timestamp !== undefined ? { timestamp: logging.timestamp } : {}),
      ...(logging.destination !== undefined ? { destination: logging.destination } : {}),
      ...(logging.bindings !== undefined ? { bindings: logging.bindings } : {}),
    });
    const log = this.logger.child({ name: "dext.telemetry" });
    const onProblem = (problem: TelemetryError): void =>
      log.warn({ err: problem, code: problem.code }, problem.message);

    ensureContextManager();
    const resource = defaultResource().merge(
      resourceFromAttributes({
        ...options.resourceAttributes,
        "service.name": this.serviceName,
        "deployment.environment.name": options.environment ?? this.env,
        ...(options.serviceVersion !== undefined
          ? { "service.version": options.serviceVersion }
          : {}),
      }),
    );

    const m = options.metrics ?? {};
    this.metrics = createMetrics({
      ...(m.maxCardinality !== undefined ? { maxCardinality: m.maxCardinality } : {}),
      ...(m.defaultLabels !== undefined ? { defaultLabels: m.defaultLabels } : {}),
      onProblem,
    });

    const tracing = options.tracing ?? {};
    const otlpFromEnv =
      variables.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined ||
      variables.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
    const perSecond =
      tracing.tracesPerSecond ??
      (this.env === "production" ? DEFAULT_PRODUCTION_TRACES_PER_SECOND : "unlimited");
    const tracesPerSecond = perSecond === "unlimited" ? undefined : perSecond;
    const setup = setupTracing({
      exporter: tracing.exporter ?? (otlpFromEnv ? "otlp" : "none"),
      spanExporter: tracing.spanExporter,
      sampleRatio: tracing.sampleRatio ?? 1,
      tracesPerSecond,
      otlp: tracing.otlp ?? {},
      batch: tracing.batch ?? {},
      resource,
      onProblem,
      onSpansDropped: (reason, count) => droppedSpans?.(reason, count),
    });
    const droppedSpans =
      setup.provider === undefined
        ? undefined
        : spanDropCounter(this.metrics, tracing.batch?.maxQueueSize, onProblem);
    this.#ownTracer = setup.tracer;
    this.#tracerOnly = setup.tracer === undefined ? {} : { tracer: setup.tracer };
    if (setup.tracer !== undefined) {
      const own = setup.tracer;
      setLive(own, true);
      this.#shutdownWork.unshift(async () => setLive(own, false));
    }
    this.tracer = setup.tracer ?? trace.getTracer("@dext/telemetry");
    this.tracingEnabled = setup.tracer !== undefined;
    this.memoryExporter = setup.memoryExporter;
    const provider = setup.provider;
    if (provider !== undefined) {
      this.#flushWork.push(() => provider.forceFlush());
      this.#shutdownWork.push(() => provider.shutdown());
    }

    this.http = httpInstruments(this.metrics, m.httpBuckets ? { buckets: m.httpBuckets } : {});
    this.db = dbInstruments(this.metrics, m.dbBuckets ? { buckets: m.dbBuckets } : {});
    const bridge = createMeterBridge(this.metrics, resource, this.metrics.maxCardinality);
    this.meter = bridge.meter;
    this.#shutdownWork.push(() => bridge.shutdown());
    let processMetrics: ProcessMetrics | undefined;
    if (m.processMetrics === true) {
      processMetrics = enableProcessMetrics(this.metrics);
      this.#shutdownWork.push(async () => processMetrics?.stop());
    }

    if (tracing.registerGlobal === true) {
      const registered =
        (provider === undefined || trace.setGlobalTracerProvider(provider)) &&
        otelMetrics.setGlobalMeterProvider(bridge.provider);
      if (registered) {
        this.#shutdownWork.push(async () => {
          if (provider !== undefined) trace.disable();
          otelMetrics.disable();
        });
      } else {
        onProblem(
          new TelemetryError(
            "TELEMETRY_INVALID_OPTIONS",
            "tracing.registerGlobal is on but OpenTelemetry globals were already registered (another host or SDK in this process); this app keeps its own providers",
          ),
        );
      }
    }
    this.#flushWork.push(() => new Promise<void>((resolve) => this.logger.flush(() => resolve())));
    log.debug(
      {
        tracing: setup.target,
        sampleRatio: tracing.sampleRatio ?? 1,
        tracesPerSecond: perSecond,
        env: this.env,
      },
      "telemetry ready",
    );
  }

  withSpan<R>(
    name: string,
    attributes: Attributes | undefined,
    fn: (span: Span) => R,
    options?: Omit<WithSpanOptions, "tracer">,
  ): R {
    const tracer = this.#ownTracer;
    if (tracer === undefined) return withSpan(name, attributes, fn, options);
    return withSpan(
      name,
      attributes,
      fn,
      options === undefined ? this.#tracerOnly : { ...options, tracer },
    );
  }

  async flush(): Promise<void> {
    for (const work of this.#flushWork) await work();
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#stop();
    return this.#shutdown;
  }

  async #stop(): Promise<void> {
    const errors: unknown[] = [];
    // Shutting the tracer provider down exports every queued span first.
    for (const work of [...this.#shutdownWork, ...this.#flushWork]) {
      try {
        await work();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new TelemetryError(
        "TELEMETRY_SHUTDOWN_FAILED",
        `telemetry shutdown failed (queued spans may not have reached the exporter): ${errors.map(message).join("; ")}`,
        { cause: errors.length === 1 ? errors[0] : new AggregateError(errors) },
      );
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}

/**
 * Creates an app's telemetry without DI (the `telemetry()` module does this for a host).
 *
 * @example
 * ```ts
 * const t = createTelemetry({ serviceName: "worker", tracing: { exporter: "otlp" } });
 * await t.withSpan("digest", {}, () => sendDigest());
 * await t.shutdown(); // exports what is queued
 * ```
 */
export function createTelemetry(
  options: TelemetryOptions = {},
  environment: TelemetryEnvironment = {},
): Telemetry {
  return new TelemetryImpl(options, environment);
}
