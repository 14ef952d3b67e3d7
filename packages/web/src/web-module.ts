import { type DextModule, type Host, type Token, token } from "@dext/core-di";
import { mergeOptions, type WebConfig, webConfigSchema } from "./internal/config-schema.ts";
import { telemetryHooks } from "./internal/telemetry-loader.ts";
import { WebRuntime } from "./internal/web-runtime.ts";
import { WebRoutesToken } from "./routes-token.ts";
import type { RouteGroup } from "./routing/route-group.ts";
import type { WebOptions } from "./web-options.ts";

/**
 * Where `createApp` registers the app's own root group of routes.
 *
 * @example
 * ```ts
 * const root = host.services.tryResolve(AppRoutesToken); // the WebApp, when there is one
 * ```
 */
export const AppRoutesToken: Token<RouteGroup> = token<RouteGroup>("AppRoutes");

const runtimes = new WeakMap<object, WebRuntime>();

/** @internal The runtime behind a `web()` module. */
export function runtimeOf(module: object): WebRuntime | undefined {
  return runtimes.get(module);
}

/**
 * The module `web()` returns, to place in a host's `modules`.
 *
 * @example
 * ```ts
 * const http: WebModule = web({ port: 8080 });
 * createApp({ modules: [http, orm({ database: { dialect: "postgres" } })] });
 * ```
 */
export type WebModule = DextModule<WebConfig | undefined>;

/**
 * The HTTP module: starts listening in the host's `Starting` state (so the 503 gate answers
 * while migrations and seeding run) and stops gracefully in `Stopping`. Code options are
 * defaults; the `web` config section overrides them.
 *
 * @example
 * ```ts
 * const host = createHost({ modules: [web({ port: 8080 })], config: loadConfig() });
 * await host.run();
 * ```
 */
export function web(options: WebOptions = {}): WebModule {
  const runtime = new WebRuntime(options);
  const module: WebModule = {
    name: "web",
    config: { section: "web", schema: webConfigSchema.optional() },
    register(_services, config) {
      runtime.options = mergeOptions(runtime.options, config);
    },
    async start(host: Host) {
      await runtime.start(host, {
        root: host.services.tryResolve(AppRoutesToken),
        moduleGroups: host.services.resolveAll(WebRoutesToken),
        telemetry: await telemetryHooks(host),
      });
    },
    async stop() {
      await runtime.stop();
    },
  };
  runtimes.set(module, runtime);
  return module;
}
