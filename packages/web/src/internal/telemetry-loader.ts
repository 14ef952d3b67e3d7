import type { Host } from "@dext/core-di";
import { type Instrumentation, noInstrumentation } from "./instrumentation.ts";
import type { MetricsAnswer } from "./web-runtime.ts";

/** What the web layer takes from @dext/telemetry when the app registered it. */
export interface TelemetryHooks {
  readonly instrumentation: Instrumentation;
  /** The scrape handler for `/metrics`, when telemetry is registered. */
  readonly metrics: ((accept?: string) => Promise<MetricsAnswer>) | undefined;
}

const none: TelemetryHooks = { instrumentation: noInstrumentation, metrics: undefined };

const notInstalled = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === "ERR_MODULE_NOT_FOUND" &&
    typeof e.message === "string" &&
    e.message.includes("'@dext/telemetry'")
  );
};

/**
 * @dext/telemetry is an optional peer: it is imported here, at startup, and used only when the
 * app registered its module (an app that did has imported it already, so this costs nothing).
 * Without it every request takes the no-op instrumentation and `/metrics` is not mounted.
 */
export async function telemetryHooks(host: Host): Promise<TelemetryHooks> {
  let telemetry: typeof import("@dext/telemetry");
  try {
    telemetry = await import("@dext/telemetry");
  } catch (error) {
    if (notInstalled(error)) return none;
    throw error;
  }
  const registered = host.services.tryResolve(telemetry.TelemetryToken);
  if (registered === undefined) return none;
  const { telemetryInstrumentation } = await import("./telemetry-instrumentation.ts");
  return {
    instrumentation: telemetryInstrumentation(registered),
    metrics: telemetry.metricsEndpoint(registered.metrics),
  };
}
