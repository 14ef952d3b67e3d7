import { type AddressInfo, BlockList, isIPv4, isIPv6 } from "node:net";
import type { SecureContextOptions } from "node:tls";
import { type Host, type Logger, LoggerToken } from "@dext/core-di";
import fastifyMultipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { WebError } from "../errors.ts";
import { jsonFormatter, type OutputFormatter } from "../negotiation/output-formatter.ts";
import { RouteGroup } from "../routing/route-group.ts";
import type { HttpsOptions, WebOptions } from "../web-options.ts";
import { buildFastify } from "./build-fastify.ts";
import { CertificateWatcher, loadCertificate } from "./certificates.ts";
import { registerHealthRoutes } from "./health.ts";
import { checkRoutes, mountRoutes, registerMethodNotAllowed } from "./mount-routes.ts";
import { FormatterNegotiator } from "./negotiate.ts";
import { ProblemRenderer } from "./problem-renderer.ts";
import { type ResolvedOptions, resolveOptions } from "./resolved-options.ts";
import type { PipelineEnv } from "./route-handler.ts";
import { closeAllConnections } from "./server-factory.ts";
import type { TelemetryHooks } from "./telemetry-loader.ts";

/** What a metrics scrape answers. */
export interface MetricsAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** What the runtime needs from the app and the modules. */
export interface RuntimeSources {
  readonly root: RouteGroup | undefined;
  readonly moduleGroups: readonly RouteGroup[];
  /** Spans, metrics and the `/metrics` scrape, or no-ops without @dext/telemetry. */
  readonly telemetry: TelemetryHooks;
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Whether a bound address is reachable from this machine only. */
function isLoopback(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIPv4(v4)) return loopback.check(v4, "ipv4");
  return isIPv6(address) && loopback.check(address, "ipv6");
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

/** The running HTTP side of one host: fastify, the server, certificates, shutdown. */
export class WebRuntime {
  options: WebOptions;
  /** Whether start() binds a socket (false for inject-only tests). */
  listen = true;
  #fastify: FastifyInstance | undefined;
  #resolved: ResolvedOptions | undefined;
  #certificates: CertificateWatcher | undefined;
  #logger: Logger | undefined;
  #url: string | undefined;

  constructor(options: WebOptions) {
    this.options = options;
  }

  get fastify(): FastifyInstance {
    if (!this.#fastify) {
      throw new WebError(
        "WEB_NOT_STARTED",
        "the web server is not started yet: call app.listen(), app.start() or app.inject() first",
      );
    }
    return this.#fastify;
  }

  get started(): boolean {
    return this.#fastify !== undefined;
  }

  get url(): string | undefined {
    return this.#url;
  }

  setHttps(https: HttpsOptions): void {
    if (this.#fastify) {
      throw new WebError("WEB_ROUTES_SEALED", "useHttps() must be called before the app starts");
    }
    this.options = { ...this.options, https };
  }

  reloadCertificates(): boolean {
    return this.#certificates?.reload().ok ?? false;
  }

  async start(host: Host, sources: RuntimeSources): Promise<void> {
    const o = resolveOptions(this.options, host.config.env);
    this.#resolved = o;
    const logger = (host.services.tryResolve(LoggerToken) ?? host.logger).child({
      name: "dext.web",
    });
    this.#logger = logger;
    const renderer = new ProblemRenderer(o.problemBaseUri, o.development);
    const formatters: OutputFormatter[] = [...(this.options.formatters ?? [])];
    if (!formatters.some((f) => f.mediaType.toLowerCase() === "application/json"))
      formatters.unshift(jsonFormatter);
    const negotiator = new FormatterNegotiator(formatters);
    const instrumentation = sources.telemetry.instrumentation;
    const https = this.options.https;
    let tls: SecureContextOptions | undefined;
    if (https) tls = loadCertificate(https);

    sources.root?.seal();
    for (const g of sources.moduleGroups) g.seal();
    const roots = [...(sources.root ? [sources.root] : []), ...sources.moduleGroups];
    const routes = checkRoutes(roots);

    const { fastify, requestEnd, sendOwn } = await buildFastify({
      host,
      logger,
      options: o,
      raw: this.options,
      renderer,
      instrumentation,
      server: {
        maxHeaderSize: o.maxHeaderSize,
        requestTimeoutMs: o.requestTimeoutMs,
        keepAliveTimeoutMs: o.keepAliveTimeoutMs,
        headersTimeoutMs: o.headersTimeoutMs,
        tls,
        http2: https?.http2 === true,
      },
    });
    this.#fastify = fastify;
    const env: PipelineEnv = {
      provider: host.services,
      host,
      renderer,
      negotiator,
      notAcceptable: o.notAcceptable,
      sendOwn,
      handlerTimeoutMs: o.handlerTimeoutMs,
      handlerTimeoutGraceMs: o.handlerTimeoutGraceMs,
      timeoutStatus: o.handlerTimeoutStatus,
      retryAfterSeconds: o.retryAfterSeconds,
      instrumentation,
      requestEnd,
      logger,
      registerBodyParsers: async (instance) => {
        const multipart = this.options.multipart;
        if (multipart === false) return;
        await instance.register(fastifyMultipart, {
          attachFieldsToBody: "keyValues",
          limits: {
            files: 0,
            fields: multipart?.fields ?? 1000,
            fieldSize: multipart?.fieldSizeLimit ?? o.bodyLimit,
          },
        });
      },
    };
    if (o.health) registerHealthRoutes(fastify, host, renderer, o.health, o.retryAfterSeconds);
    const scrape = sources.telemetry.metrics;
    if (scrape && o.metricsPath !== false) {
      // Scrapes work while starting and stopping too, like health checks.
      fastify.get(o.metricsPath, { config: { dextBypassGate: true } }, async (request, reply) => {
        const answer = await scrape(request.headers.accept);
        return reply
          .code(answer.status)
          .type(answer.contentType)
          .header("cache-control", "no-store")
          .send(answer.body);
      });
    }
    await mountRoutes(fastify, sources.root ?? new RouteGroup(""), sources.moduleGroups, env);
    fastify.register(async (instance) => {
      registerMethodNotAllowed(instance, routes, renderer, {
        skipOptions: Boolean(this.options.cors),
      });
    });
    await fastify.ready();

    if (https && tls && https.watch !== false) {
      const server = fastify.server as unknown as {
        setSecureContext(o: SecureContextOptions): void;
      };
      this.#certificates = new CertificateWatcher(
        https,
        (next) => server.setSecureContext(next),
        logger,
        https.onReload,
      );
      this.#certificates.start();
    }
    if (!this.listen) return;
    try {
      await fastify.listen({ port: o.port, host: o.host });
    } catch (error) {
      throw new WebError(
        "WEB_LISTEN_FAILED",
        `cannot listen on ${o.host}:${o.port}: ${(error as Error).message}; pick another port (web.port) or stop what holds it`,
        { cause: error },
      );
    }
    const address = fastify.server.address() as AddressInfo;
    const hostName = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `${https ? "https" : "http"}://${hostName}:${address.port}`;
    logger.info({ url: this.#url, http2: https?.http2 === true }, "listening");
    if (o.development && !isLoopback(address.address)) {
      logger.warn(
        { url: this.#url, address: address.address },
        "development mode is on and the server listens on a non-loopback address: error responses show messages, stack traces, SQL and file paths to every client; set DEXT_ENV=production (or web.development: false) outside your machine",
      );
    }
  }

  /**
   * Graceful stop: readiness already fails (the host is Stopping); after the optional delay,
   * stop accepting, close idle keep-alive connections, let in-flight requests finish until the
   * drain deadline, then close what is left.
   */
  async stop(): Promise<void> {
    const fastify = this.#fastify;
    const o = this.#resolved;
    this.#certificates?.stop();
    if (!fastify || !o) return;
    if (o.shutdown.delayMs > 0 && this.#url) await sleep(o.shutdown.delayMs);
    const closing = fastify.close();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(resolve, o.shutdown.drainTimeoutMs, "timeout");
      timer.unref();
    });
    const r = await Promise.race([closing.then(() => "closed" as const), deadline]);
    clearTimeout(timer);
    if (r === "timeout") {
      this.#logger?.warn(
        { drainTimeoutMs: o.shutdown.drainTimeoutMs },
        "in-flight requests did not finish before the drain deadline; closing their connections",
      );
      closeAllConnections(fastify.server);
      await closing;
    }
    this.#logger?.info("web server stopped");
  }
}
