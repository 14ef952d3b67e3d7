import { type Host, type Logger, runInScope, type ServiceProvider } from "@dext/core-di";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { WebError } from "../errors.ts";
import type { Middleware } from "../middleware.ts";
import { problemTypes } from "../problem/problem-details.ts";
import type { HttpResult } from "../results/http-result.ts";
import type { MutableRouteDefinition } from "../routing/route-definition.ts";
import { bind, presentParts } from "./binding.ts";
import { closeAfterResponse } from "./close-after-response.ts";
import { Deadlines, tickFor } from "./deadlines.ts";
import type { Instrumentation } from "./instrumentation.ts";
import { type RenderedProblem, replyAlreadySent } from "./problem-renderer.ts";
import { RequestContextImpl } from "./request-context-impl.ts";
import { NoResult, type SendEnv, sendResult, toResult } from "./send-result.ts";

/** What every route handler shares. */
export interface PipelineEnv extends SendEnv {
  readonly provider: ServiceProvider;
  readonly host: Host;
  readonly handlerTimeoutMs: number;
  /** After a handler timeout, how long its scope waits for the handler to settle. */
  readonly handlerTimeoutGraceMs: number;
  readonly timeoutStatus: 503 | 504;
  readonly retryAfterSeconds: number;
  readonly instrumentation: Instrumentation;
  readonly logger: Logger;
  /** Registers the body parsers only routes with bodies need (multipart). */
  readonly registerBodyParsers: (instance: FastifyInstance) => Promise<void>;
}

/** Per-request telemetry state and the outcome the request log reads. */
export const kState: unique symbol = Symbol("dext.telemetry");
export const kError: unique symbol = Symbol("dext.error");

type Run = (ctx: RequestContextImpl, input: unknown) => unknown;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

function compose(middleware: readonly Middleware[], def: MutableRouteDefinition): Run {
  const handler = def.handler!;
  if (middleware.length === 0) return handler as Run;
  return (ctx, input) => {
    let last = -1;
    const dispatch = async (i: number): Promise<HttpResult> => {
      if (i <= last) {
        throw new WebError(
          "WEB_NEXT_CALLED_TWICE",
          `a middleware of ${def.method} ${def.fullPath} called next() more than once; call it once and return (or transform) its result`,
        );
      }
      last = i;
      if (i === middleware.length) return toResult(await handler(ctx, input));
      let inner: HttpResult | undefined;
      const value = await middleware[i]!(ctx, async () => {
        inner = await dispatch(i + 1);
        return inner;
      });
      // `await next()` without `return` keeps the handler's result instead of turning it into 204.
      return value === undefined && inner !== undefined ? inner : toResult(value);
    };
    return dispatch(0);
  };
}

const TIMED_OUT = Symbol("timed out");

/**
 * Tracks one request until its scope may be disposed: the response is closed and the handler's
 * work has settled. A timed-out handler is still running when its 504 is sent, so its scope (a
 * scoped DbContext and its connection) stays open until it settles or its grace period ends.
 */
class RequestLife {
  readonly ctx: RequestContextImpl;
  readonly reply: FastifyReply;
  readonly logger: Logger;
  closed = false;
  settled = false;
  aborted = false;
  #disposed = false;
  #grace: NodeJS.Timeout | undefined;

  readonly instrumentation: Instrumentation;

  constructor(
    ctx: RequestContextImpl,
    reply: FastifyReply,
    logger: Logger,
    instrumentation: Instrumentation,
  ) {
    this.ctx = ctx;
    this.reply = reply;
    this.logger = logger;
    this.instrumentation = instrumentation;
  }

  readonly onClose = (): void => {
    this.closed = true;
    if (!this.reply.raw.writableFinished) {
      this.aborted = true;
      this.ctx.abort(new DOMException("the client closed the connection", "AbortError"));
      const request = this.ctx.raw.request;
      request.log.info({ route: this.ctx.route.fullPath }, "request aborted by the client");
      if (this.instrumentation.enabled) {
        // fastify's onResponse never runs for these; 499 is the usual "client closed" status.
        this.instrumentation.end((request as unknown as Record<symbol, unknown>)[kState], {
          method: request.method,
          route: this.ctx.route.fullPath,
          status: 499,
          durationMs: this.reply.elapsedTime,
          aborted: true,
          error: undefined,
        });
      }
    }
    this.#maybeDispose();
  };

  settle(): void {
    if (this.#grace !== undefined) {
      clearTimeout(this.#grace);
      this.#grace = undefined;
    }
    this.settled = true;
    this.#maybeDispose();
  }

  /**
   * The handler missed its deadline: its scope waits for it to settle, but at most `graceMs`
   * more; a handler that ignores its aborted signal for longer has its scope disposed under it.
   */
  timedOut(timeoutMs: number, graceMs: number): void {
    if (this.settled) return;
    if (graceMs <= 0) {
      this.settle();
      return;
    }
    this.#grace = setTimeout(() => {
      this.#grace = undefined;
      if (this.settled) return;
      this.logger.error(
        {
          reqId: this.ctx.id,
          route: this.ctx.route.fullPath,
          handlerTimeoutMs: timeoutMs,
          handlerTimeoutGraceMs: graceMs,
        },
        "a timed-out handler is still running after its grace period; disposing its request scope under it (make the handler honour ctx.signal)",
      );
      this.settle();
    }, graceMs);
    this.#grace.unref();
  }

  #maybeDispose(): void {
    if (!this.closed || !this.settled || this.#disposed) return;
    this.#disposed = true;
    this.ctx.services.dispose().catch((error: unknown) => {
      this.logger.error({ err: error, reqId: this.ctx.id }, "disposing the request scope failed");
    });
  }
}

/** Builds the fastify handler for one declared route. */
export function createRouteHandler(
  def: MutableRouteDefinition,
  chain: readonly Middleware[],
  env: PipelineEnv,
): RouteHandlerMethod {
  const parts = presentParts(def.schemas);
  const timeoutMs = def.timeoutMs ?? env.handlerTimeoutMs;
  const run = compose([...chain, ...def.middleware], def);
  const { renderer, instrumentation, host } = env;

  const timeoutProblem = (request: FastifyRequest): RenderedProblem =>
    renderer.fromInit(
      {
        status: env.timeoutStatus,
        type: problemTypes.handlerTimeout,
        detail: `the handler did not finish within ${timeoutMs} ms`,
        ...(env.timeoutStatus === 503
          ? { headers: { "retry-after": String(env.retryAfterSeconds) } }
          : {}),
      },
      request,
    );

  const deadlines = timeoutMs > 0 ? new Deadlines(tickFor(timeoutMs)) : undefined;

  // Waits for an async handler, or for its deadline, whichever comes first. At the deadline the
  // client gets its answer; the scope stays open until the handler settles (see RequestLife).
  const settleOrTimeout = (
    work: PromiseLike<unknown>,
    life: RequestLife,
  ): Promise<HttpResult | typeof TIMED_OUT> =>
    new Promise((resolve, reject) => {
      let timedOut = false;
      const deadline = deadlines!.add(timeoutMs, () => {
        timedOut = true;
        life.ctx.abort(new DOMException(`handler timeout (${timeoutMs} ms)`, "TimeoutError"));
        life.timedOut(timeoutMs, env.handlerTimeoutGraceMs);
        resolve(TIMED_OUT);
      });
      work.then(
        (r) => {
          deadlines!.cancel(deadline);
          life.settle();
          resolve(toResult(r));
        },
        (e: unknown) => {
          deadlines!.cancel(deadline);
          life.settle();
          if (timedOut && e !== life.ctx.abortReason) {
            life.ctx.raw.request.log.warn(
              { err: e, route: def.fullPath },
              "a handler failed after its timeout",
            );
          }
          reject(e);
        },
      );
    });

  return async function dextRoute(request: FastifyRequest, reply: FastifyReply) {
    const scope = env.provider.createScope();
    const ctx = new RequestContextImpl(request, reply, def, scope, host);
    const life = new RequestLife(ctx, reply, env.logger, instrumentation);
    reply.raw.once("close", life.onClose);
    let result: HttpResult | undefined;
    let problem: RenderedProblem | undefined;
    try {
      let bound = bind(def.schemas, parts, request);
      if (bound instanceof Promise) bound = await bound;
      if (!bound.ok) {
        life.settle();
        problem = renderer.fromInit(
          {
            status: 400,
            type: problemTypes.validation,
            title: "The request is not valid",
            detail: `${bound.errors.length} field${bound.errors.length === 1 ? "" : "s"} failed validation`,
            errors: bound.errors,
          },
          request,
        );
      } else {
        const input = bound.input;
        const state = (request as unknown as Record<symbol, unknown>)[kState];
        const value = instrumentation.run(state, () => runInScope(scope, () => run(ctx, input)));
        if (!isThenable(value)) {
          // A synchronous handler: no promise, no deadline.
          life.settle();
          result = toResult(value);
        } else if (deadlines) {
          const r = await settleOrTimeout(value, life);
          if (r === TIMED_OUT) problem = timeoutProblem(request);
          else result = r;
        } else {
          try {
            result = toResult(await value);
          } finally {
            life.settle();
          }
        }
      }
    } catch (error) {
      life.settle();
      (request as unknown as Record<symbol, unknown>)[kError] = error;
      problem = renderer.fromError(error, request);
      if (problem.status >= 500) {
        request.log.error({ err: error, route: def.fullPath }, "request failed");
        instrumentation.fail((request as unknown as Record<symbol, unknown>)[kState], error);
      }
    }
    if (host.state === "Stopping") closeAfterResponse(request, reply);
    if (reply.sent) {
      if (!(result instanceof NoResult)) {
        request.log.error(
          { err: replyAlreadySent(def.method, def.fullPath) },
          "reply already sent",
        );
      }
      return reply;
    }
    if (life.aborted) return reply;
    if (problem) return renderer.send(reply, problem);
    return sendResult(request, reply, result!, env);
  };
}
