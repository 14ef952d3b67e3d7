/** Every error code @dext/telemetry throws; each is documented in the README. */
export type TelemetryErrorCode =
  | "TELEMETRY_INVALID_METRIC_NAME"
  | "TELEMETRY_INVALID_LABEL_NAME"
  | "TELEMETRY_INVALID_LABELS"
  | "TELEMETRY_INVALID_VALUE"
  | "TELEMETRY_INVALID_BUCKETS"
  | "TELEMETRY_METRIC_CONFLICT"
  | "TELEMETRY_CARDINALITY_EXCEEDED"
  | "TELEMETRY_COLLECT_FAILED"
  | "TELEMETRY_INVALID_OPTIONS"
  | "TELEMETRY_PRETTY_UNAVAILABLE"
  | "TELEMETRY_EXPORT_FAILED"
  | "TELEMETRY_SPANS_DROPPED"
  | "TELEMETRY_SHUTDOWN_FAILED";

/**
 * The base error of @dext/telemetry: a stable `code` and, where there is one, the `cause`.
 *
 * @example
 * ```ts
 * try {
 *   metrics.counter("http requests", { help: "..." });
 * } catch (e) {
 *   if (e instanceof TelemetryError && e.code === "TELEMETRY_INVALID_METRIC_NAME") ...
 * }
 * ```
 */
export class TelemetryError extends Error {
  override readonly name: string = "TelemetryError";
  readonly code: TelemetryErrorCode;

  constructor(code: TelemetryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
