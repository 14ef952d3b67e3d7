import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

// One flag per process, even when two copies of this package are loaded.
const installedKey = Symbol.for("@dext/telemetry/context-manager");
const holder = globalThis as { [installedKey]?: boolean };
const probeKey = createContextKey("@dext/telemetry/probe");

/**
 * Makes sure the OpenTelemetry context follows async calls: when no working context manager
 * is registered (the API's default does nothing), registers an AsyncLocalStorage one, once
 * per process. A manager the app registered itself (e.g. through the Node SDK) is kept.
 */
export function ensureContextManager(): void {
  if (holder[installedKey]) return;
  holder[installedKey] = true;
  const probe = ROOT_CONTEXT.setValue(probeKey, true);
  const works = context.with(probe, () => context.active().getValue(probeKey) === true);
  if (!works) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
