import { createRequire } from "node:module";
import { hostname } from "node:os";
import { context, isSpanContextValid, trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import type { TelemetryLogLevel } from "../config.ts";
import { TelemetryError } from "../errors.ts";
import { currentRequestId } from "../tracing/request-id.ts";

/** The pino logger @dext/telemetry creates; it satisfies core-di's `Logger`. */
export type TelemetryLogger = PinoLogger;

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Default `info`, or `debug` when `env` is `development`. */
  readonly level?: TelemetryLogLevel;
  /** Written as `service` on every line. */
  readonly serviceName?: string;
  /** The environment (default `NODE_ENV`, else `development`); pretty output needs `development`. */
  readonly env?: string;
  /**
   * Pretty, colored lines through pino-pretty (an optional dependency, loaded only then).
   * Only allowed in development; default: development with stdout a terminal.
   */
  readonly pretty?: boolean;
  /** Paths to redact on top of {@link DEFAULT_REDACT_PATHS}. */
  readonly redact?: readonly string[];
  /** Replace the default redaction paths instead of adding to them (default false). */
  readonly replaceDefaultRedaction?: boolean;
  /** `epoch` (milliseconds, the default) or `iso`. */
  readonly timestamp?: "epoch" | "iso";
  /** Fields on every line (besides `pid`, `hostname` and `service`). */
  readonly bindings?: Readonly<Record<string, unknown>>;
  /** Where lines go: a stream, a file descriptor or a file path (default stdout). */
  readonly destination?: DestinationStream | number | string;
}

const SECRETS = ["authorization", "cookie", "password", "token"] as const;
const HEADER_HOLDERS = [
  "headers",
  "req.headers",
  "request.headers",
  "res.headers",
  "reply.headers",
  "response.headers",
];
const SECRET_HOLDERS = ["body", "user", "credentials", "auth", "data", "input", "params", "query"];

/**
 * What is redacted by default: `authorization`, `cookie`, `password` and `token` at the top
 * level; `authorization`, `cookie` and `set-cookie` in `headers`, `req.headers`,
 * `request.headers`, `res.headers`, `reply.headers` and `response.headers`; `password` and
 * `token` in `body`, `user`, `credentials`, `auth`, `data`, `input`, `params` and `query`.
 * Explicit paths only: a wildcard path costs about a microsecond on every log line, whether
 * the key is there or not.
 *
 * @example
 * ```ts
 * createLogger({ redact: ["payment.card.number"] }); // added to DEFAULT_REDACT_PATHS
 * ```
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = Object.freeze([
  ...SECRETS,
  ...HEADER_HOLDERS.flatMap((h) => [`${h}.authorization`, `${h}.cookie`, `${h}["set-cookie"]`]),
  ...SECRET_HOLDERS.flatMap((h) => [`${h}.password`, `${h}.token`]),
]);

const EMPTY = Object.freeze({});

/** The trace and request ids of the active context, added to every line. */
function traceFields(): object {
  const ctx = context.active();
  const span = trace.getSpan(ctx);
  const requestId = currentRequestId(ctx);
  if (span === undefined && requestId === undefined) return EMPTY;
  const fields: { trace_id?: string; span_id?: string; trace_flags?: string; request_id?: string } =
    {};
  if (span !== undefined) {
    const sc = span.spanContext();
    if (isSpanContextValid(sc)) {
      fields.trace_id = sc.traceId;
      fields.span_id = sc.spanId;
      fields.trace_flags = sc.traceFlags & 1 ? "01" : "00";
    }
  }
  if (requestId !== undefined) fields.request_id = requestId;
  return fields;
}

function prettyStream(destination: CreateLoggerOptions["destination"]): DestinationStream {
  const require = createRequire(import.meta.url);
  let factory: (options: object) => DestinationStream;
  try {
    const loaded = require("pino-pretty") as { default?: typeof factory } & typeof factory;
    factory = loaded.default ?? loaded;
  } catch (error) {
    throw new TelemetryError(
      "TELEMETRY_PRETTY_UNAVAILABLE",
      "logging.pretty is on but pino-pretty is not installed: add it as a dev dependency (pnpm add -D pino-pretty) or set logging.pretty to false",
      { cause: error },
    );
  }
  return factory({
    sync: true,
    colorize: destination === undefined ? process.stdout.isTTY === true : false,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
    ...(destination === undefined ? {} : { destination }),
  });
}

function usePretty(options: CreateLoggerOptions, env: string): boolean {
  if (options.pretty === true) {
    if (env !== "development") {
      throw new TelemetryError(
        "TELEMETRY_INVALID_OPTIONS",
        `logging.pretty is on but the environment is "${env}": pretty output is for development only; production logs stay JSON lines`,
      );
    }
    return true;
  }
  if (options.pretty === false || env !== "development" || options.destination !== undefined) {
    return false;
  }
  if (process.stdout.isTTY !== true) return false;
  // The default: pretty when a developer watches a terminal and pino-pretty is installed.
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the pino logger Dext uses: JSON lines with `trace_id`, `span_id` and `request_id`
 * from the active context, secrets redacted, pretty output in development only.
 *
 * @example
 * ```ts
 * const log = createLogger({ serviceName: "forum", level: "info" });
 * log.info({ userId: 7, password: "hunter2" }, "signed in"); // password: "[redacted]"
 * ```
 */
export function createLogger(options: CreateLoggerOptions = {}): TelemetryLogger {
  const env = options.env ?? process.env.NODE_ENV ?? "development";
  const paths = [
    ...(options.replaceDefaultRedaction ? [] : DEFAULT_REDACT_PATHS),
    ...(options.redact ?? []),
  ];
  const pretty = usePretty(options, env);
  const stream = pretty
    ? prettyStream(options.destination)
    : typeof options.destination === "object"
      ? options.destination
      : pino.destination({ dest: options.destination ?? 1, sync: true });
  try {
    return pino(
      {
        level: options.level ?? (env === "development" ? "debug" : "info"),
        base: {
          pid: process.pid,
          hostname: hostname(),
          ...(options.serviceName !== undefined ? { service: options.serviceName } : {}),
          ...options.bindings,
        },
        redact: { paths, censor: "[redacted]" },
        mixin: traceFields,
        // pino's default merge writes into the mixin's object; the shared empty one stays frozen.
        mixinMergeStrategy: (mergeObject, mixinObject) =>
          mixinObject === EMPTY ? mergeObject : Object.assign(mixinObject, mergeObject),
        timestamp: options.timestamp === "iso" ? pino.stdTimeFunctions.isoTime : true,
        serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      },
      stream,
    );
  } catch (error) {
    throw new TelemetryError(
      "TELEMETRY_INVALID_OPTIONS",
      `the logger could not be created: ${error instanceof Error ? error.message : String(error)} (check logging.redact paths)`,
      { cause: error },
    );
  }
}
