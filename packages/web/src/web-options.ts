import type { FastifyCorsOptions } from "@fastify/cors";
import type { HelmetOptions } from "helmet";
import type { RequestIdSource } from "./internal/request-ids.ts";
import type { OutputFormatter } from "./negotiation/output-formatter.ts";

/**
 * Certificate files for TLS: a PEM pair (with an optional CA chain) or a PKCS#12 bundle.
 *
 * @example
 * ```ts
 * const pem: CertificateFiles = { certFile: "/etc/tls/tls.crt", keyFile: "/etc/tls/tls.key" };
 * const p12: CertificateFiles = { pfxFile: "server.p12", passphrase: process.env.TLS_PASSPHRASE };
 * ```
 */
export type CertificateFiles =
  | { readonly certFile: string; readonly keyFile: string; readonly caFile?: string }
  | { readonly pfxFile: string; readonly passphrase?: string };

/**
 * What a certificate reload reports (to `onReload` and the log).
 *
 * @example
 * ```ts
 * app.useHttps({ ...files, onReload: (r: CertificateReload) => r.ok || alert(r.error!.message) });
 * ```
 */
export interface CertificateReload {
  readonly ok: boolean;
  /** Why the new files were rejected (the old certificate stays in use). */
  readonly error?: Error;
}

/**
 * HTTPS settings: the certificate files, reload on change, HTTP/2.
 *
 * @example
 * ```ts
 * const https: HttpsOptions = { certFile: "tls.crt", keyFile: "tls.key", http2: true, watch: true };
 * app.useHttps(https);
 * ```
 */
export type HttpsOptions = CertificateFiles & {
  /** Serve HTTP/2 (with HTTP/1.1 fallback over ALPN); default false. */
  readonly http2?: boolean;
  /** Reload the certificate when the files change (default true). */
  readonly watch?: boolean;
  /** Called after each reload attempt. */
  readonly onReload?: (reload: CertificateReload) => void;
};

/**
 * Compression settings (`@fastify/compress`).
 *
 * @example
 * ```ts
 * web({ compression: { threshold: 2048, encodings: ["br", "gzip"] } });
 * ```
 */
export interface CompressionOptions {
  /** Bodies smaller than this many bytes are sent as they are (default 1024). */
  readonly threshold?: number;
  /** Encodings in order of preference (default zstd where supported, br, gzip, deflate). */
  readonly encodings?: readonly ("zstd" | "br" | "gzip" | "deflate")[];
}

/**
 * Health endpoint settings.
 *
 * @example
 * ```ts
 * web({ health: { livePath: "/livez", readyPath: "/readyz", checkTimeoutMs: 2000 } });
 * ```
 */
export interface HealthOptions {
  /** Default `/health/live`. */
  readonly livePath?: string;
  /** Default `/health/ready`. */
  readonly readyPath?: string;
  /** Each dependency check is aborted after this long (default 5000 ms). */
  readonly checkTimeoutMs?: number;
}

/**
 * Graceful shutdown settings.
 *
 * @example
 * ```ts
 * // Behind a load balancer that polls /health/ready every 5 s:
 * web({ shutdown: { delayMs: 6000, drainTimeoutMs: 20_000 } });
 * ```
 */
export interface ShutdownOptions {
  /**
   * How long the server keeps accepting connections after the host enters `Stopping`, before it
   * closes its port (default 0). Meanwhile readiness fails and every request but health and
   * metrics gets the lifecycle gate's 503 (with `Retry-After` and `Connection: close`), so load
   * balancers and clients notice the instance leaving instead of getting refused connections.
   */
  readonly delayMs?: number;
  /** In-flight requests get this long to finish before their connections are closed (default 10 s). */
  readonly drainTimeoutMs?: number;
}

/**
 * Everything `web({...})` and `createApp({ web })` accept; the `web` config section overrides
 * the serializable ones.
 *
 * @example
 * ```ts
 * const options: WebOptions = {
 *   port: 8080,
 *   trustProxy: ["10.0.0.0/8"],
 *   handlerTimeoutMs: 10_000,
 *   formatters: [xmlFormatter()],
 *   shutdown: { delayMs: 5000 },
 * };
 * createApp({ web: options });
 * ```
 */
export interface WebOptions {
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** Default `0.0.0.0`. */
  readonly host?: string;
  /** Largest request body in bytes (default 1 MiB); larger ones get 413. */
  readonly bodyLimit?: number;
  /** A handler that has not finished after this long gets a timeout problem (default 30 s; 0 = none). */
  readonly handlerTimeoutMs?: number;
  /**
   * A timed-out handler keeps its request scope (a scoped DbContext, its connection) until it
   * settles, but at most this much longer; then the scope is disposed anyway and an error is
   * logged (default 10 s; 0 = dispose at the deadline).
   */
  readonly handlerTimeoutGraceMs?: number;
  /** 504 (default: the handler is a gateway to slow dependencies) or 503 (with `Retry-After`). */
  readonly handlerTimeoutStatus?: 503 | 504;
  /** Node's `requestTimeout`: the whole request must arrive within it (default 60 s). */
  readonly requestTimeoutMs?: number;
  /** Idle keep-alive connections close after this long (default 72 s). */
  readonly keepAliveTimeoutMs?: number;
  /** Headers must arrive within this long (default 30 s). */
  readonly headersTimeoutMs?: number;
  /** Largest header block in bytes (default 16 KiB); larger ones get 431. */
  readonly maxHeaderSize?: number;
  /**
   * fastify's `trustProxy`: true, addresses/CIDRs of trusted proxies, or a hop count (which
   * trusts no socket peer, as in fastify 5) (default false).
   */
  readonly trustProxy?: boolean | number | string | readonly string[];
  /**
   * Honour an incoming request id header (default: when `trustProxy` is set). With `trustProxy`
   * set, only from a socket peer that is a trusted proxy; without it, from every client.
   */
  readonly trustRequestId?: boolean;
  /** Default `x-request-id`. */
  readonly requestIdHeader?: string;
  /**
   * How request ids are made when none is honoured from the request: `sequential` (default), a
   * random per-process prefix and a counter (`4f1c9e0a7b2d-1k`), unique across processes but
   * showing how many requests the process has served; `uuid`, a random UUID v4 (costs ~0.3 µs
   * and 0.5 KB more per request); or a function of Node's request.
   */
  readonly requestIds?: RequestIdSource;
  /** One log line per request (default true). */
  readonly requestLog?: boolean;
  /** Requests slower than this log a warning (default 1000 ms; 0 = never). */
  readonly slowRequestMs?: number;
  /** `@fastify/cors` options, or false (the default) for no CORS. */
  readonly cors?: false | FastifyCorsOptions;
  /** `helmet` options, or false for no security headers (default on, helmet's defaults). */
  readonly securityHeaders?: false | HelmetOptions;
  /** Compression settings, or false to turn it off (default on). */
  readonly compression?: false | CompressionOptions;
  /** Extra output formatters; JSON is always available and first unless listed explicitly. */
  readonly formatters?: readonly OutputFormatter[];
  /** No acceptable media type: `problem` answers 406 (default), `fallback` sends JSON. */
  readonly notAcceptable?: "problem" | "fallback";
  /** Health endpoints, or false for none. */
  readonly health?: false | HealthOptions;
  /** `Retry-After` seconds on lifecycle 503s (default 5). */
  readonly retryAfterSeconds?: number;
  /** Base of every problem `type` URI (default `https://dext.dev/problems/`). */
  readonly problemBaseUri?: string;
  /** Stack traces and internal messages in problems (default: config env is `development`). */
  readonly development?: boolean;
  /** Graceful shutdown: how long the port stays open answering 503, how long requests may drain. */
  readonly shutdown?: ShutdownOptions;
  /** Serve HTTPS (see `useHttps`). */
  readonly https?: HttpsOptions;
  /** Multipart (field-only) body parsing limits, or false to reject multipart. */
  readonly multipart?: false | { readonly fieldSizeLimit?: number; readonly fields?: number };
  /** Secret for signed cookies (`@fastify/cookie`). */
  readonly cookieSecret?: string | readonly string[];
  /** Answer 503 while the host is not Running (default true). */
  readonly lifecycleGate?: boolean;
  /** Where to mount the telemetry metrics endpoint, or false (default `/metrics` when telemetry is registered). */
  readonly metricsPath?: string | false;
}
