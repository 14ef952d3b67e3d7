import {
  type AnyModule,
  type Config,
  createConfig,
  createHost,
  type Host,
  type HostOptions,
  type RunOptions,
} from "@dext/core-di";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { WebError } from "../errors.ts";
import { loadCertificate } from "../internal/certificates.ts";
import { checkRoutes } from "../internal/mount-routes.ts";
import type { WebRuntime } from "../internal/web-runtime.ts";
import { WebRoutesToken } from "../routes-token.ts";
import { RouteGroup } from "../routing/route-group.ts";
import { AppRoutesToken, runtimeOf, web } from "../web-module.ts";
import type { HttpsOptions, WebOptions } from "../web-options.ts";

/**
 * What {@link createApp} takes: core-di's host options (modules, config, logger, services,
 * `onStartupFailure`, `shutdownTimeoutMs`) plus the web module's options.
 *
 * @example
 * ```ts
 * const options: AppOptions = {
 *   modules: [telemetry({ serviceName: "forum" }), forumModule],
 *   config: loadConfig(),
 *   web: { port: 8080, cors: { origin: ["https://forum.example"] } },
 *   onStartupFailure: "maintenance",
 * };
 * const app = createApp(options);
 * ```
 */
export interface AppOptions extends Omit<HostOptions, "config"> {
  /** A loaded config, or plain values; plain values get the env of `DEXT_ENV`/`NODE_ENV`, else `production`. */
  readonly config?: Config | Record<string, unknown>;
  /** Options of the web module `createApp` adds when `modules` holds none. */
  readonly web?: WebOptions;
}

const isConfig = (c: unknown): c is Config =>
  c !== null && typeof c === "object" && typeof (c as Config).section === "function";

/**
 * A web application: the root route group (declare routes on it), the host it runs on, and
 * the lifecycle: `listen`, `run` (signals and graceful shutdown), `inject` (tests), `close`.
 *
 * @example
 * ```ts
 * const app = createApp();
 * app.get("/ping").handle(() => ({ pong: true }));
 * const res = await app.inject("/ping"); // res.json() is { pong: true }
 * await app.close();
 * ```
 */
export class WebApp extends RouteGroup {
  /**
   * The core-di host the app runs on: its state machine (`host.state`, `waitFor`), startup
   * tasks (`addStartupTask`), configuration and root services.
   */
  readonly host: Host;
  readonly #runtime: WebRuntime;

  /** @internal Use {@link createApp}. */
  constructor(host: Host, runtime: WebRuntime) {
    super("");
    this.host = host;
    this.#runtime = runtime;
  }

  /** The fastify instance (after start): for what this layer does not wrap. */
  get fastify(): FastifyInstance {
    return this.#runtime.fastify;
  }

  /** The base URL once listening (`http://127.0.0.1:3000`). */
  get url(): string {
    const url = this.#runtime.url;
    if (url === undefined) {
      throw new WebError("WEB_NOT_STARTED", "the app is not listening: await app.listen() first");
    }
    return url;
  }

  /**
   * Serves HTTPS from certificate files (PEM pair or PKCS#12), reloading them when they change
   * without dropping connections; `http2: true` serves HTTP/2 with HTTP/1.1 fallback.
   */
  useHttps(https: HttpsOptions): this {
    this.#runtime.setHttps(https);
    return this;
  }

  /** Re-reads the certificate files now (e.g. on SIGHUP); false when the new ones were rejected. */
  reloadCertificates(): boolean {
    return this.#runtime.reloadCertificates();
  }

  /**
   * Starts the host: modules start (the server listens in `Starting`, answering 503 until
   * `Running`), startup tasks run; resolves when Running (or Failed in maintenance mode).
   */
  async start(options: { readonly listen?: boolean } = {}): Promise<void> {
    if (!this.#runtime.started) {
      this.#runtime.listen = options.listen ?? true;
      this.#checkRoutes();
    }
    await this.host.start();
  }

  /** Starts and listens; resolves with the base URL. */
  async listen(): Promise<string> {
    await this.start({ listen: true });
    return this.url;
  }

  /** Starts, listens, and stops gracefully on SIGTERM/SIGINT; resolves (or exits) with the exit code. */
  async run(options?: RunOptions): Promise<number> {
    if (!this.#runtime.started) {
      this.#runtime.listen = true;
      this.#checkRoutes();
    }
    return this.host.run(options);
  }

  // Route mistakes are reported before the host starts, as the WebError itself.
  #checkRoutes(): void {
    if (this.host.state !== "Starting") return;
    checkRoutes([this, ...this.host.services.resolveAll(WebRoutesToken)]);
    const https = this.#runtime.options.https;
    if (https) loadCertificate(https);
  }

  /** Sends a request without a socket (starting the app without listening if needed). */
  async inject(request: InjectOptions | string): Promise<LightMyRequestResponse> {
    if (!this.#runtime.started) await this.start({ listen: false });
    return this.#runtime.fastify.inject(request as InjectOptions);
  }

  /** Stops the host gracefully (modules in reverse order). */
  close(reason?: string): Promise<void> {
    return this.host.stop(reason);
  }
}

/**
 * Creates a web application on a new core-di host. A `web()` module is added unless
 * `modules` already holds one.
 *
 * @example
 * ```ts
 * const app = createApp({ web: { port: 3000 } });
 * app.get("/users/:id")
 *   .params(z.object({ id: z.coerce.number() }))
 *   .handle((ctx, { params }) => ({ id: params.id }));
 * await app.run();
 * ```
 */
export function createApp(options: AppOptions = {}): WebApp {
  const given = options.modules ?? [];
  let webModule: AnyModule | undefined = given.find((m) => runtimeOf(m) !== undefined);
  if (webModule && options.web) {
    throw new WebError(
      "WEB_INVALID_OPTIONS",
      "pass web options either to web({...}) in modules or as createApp({ web }), not both",
    );
  }
  webModule ??= web(options.web);
  const modules = given.includes(webModule) ? given : [...given, webModule];
  const config = isConfig(options.config)
    ? options.config
    : createConfig(options.config ?? {}, {
        env: process.env.DEXT_ENV ?? process.env.NODE_ENV ?? "production",
      });
  let app: WebApp | undefined;
  const host = createHost({
    ...options,
    modules,
    config,
    services: (services) => {
      services.addSingleton(AppRoutesToken, { useFactory: () => app! });
      options.services?.(services);
    },
  });
  app = new WebApp(host, runtimeOf(webModule)!);
  return app;
}
