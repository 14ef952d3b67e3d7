import { z } from "zod";
import type { WebOptions } from "../web-options.ts";

const ms = z.number().int().min(0);

/** The serializable part of {@link WebOptions}, as the `web` config section may set it. */
export const webConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65535),
    host: z.string().min(1),
    bodyLimit: z.number().int().positive(),
    handlerTimeoutMs: ms,
    handlerTimeoutStatus: z.union([z.literal(503), z.literal(504)]),
    requestTimeoutMs: ms,
    keepAliveTimeoutMs: ms,
    headersTimeoutMs: ms,
    maxHeaderSize: z.number().int().min(1024),
    trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string(), z.array(z.string())]),
    trustRequestId: z.boolean(),
    requestIdHeader: z.string().min(1),
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

/** What the `web` config section holds once validated. */
export type WebConfig = z.output<typeof webConfigSchema>;

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
