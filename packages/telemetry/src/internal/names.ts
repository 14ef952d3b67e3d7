import { TelemetryError } from "../errors.ts";

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws `TELEMETRY_INVALID_METRIC_NAME` unless `name` is a valid Prometheus metric name. */
export function assertMetricName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !metricName.test(name) || name.startsWith("__")) {
    throw new TelemetryError(
      "TELEMETRY_INVALID_METRIC_NAME",
      `invalid metric name ${JSON.stringify(name)}: use letters, digits, "_" and ":", not starting with a digit or "__" (e.g. "http_requests_total")`,
    );
  }
}

/** Throws `TELEMETRY_INVALID_LABEL_NAME` for an invalid, reserved or repeated label name. */
export function assertLabelNames(
  metric: string,
  names: readonly unknown[],
  reserved: readonly string[] = [],
): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== "string" || !labelName.test(name) || name.startsWith("__")) {
      throw new TelemetryError(
        "TELEMETRY_INVALID_LABEL_NAME",
        `metric "${metric}" has an invalid label name ${JSON.stringify(name)}: use letters, digits and "_", not starting with a digit or "__"`,
      );
    }
    if (reserved.includes(name)) {
      throw new TelemetryError(
        "TELEMETRY_INVALID_LABEL_NAME",
        `metric "${metric}" cannot use the label name "${name}": it is reserved for this metric type`,
      );
    }
    if (seen.has(name)) {
      throw new TelemetryError(
        "TELEMETRY_INVALID_LABEL_NAME",
        `metric "${metric}" lists the label name "${name}" twice`,
      );
    }
    seen.add(name);
  }
}

/** Turns an arbitrary (OpenTelemetry) name into a valid Prometheus metric or label name. */
export function sanitizeName(name: string, label = false): string {
  let out = name.replace(label ? /[^a-zA-Z0-9_]/g : /[^a-zA-Z0-9_:]/g, "_");
  if (/^[0-9]/.test(out)) out = `_${out}`;
  if (label && out.startsWith("__")) out = out.replace(/^_+/, "_");
  return out || "_";
}
