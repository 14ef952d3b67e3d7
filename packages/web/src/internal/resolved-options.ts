import type { WebOptions } from "../web-options.ts";
import type { RequestIdSource } from "./request-ids.ts";

/** {@link WebOptions} with every default filled in. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly bodyLimit: number;
  readonly handlerTimeoutMs: number;
  readonly handlerTimeoutGraceMs: number;
  readonly handlerTimeoutStatus: 503 | 504;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly trustProxy: boolean | number | string | string[];
  readonly trustRequestId: boolean;
  readonly requestIdHeader: string;
  readonly requestIds: RequestIdSource;
  readonly requestLog: boolean;
  readonly slowRequestMs: number;
  readonly notAcceptable: "problem" | "fallback";
  readonly retryAfterSeconds: number;
  readonly problemBaseUri: string;
  readonly development: boolean;
  readonly lifecycleGate: boolean;
  readonly health: false | { livePath: string; readyPath: string; checkTimeoutMs: number };
  readonly shutdown: { delayMs: number; drainTimeoutMs: number };
  readonly metricsPath: string | false;
}

/** Fills in the defaults; `env` is the config environment (development shows error details). */
export function resolveOptions(o: WebOptions, env: string): ResolvedOptions {
  const trustProxy =
    o.trustProxy === undefined
      ? false
      : Array.isArray(o.trustProxy)
        ? [...o.trustProxy]
        : o.trustProxy;
  return {
    port: o.port ?? 3000,
    host: o.host ?? "0.0.0.0",
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    handlerTimeoutMs: o.handlerTimeoutMs ?? 30_000,
    handlerTimeoutGraceMs: o.handlerTimeoutGraceMs ?? 10_000,
    handlerTimeoutStatus: o.handlerTimeoutStatus ?? 504,
    requestTimeoutMs: o.requestTimeoutMs ?? 60_000,
    keepAliveTimeoutMs: o.keepAliveTimeoutMs ?? 72_000,
    headersTimeoutMs: o.headersTimeoutMs ?? 30_000,
    maxHeaderSize: o.maxHeaderSize ?? 16 * 1024,
    trustProxy: trustProxy as boolean | number | string | string[],
    trustRequestId: o.trustRequestId ?? trustProxy !== false,
    requestIdHeader: (o.requestIdHeader ?? "x-request-id").toLowerCase(),
    requestIds: o.requestIds ?? "sequential",
    requestLog: o.requestLog ?? true,
    slowRequestMs: o.slowRequestMs ?? 1000,
    notAcceptable: o.notAcceptable ?? "problem",
    retryAfterSeconds: o.retryAfterSeconds ?? 5,
    problemBaseUri: o.problemBaseUri ?? "https://dext.dev/problems/",
    development: o.development ?? env === "development",
    lifecycleGate: o.lifecycleGate ?? true,
    health:
      o.health === false
        ? false
        : {
            livePath: o.health?.livePath ?? "/health/live",
            readyPath: o.health?.readyPath ?? "/health/ready",
            checkTimeoutMs: o.health?.checkTimeoutMs ?? 5000,
          },
    shutdown: {
      delayMs: o.shutdown?.delayMs ?? 0,
      drainTimeoutMs: o.shutdown?.drainTimeoutMs ?? 10_000,
    },
    metricsPath: o.metricsPath ?? "/metrics",
  };
}
