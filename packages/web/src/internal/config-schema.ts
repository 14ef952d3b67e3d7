import { z } from "zod";
import type { WebOptions } from "../web-options.ts";

const ms = z.number().int().min(0);

const schema = z
  .object({
    port: z.number().int().min(0).max(65535),
    host: z.string().min(1),
    bodyLimit: z.number().int().positive(),
    handlerTimeoutMs: ms,
    handlerTimeoutGraceMs: ms,
    handlerTimeoutStatus: z.union([z.literal(503), z.literal(504)]),
    requestTimeoutMs: ms,
    keepAliveTimeoutMs: ms,
    headersTimeoutMs: ms,
    maxHeaderSize: z.number().int().min(1024),
    trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string(), z.array(z.string())]),
    trustRequestId: z.boolean(),
    requestIdHeader: z.string().min(1),
    requestIds: z.enum(["sequential", "uuid"]),
    requestLog: z.boolean(),
    slowRequestMs: ms,
    notAcceptable: z.enum(["problem", "fallback"]),
    retryAfterSeconds: z.number().int().min(0),
    problemBaseUri: z.string().min(1),
    development: z.boolean(),
    lifecycleGate: z.boolean(),
    metricsPath: z.union([z.string().startsWith("/"), z.literal(false)]),
    compression: z.union([
      z.literal(false),
      z
        .object({
          threshold: z.number().int().min(0),
          encodings: z.array(z.enum(["zstd", "br", "gzip", "deflate"])).min(1),
        })
        .partial()
        .strict(),
    ]),
    health: z.union([
      z.literal(false),
      z
        .object({
          livePath: z.string().startsWith("/"),
          readyPath: z.string().startsWith("/"),
          checkTimeoutMs: z.number().int().positive(),
        })
        .partial()
        .strict(),
    ]),
    shutdown: z.object({ delayMs: ms, drainTimeoutMs: ms }).partial().strict(),
    https: z.union([
      z
        .object({
          certFile: z.string(),
          keyFile: z.string(),
          caFile: z.string().optional(),
          http2: z.boolean().optional(),
          watch: z.boolean().optional(),
        })
        .strict(),
      z
        .object({
          pfxFile: z.string(),
          passphrase: z.string().optional(),
          http2: z.boolean().optional(),
          watch: z.boolean().optional(),
        })
        .strict(),
    ]),
    cookieSecret: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  })
  .partial()
  .strict();

type Opt<T> = T | undefined;

/**
 * What the `web` config section may set: the serializable part of {@link WebOptions}. It is
 * validated at startup (unknown keys are errors) and overrides the options given in code.
 *
 * @example
 * ```ts
 * // config/production.yaml:  web: { port: 8080, trustProxy: ["10.0.0.0/8"] }
 * // or the environment:      DEXT__WEB__PORT=8080
 * const section: WebConfig = { port: 8080, trustProxy: ["10.0.0.0/8"], shutdown: { delayMs: 5000 } };
 * ```
 */
export interface WebConfig {
  readonly port?: Opt<number>;
  readonly host?: Opt<string>;
  readonly bodyLimit?: Opt<number>;
  readonly handlerTimeoutMs?: Opt<number>;
  readonly handlerTimeoutGraceMs?: Opt<number>;
  readonly handlerTimeoutStatus?: Opt<503 | 504>;
  readonly requestTimeoutMs?: Opt<number>;
  readonly keepAliveTimeoutMs?: Opt<number>;
  readonly headersTimeoutMs?: Opt<number>;
  readonly maxHeaderSize?: Opt<number>;
  readonly trustProxy?: Opt<boolean | number | string | string[]>;
  readonly trustRequestId?: Opt<boolean>;
  readonly requestIdHeader?: Opt<string>;
  readonly requestIds?: Opt<"sequential" | "uuid">;
  readonly requestLog?: Opt<boolean>;
  readonly slowRequestMs?: Opt<number>;
  readonly notAcceptable?: Opt<"problem" | "fallback">;
  readonly retryAfterSeconds?: Opt<number>;
  readonly problemBaseUri?: Opt<string>;
  readonly development?: Opt<boolean>;
  readonly lifecycleGate?: Opt<boolean>;
  readonly metricsPath?: Opt<string | false>;
  readonly compression?: Opt<
    false | { threshold?: Opt<number>; encodings?: Opt<("zstd" | "br" | "gzip" | "deflate")[]> }
  >;
  readonly health?: Opt<
    false | { livePath?: Opt<string>; readyPath?: Opt<string>; checkTimeoutMs?: Opt<number> }
  >;
  readonly shutdown?: Opt<{ delayMs?: Opt<number>; drainTimeoutMs?: Opt<number> }>;
  readonly https?: Opt<
    | {
        certFile: string;
        keyFile: string;
        caFile?: Opt<string>;
        http2?: Opt<boolean>;
        watch?: Opt<boolean>;
      }
    | { pfxFile: string; passphrase?: Opt<string>; http2?: Opt<boolean>; watch?: Opt<boolean> }
  >;
  readonly cookieSecret?: Opt<string | string[]>;
}

/** Validates the `web` config section (unknown keys are errors, so typos are caught). */
export const webConfigSchema: z.ZodType<WebConfig> = schema;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Code options first, config values on top (nested objects merged one level deep). */
export function mergeOptions(code: WebOptions, config: WebConfig | undefined): WebOptions {
  if (!config) return code;
  const out: Record<string, unknown> = { ...code };
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? { ...current, ...value } : value;
  }
  return out as WebOptions;
}
