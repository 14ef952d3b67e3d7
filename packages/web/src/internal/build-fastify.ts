import "./fastify-config.ts";
import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { Host, Logger } from "@dext/core-di";
import fastifyCompress from "@fastify/compress";
import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyFormbody from "@fastify/formbody";
import Fastify, {
  type FastifyContextConfig,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { problemTypes } from "../problem/problem-details.ts";
import type { WebOptions } from "../web-options.ts";
import { closeAfterResponse } from "./close-after-response.ts";
import { fastifySymbol, routeContextKey } from "./fastify-symbols.ts";
import { flushingZlib } from "./flushing-zlib.ts";
import type { Instrumentation } from "./instrumentation.ts";
import { type ProblemRenderer, pathOf } from "./problem-renderer.ts";
import { trustProxyFn } from "./proxy-trust.ts";
import { RequestEnd } from "./request-end.ts";
import { requestIdMaker } from "./request-ids.ts";
import { kDext, peekState, stateOf } from "./request-keys.ts";
import { lazyRequestLoggers } from "./request-loggers.ts";
import type { ResolvedOptions } from "./resolved-options.ts";
import { routeHooks, type SendOwn } from "./route-hooks.ts";
import { securityHeaders } from "./security-headers.ts";
import { clientErrorHandler, type ServerSettings, serverFactory } from "./server-factory.ts";

const safeRequestId = /^[\w.:@/+=-]{1,128}$/;

type StateBag = Record<symbol, unknown>;

/** What building the fastify instance needs. */
export interface BuildInput {
  readonly host: Host;
  readonly logger: Logger;
  readonly options: ResolvedOptions;
  readonly raw: WebOptions;
  readonly renderer: ProblemRenderer;
  readonly instrumentation: Instrumentation;
  readonly server: ServerSettings;
}

/** What {@link buildFastify} returns: fastify, and how Dext's own answers end a request. */
export interface BuiltFastify {
  readonly fastify: FastifyInstance;
  readonly requestEnd: RequestEnd;
  /** Sends an answer Dext formatted itself (see route-hooks.ts). */
  readonly sendOwn: SendOwn;
}

/** Creates fastify on our server with the official plugins, the gate, request ids and logging. */
export async function buildFastify(input: BuildInput): Promise<BuiltFastify> {
  const { host, logger, options, raw, renderer, instrumentation } = input;
  const header = options.requestIdHeader;
  // With trustProxy set, an incoming id is honoured only from a peer that is a trusted proxy;
  // without it (and trustRequestId: true) from every client.
  const peerTrusted = options.trustProxy === false ? () => true : trustProxyFn(options.trustProxy);
  const newId = requestIdMaker(options.requestIds);
  const requestEnd = new RequestEnd(logger, options, instrumentation);
  const fastify = Fastify({
    // No `logger`/`loggerInstance`: given one, fastify puts `finish` and `error` listeners on
    // every response. Request loggers are made on first use (request-loggers.ts), and
    // `fastify.log` is set to ours below, so fastify and its plugins still log through it
    // (docs/architecture.md).
    // One line per request is ours (with route, duration and trace ids), not fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: serverFactory(input.server),
    ...(input.server.http2 ? { http2: true, https: { allowHTTP1: true } } : {}),
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy as never,
    return503OnClosing: false,
    forceCloseConnections: "idle",
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      if (options.trustRequestId) {
        const v = req.headers[header];
        if (
          typeof v === "string" &&
          safeRequestId.test(v) &&
          peerTrusted(req.socket?.remoteAddress ?? "", 0)
        )
          return v;
      }
      return newId(req);
    },
    clientErrorHandler: clientErrorHandler(renderer, logger),
    // Malformed URLs and failed route constraints never reach the error handler.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      renderer.send(reply, renderer.fromError(error, request));
      requestEnd.afterSend(request, reply);
    },
  } as never) as unknown as FastifyInstance;
  // `request.log` and `reply.log`: a child of our logger, made when first read. This reads
  // fastify's no-op logger, so it comes before `fastify.log` is replaced.
  lazyRequestLoggers(fastify, logger, (source) =>
    instrumentation.logFields(peekState(source)?.telemetry),
  );
  // `log` is a plain property of the instance; encapsulated contexts inherit it.
  (fastify as { log: unknown }).log = logger;

  // Per-request keys are declared on fastify's Request, which assigns them in its constructor,
  // so every request object has one shape from birth. Added later, they gave requests a
  // second shape that only live requests hold: V8 drops such a shape when the server idles
  // and deoptimises every function compiled against it (docs/architecture.md).
  fastify.decorateRequest(kDext as never, undefined as never);

  const threshold = (raw.compression || undefined)?.threshold ?? 1024;
  const hooks = routeHooks(fastify, requestEnd, threshold);
  hooks.beforeCompression();

  const stopCounting = instrumentation.countConnections(
    () =>
      new Promise<number>((resolve) =>
        fastify.server.getConnections((error, open) => resolve(error ? 0 : open)),
      ),
  );
  fastify.addHook("onClose", (_instance, done) => {
    stopCounting();
    done();
  });

  // Cookies are parsed when a route binds or reads them, not on every request.
  await fastify.register(fastifyCookie, {
    hook: false,
    ...(raw.cookieSecret ? { secret: [...[raw.cookieSecret].flat()] } : {}),
  });
  await fastify.register(fastifyFormbody);
  if (raw.cors) await fastify.register(fastifyCors, raw.cors);
  const security =
    raw.securityHeaders === false ? undefined : securityHeaders(raw.securityHeaders ?? {});
  const fixedHeaders = security?.fixed;
  const applyHeaders = security?.apply;
  if (raw.compression !== false) {
    await fastify.register(fastifyCompress, {
      global: true,
      // Compressed request bodies are rare for an API; not checking every request for them is not.
      globalDecompression: false,
      zlib: flushingZlib,
      threshold,
      ...(raw.compression?.encodings ? { encodings: [...raw.compression.encodings] } : {}),
    });
  }
  hooks.afterCompression();

  // fastify times a reply (`reply.elapsedTime`) only when it listens for the response's end.
  // Its start key is set on every reply in the constructor; filling it in keeps elapsedTime
  // working for plugins and middleware on Dext's routes (found by name: not exported).
  let replyStartKey: symbol | null | undefined;
  const gate = options.lifecycleGate;
  fastify.addHook("onRequest", (request, reply, done) => {
    const start = performance.now();
    if (replyStartKey === undefined)
      replyStartKey = fastifySymbol(reply, "fastify.reply.startTime");
    if (replyStartKey !== null && (reply as unknown as StateBag)[replyStartKey] === undefined)
      (reply as unknown as StateBag)[replyStartKey] = start;
    reply.header(header, request.id);
    if (fixedHeaders !== undefined) reply.headers(fixedHeaders);
    else if (applyHeaders !== undefined) applyHeaders(request.raw, reply.raw);
    const dext = stateOf(request);
    dext.start = start;
    // The route's config, as `request.routeOptions.config` gives it, without the object that
    // getter builds on every read (`routeOptions.url` is `config.url`).
    // (fastify's route context, found by its key's name, else `routeOptions`).
    const contextKey = routeContextKey(request);
    const config = (
      contextKey === null
        ? request.routeOptions
        : (request as unknown as Record<symbol, { config?: unknown }>)[contextKey]
    )?.config as (FastifyContextConfig & { url?: string }) | undefined;
    // What compress's per-route onRequest hook (taken off Dext's routes) would have set.
    const compress = config?.dextCompress;
    if (compress !== undefined) (reply as { compress: unknown }).compress = compress;
    const route = config?.url;
    dext.route = route;
    if (instrumentation.enabled) dext.telemetry = instrumentation.begin(request, route);
    const state = host.state;
    if (!gate || state === "Running" || config?.dextBypassGate === true) {
      if (state === "Stopping") closeAfterResponse(request, reply);
      return done();
    }
    if (state === "Stopping") closeAfterResponse(request, reply);
    dext.handled = true;
    // A failed startup's message can hold internals; outside development only the state is shown.
    const detail = state === "Failed" && !renderer.development ? undefined : host.detail;
    renderer.send(
      reply,
      renderer.fromInit(
        {
          status: 503,
          type: problemTypes.unavailable,
          title: "Service Unavailable",
          detail: `the service is ${state}${detail ? ` (${detail})` : ""}; retry later`,
          headers: { "retry-after": String(options.retryAfterSeconds) },
          extensions: { state },
        },
        request,
      ),
    );
    requestEnd.afterSend(request, reply);
  });

  fastify.setErrorHandler((error, request, reply) => {
    const problem = renderer.fromError(error, request);
    const state = stateOf(request);
    state.error = error;
    state.handled = true;
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    if (instrumentation.enabled) instrumentation.fail(state.telemetry, error);
    renderer.send(reply, problem);
    requestEnd.afterSend(request, reply);
    return reply;
  });

  fastify.setNotFoundHandler((request, reply) => {
    renderer.send(
      reply,
      renderer.fromInit(
        {
          status: 404,
          type: problemTypes.notFound,
          detail: `no route matches ${request.method} ${pathOf(request.url)}`,
        },
        request,
      ),
    );
    requestEnd.afterSend(request, reply);
  });

  return { fastify, requestEnd, sendOwn: hooks.sendOwn };
}
