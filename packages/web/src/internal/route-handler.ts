import { type Host, type Logger, runInScope, type ServiceProvider } from "@dext/core-di";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { WebError } from "../errors.ts";
import type { Middleware } from "../middleware.ts";
import { type ProblemFieldError, problemTypes } from "../problem/problem-details.ts";
import { HttpResult } from "../results/http-result.ts";
import type { MutableRouteDefinition } from "../routing/route-definition.ts";
import { BindErrors, type BindResult, bind, presentParts } from "./binding.ts";
import { closeAfterResponse } from "./close-after-response.ts";
import { Deadlines, tickFor } from "./deadlines.ts";
import type { Instrumentation } from "./instrumentation.ts";
import { type RenderedProblem, replyAlreadySent } from "./problem-renderer.ts";
import { RequestContextImpl } from "./request-context-impl.ts";
import type { RequestEnd } from "./request-end.ts";
import { stateOf } from "./request-keys.ts";
import { RequestLife } from "./request-life.ts";
import { NoResult, type SendEnv, sendData, sendResult, toResult } from "./send-result.ts";

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
  /** Ends requests (metrics, span, log line) after Dext's routes answer. */
  readonly requestEnd: RequestEnd;
  readonly logger: Logger;
  /** Registers the body parsers only routes with bodies need (multipart). */
  readonly registerBodyParsers: (instance: FastifyInstance) => Promise<void>;
}

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

/** Whether sending `result` reads a stream after the handler returned. */
const streams = (result: HttpResult): boolean =>
  result.kind === "stream" ||
  result.kind === "file" ||
  (result.kind === "content" && typeof (result.body as { pipe?: unknown })?.pipe === "function");

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
            life.ctx.request.log.warn(
              { err: e, route: def.fullPath },
              "a handler failed after its timeout",
            );
          }
          reject(e);
        },
      );
    });

  const invalid = (
    errors: readonly ProblemFieldError[],
    request: FastifyRequest,
  ): RenderedProblem =>
    renderer.fromInit(
      {
        status: 400,
        type: problemTypes.validation,
        title: "The request is not valid",
        detail: `${errors.length} field${errors.length === 1 ? "" : "s"} failed validation`,
        errors,
      },
      request,
    );

  const failed = (error: unknown, request: FastifyRequest, life: RequestLife): RenderedProblem => {
    life.settle();
    const state = stateOf(request);
    state.error = error;
    const problem = renderer.fromError(error, request);
    if (problem.status >= 500) {
      request.log.error({ err: error, route: def.fullPath }, "request failed");
      instrumentation.fail(state.telemetry, error);
    }
    return problem;
  };

  // Sends the outcome unless the client left or the handler sent through the raw reply.
  const finish = (
    request: FastifyRequest,
    reply: FastifyReply,
    life: RequestLife,
    result: HttpResult | undefined,
    problem: RenderedProblem | undefined,
    plain: unknown = undefined,
  ): void => {
    if (host.state === "Stopping") closeAfterResponse(request, reply);
    if (reply.sent) {
      if (!(result instanceof NoResult)) {
        request.log.error(
          { err: replyAlreadySent(def.method, def.fullPath) },
          "reply already sent",
        );
      }
      return;
    }
    if (life.aborted) return;
    if (problem) renderer.send(reply, problem);
    else if (result === undefined) sendData(request, reply, 200, plain, undefined, env);
    else sendResult(request, reply, result, env);
  };

  // Runs middleware and handler in the request's scope (and trace context), passing values as
  // arguments: no closure is made per request. Without telemetry there is no trace context.
  const inScope = (ctx: RequestContextImpl, input: unknown): unknown =>
    runInScope(ctx.services, run, ctx, input);
  const invoke = (request: FastifyRequest, life: RequestLife, input: unknown): unknown =>
    instrumentation.enabled
      ? instrumentation.run(stateOf(request).telemetry, inScope, life.ctx, input)
      : inScope(life.ctx, input);

  // The part of a request that waits: async binding, an async handler, its deadline.
  const finishAsync = async (
    request: FastifyRequest,
    reply: FastifyReply,
    life: RequestLife,
    binding: Promise<BindResult> | undefined,
    pending: unknown,
  ): Promise<FastifyReply> => {
    let result: HttpResult | undefined;
    let problem: RenderedProblem | undefined;
    try {
      let value = pending;
      const bound = binding === undefined ? undefined : await binding;
      if (bound instanceof BindErrors) {
        life.settle();
        problem = invalid(bound.errors, request);
      } else {
        if (bound !== undefined) value = invoke(request, life, bound);
        if (!isThenable(value)) {
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
      problem = failed(error, request, life);
    }
    finish(request, reply, life, result, problem);
    life.responded();
    return reply;
  };

  // Synchronous until something is a promise: a request whose binding and handler are
  // synchronous is answered without a promise (fastify sees `undefined` and adds nothing).
  return function dextRoute(request: FastifyRequest, reply: FastifyReply) {
    stateOf(request).handled = true;
    const scope = env.provider.createScope();
    const ctx = new RequestContextImpl(request, reply, def, scope, host);
    const life = new RequestLife(ctx, reply, env.logger, env.requestEnd);
    let result: HttpResult | undefined;
    let problem: RenderedProblem | undefined;
    let plain: unknown;
    try {
      const bound = bind(def.schemas, parts, request);
      if (bound instanceof Promise) {
        life.watch();
        return finishAsync(request, reply, life, bound, undefined);
      }
      if (bound instanceof BindErrors) {
        life.settle();
        problem = invalid(bound.errors, request);
      } else {
        const value = invoke(request, life, bound);
        if (isThenable(value)) {
          life.watch();
          return finishAsync(request, reply, life, undefined, value);
        }
        life.settle();
        // A plain value (the common case) is sent as 200 data without a result object.
        if (value === undefined || value instanceof HttpResult) result = toResult(value);
        else plain = value;
      }
    } catch (error) {
      problem = failed(error, request, life);
    }
    const sentByHandler = reply.sent;
    finish(request, reply, life, result, problem, plain);
    // A stream, or whatever the handler sent through the raw reply, is read after this returns.
    if (sentByHandler || (result !== undefined && streams(result))) life.watch();
    else life.answeredSynchronously();
    life.responded();
    return undefined;
  };
}
