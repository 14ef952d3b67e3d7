import type { Metrics } from "./metrics.ts";
import type { Counter, Histogram, UpDownCounter } from "./types.ts";

/**
 * Buckets of `http_request_duration_seconds`: 5 ms to 10 s.
 *
 * @example
 * ```ts
 * telemetry({ metrics: { httpBuckets: [...HTTP_DURATION_BUCKETS, 30] } });
 * ```
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/**
 * Buckets of `db_query_duration_seconds`: 0.5 ms to 5 s (queries are usually fast).
 *
 * @example
 * ```ts
 * telemetry({ metrics: { dbBuckets: DB_DURATION_BUCKETS.filter((b) => b <= 1) } });
 * ```
 */
export const DB_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
]);

/** The HTTP server instruments; `route` is the route template (`/threads/:id`), never a URL. */
export interface HttpInstruments {
  /** `http_requests_total{method,route,status}`. */
  readonly requestsTotal: Counter<"method" | "route" | "status">;
  /** `http_active_connections`: open connections (inc on connect, dec on close). */
  readonly activeConnections: UpDownCounter;
  /** `http_requests_errors_total{method,route,status}`: requests answered 5xx or that threw. */
  readonly errorsTotal: Counter<"method" | "route" | "status">;
  /** `http_request_duration_seconds{method,route,status}`; `_sum / _count` is the average. */
  readonly requestDuration: Histogram<"method" | "route" | "status">;
}

/** The database client instruments. */
export interface DbInstruments {
  /** `db_query_duration_seconds{system,operation}` (`system`: `postgresql`, `sqlite`). */
  readonly queryDuration: Histogram<"system" | "operation">;
  /** `db_query_errors_total{system,operation}`: queries that failed. */
  readonly queryErrorsTotal: Counter<"system" | "operation">;
}

/**
 * The HTTP instruments on `metrics` (created once; later calls return the same ones).
 *
 * @example
 * ```ts
 * const http = httpInstruments(metrics);
 * const labels = { method: "GET", route: "/threads/:id", status: 200 };
 * http.requestsTotal.inc(labels);
 * http.requestDuration.observe(labels, seconds);
 * ```
 */
export function httpInstruments(
  metrics: Metrics,
  options: { readonly buckets?: readonly number[] } = {},
): HttpInstruments {
  const labelNames = ["method", "route", "status"] as const;
  return {
    requestsTotal: metrics.counter("http_requests_total", {
      help: "HTTP requests answered, by method, route template and status code",
      labelNames,
    }),
    activeConnections: metrics.upDownCounter("http_active_connections", {
      help: "HTTP connections currently open",
    }),
    errorsTotal: metrics.counter("http_requests_errors_total", {
      help: "HTTP requests that failed (5xx or an unhandled error), by method, route template and status code",
      labelNames,
    }),
    requestDuration: metrics.histogram("http_request_duration_seconds", {
      help: "HTTP request duration in seconds, from first byte in to last byte out",
      labelNames,
      buckets: options.buckets ?? HTTP_DURATION_BUCKETS,
    }),
  };
}

/**
 * The database instruments on `metrics` (created once; later calls return the same ones).
 *
 * @example
 * ```ts
 * const db = dbInstruments(metrics);
 * const end = db.queryDuration.startTimer({ system: "postgresql", operation: "select" });
 * await run();
 * end();
 * ```
 */
export function dbInstruments(
  metrics: Metrics,
  options: { readonly buckets?: readonly number[] } = {},
): DbInstruments {
  const labelNames = ["system", "operation"] as const;
  return {
    queryDuration: metrics.histogram("db_query_duration_seconds", {
      help: "Database query duration in seconds, by database system and operation",
      labelNames,
      buckets: options.buckets ?? DB_DURATION_BUCKETS,
    }),
    queryErrorsTotal: metrics.counter("db_query_errors_total", {
      help: "Database queries that failed, by database system and operation",
      labelNames,
    }),
  };
}
