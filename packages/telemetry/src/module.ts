import {
  type Config,
  ConfigToken,
  type DextModule,
  defineModule,
  LoggerToken,
  type Token,
  token,
} from "@dext/core-di";
import type { Meter, Tracer } from "@opentelemetry/api";
import { type TelemetryConfig, telemetryConfigSchema } from "./config.ts";
import type { Metrics } from "./metrics/metrics.ts";
import { createTelemetry, type Telemetry, type TelemetryOptions } from "./telemetry.ts";

/**
 * Where modules find the app's {@link Telemetry}: logger, tracer, metrics, instruments.
 *
 * @example
 * ```ts
 * const { http, withSpan } = host.services.resolve(TelemetryToken);
 * ```
 */
export const TelemetryToken: Token<Telemetry> = token<Telemetry>("Telemetry");
/**
 * Where modules find the app's OpenTelemetry `Tracer`.
 *
 * @example
 * ```ts
 * const span = host.services.resolve(TracerToken).startSpan("cache.warm");
 * ```
 */
export const TracerToken: Token<Tracer> = token<Tracer>("Tracer");
/**
 * Where modules find the app's metrics registry.
 *
 * @example
 * ```ts
 * services.addSingleton(Mailer, { deps: [MetricsToken], useFactory: (metrics) => new Mailer(metrics) });
 * ```
 */
export const MetricsToken: Token<Metrics> = token<Metrics>("Metrics");
/**
 * Where modules find an OpenTelemetry `Meter` whose instruments are scraped with the rest.
 *
 * @example
 * ```ts
 * host.services.resolve(MeterToken).createCounter("cache.hits").add(1);
 * ```
 */
export const MeterToken: Token<Meter> = token<Meter>("Meter");

/** Options merged with the config section: the section's values win, section by section. */
function merge(options: TelemetryOptions, section: TelemetryConfig | undefined): TelemetryOptions {
  if (section === undefined) return options;
  const { logging, tracing, metrics, ...rest } = section;
  const merged: { -readonly [K in keyof TelemetryOptions]: TelemetryOptions[K] } = { ...options };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (logging !== undefined) merged.logging = { ...options.logging, ...logging };
  if (metrics !== undefined) merged.metrics = { ...options.metrics, ...metrics };
  if (tracing !== undefined) {
    merged.tracing = {
      ...options.tracing,
      ...tracing,
      otlp: { ...options.tracing?.otlp, ...tracing.otlp },
      batch: { ...options.tracing?.batch, ...tracing.batch },
    };
  }
  return merged;
}

/**
 * The telemetry module: validates the `telemetry` config section, registers the pino logger
 * under core-di's `LoggerToken` (the host logs through it), the tracer, the metrics registry,
 * the OpenTelemetry meter and the {@link Telemetry} itself, and on host stop exports every
 * queued span before the process ends. List it first, so it stops last.
 *
 * @example
 * ```ts
 * const host = createHost({
 *   modules: [telemetry({ serviceName: "forum" }), web({ ... })],
 *   config: loadConfig(),
 * });
 * await host.run();
 * ```
 */
export function telemetry(options: TelemetryOptions = {}): DextModule<TelemetryConfig | undefined> {
  return defineModule<TelemetryConfig | undefined>({
    name: "telemetry",
    config: { section: "telemetry", schema: telemetryConfigSchema },
    register(services, section) {
      services
        .addSingleton(TelemetryToken, {
          deps: [ConfigToken],
          useFactory: (config: Config) =>
            createTelemetry(merge(options, section), {
              env: config.env,
              variables: { ...process.env, ...config.environment },
            }),
        })
        .addSingleton(LoggerToken, { deps: [TelemetryToken], useFactory: (t) => t.logger })
        .addSingleton(TracerToken, { deps: [TelemetryToken], useFactory: (t) => t.tracer })
        .addSingleton(MetricsToken, { deps: [TelemetryToken], useFactory: (t) => t.metrics })
        .addSingleton(MeterToken, { deps: [TelemetryToken], useFactory: (t) => t.meter });
    },
    async stop(host) {
      await host.services.resolve(TelemetryToken).shutdown();
    },
  });
}
