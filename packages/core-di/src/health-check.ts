import { type Token, token } from "./token.ts";

/** What a health check reports when it passes; anything thrown or rejected means it failed. */
export interface HealthCheckResult {
  /** Extra facts for the readiness answer (pool stats, replication lag). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * A dependency the app needs to serve (a database, Redis). Packages register theirs under
 * {@link HealthCheckToken} (many may be registered); the web layer runs them all for
 * `/health/ready`, so neither side imports the other.
 *
 * @example
 * ```ts
 * services.addSingleton(HealthCheckToken, {
 *   deps: [Redis],
 *   useFactory: (redis) => ({ name: "redis", check: async () => void (await redis.ping()) }),
 * });
 * ```
 */
export interface HealthCheck {
  readonly name: string;
  /** Resolves when healthy; rejects (or throws) with the reason when not. */
  // biome-ignore lint/suspicious/noConfusingVoidType: lets `async check() { await ping(); }` implement it.
  check(signal: AbortSignal): Promise<HealthCheckResult | undefined | void>;
}

/** The multi-registration key for {@link HealthCheck}s; resolve with `all(HealthCheckToken)`. */
export const HealthCheckToken: Token<HealthCheck> = token<HealthCheck>("HealthCheck");
