import { z } from "zod";

const level = z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);
const positiveInt = z.number().int().positive();

const loggingSection = z
  .object({
    level: level.optional(),
    pretty: z.boolean().optional(),
    redact: z.array(z.string().min(1)).optional(),
    timestamp: z.enum(["epoch", "iso"]).optional(),
  })
  .strict();

const tracingSection = z
  .object({
    exporter: z.enum(["otlp", "memory", "console", "none"]).optional(),
    sampleRatio: z.number().min(0).max(1).optional(),
    tracesPerSecond: z.union([positiveInt, z.literal("unlimited")]).optional(),
    otlp: z
      .object({
        url: z.url().optional(),
        headers: z.record(z.string(), z.string()).optional(),
        timeoutMs: positiveInt.optional(),
        compression: z.enum(["none", "gzip"]).optional(),
      })
      .strict()
      .optional(),
    batch: z
      .object({
        maxQueueSize: positiveInt.optional(),
        maxExportBatchSize: positiveInt.optional(),
        scheduledDelayMs: positiveInt.optional(),
        exportTimeoutMs: positiveInt.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const metricsSection = z
  .object({
    maxCardinality: positiveInt.optional(),
    defaultLabels: z.record(z.string(), z.string()).optional(),
    processMetrics: z.boolean().optional(),
    httpBuckets: z.array(z.number()).min(1).optional(),
    dbBuckets: z.array(z.number()).min(1).optional(),
  })
  .strict();

/**
 * The zod schema of the `telemetry` config section (YAML, `.env`, `DEXT__TELEMETRY__...`).
 *
 * @example
 * ```ts
 * const section = config.section("telemetry", telemetryConfigSchema);
 * ```
 */
export const telemetryConfigSchema: z.ZodType<TelemetryConfig | undefined> = z
  .object({
    serviceName: z.string().min(1).optional(),
    serviceVersion: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    resourceAttributes: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional(),
    logging: loggingSection.optional(),
    tracing: tracingSection.optional(),
    metrics: metricsSection.optional(),
  })
  .strict()
  .optional();

/** Log levels, lowest first; `silent` turns logging off. */
export type TelemetryLogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

/** The `telemetry` config section: everything that can come from YAML or the environment. */
export interface TelemetryConfig {
  /** `service.name` of spans, and the `service` field of log lines (default: package name or "app"). */
  readonly serviceName?: string | undefined;
  readonly serviceVersion?: string | undefined;
  /** `deployment.environment.name` (default: the config's env). */
  readonly environment?: string | undefined;
  /** Extra OpenTelemetry resource attributes. */
  readonly resourceAttributes?: Readonly<Record<string, string | number | boolean>> | undefined;
  readonly logging?:
    | {
        /** Default `info` (`debug` in development). */
        readonly level?: TelemetryLogLevel | undefined;
        /** Pretty lines through pino-pretty; development only (default: development and a TTY). */
        readonly pretty?: boolean | undefined;
        /** Paths redacted on top of the defaults (`authorization`, `cookie`, `password`, `token`). */
        readonly redact?: readonly string[] | undefined;
        /** `epoch` (ms, pino's default) or `iso`. */
        readonly timestamp?: "epoch" | "iso" | undefined;
      }
    | undefined;
  readonly tracing?:
    | {
        /** Default `otlp` when `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` is set, else `none`. */
        readonly exporter?: "otlp" | "memory" | "console" | "none" | undefined;
        /** Share of new traces sampled, 0..1 (default 1); child spans follow their parent. */
        readonly sampleRatio?: number | undefined;
        /**
         * At most this many new traces sampled per second (default 100 in production,
         * `"unlimited"` elsewhere); beyond it new traces are not recorded until the next second.
         */
        readonly tracesPerSecond?: number | "unlimited" | undefined;
        readonly otlp?:
          | {
              /** Default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `http://localhost:4318/v1/traces`. */
              readonly url?: string | undefined;
              readonly headers?: Readonly<Record<string, string>> | undefined;
              readonly timeoutMs?: number | undefined;
              readonly compression?: "none" | "gzip" | undefined;
            }
          | undefined;
        readonly batch?:
          | {
              readonly maxQueueSize?: number | undefined;
              readonly maxExportBatchSize?: number | undefined;
              readonly scheduledDelayMs?: number | undefined;
              readonly exportTimeoutMs?: number | undefined;
            }
          | undefined;
      }
    | undefined;
  readonly metrics?:
    | {
        /** Label sets per instrument before new ones are refused (default 2000). */
        readonly maxCardinality?: number | undefined;
        /** Labels added to every exposed series. */
        readonly defaultLabels?: Readonly<Record<string, string>> | undefined;
        /** Event-loop delay, heap, GC and CPU metrics (default false). */
        readonly processMetrics?: boolean | undefined;
        /** Buckets of `http_request_duration_seconds`. */
        readonly httpBuckets?: readonly number[] | undefined;
        /** Buckets of `db_query_duration_seconds`. */
        readonly dbBuckets?: readonly number[] | undefined;
      }
    | undefined;
}
