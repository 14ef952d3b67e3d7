import { performance } from "node:perf_hooks";
import type { Logger } from "@dext/core-di";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Instrumentation } from "./instrumentation.ts";
import { peekState, stateOf } from "./request-keys.ts";
import type { ResolvedOptions } from "./resolved-options.ts";

/**
 * Ends a request once: its metrics and span, its log line, the slow-request warning.
 *
 * Dext's own answers (routes, problems, 404, the 503 gate) call {@link RequestEnd.afterSend}
 * right after sending, so their routes need no fastify `onResponse` hook. A route with such a
 * hook makes fastify put `finish` and `error` listeners on every response it sends, which
 * cost more than everything this class does. Routes Dext did not declare (a plugin's
 * `/metrics`, a raw fastify route) end through an `onResponse` hook added to them alone.
 */
export class RequestEnd {
  readonly #logger: Logger;
  readonly #options: ResolvedOptions;
  readonly #instrumentation: Instrumentation;

  constructor(logger: Logger, options: ResolvedOptions, instrumentation: Instrumentation) {
    this.#logger = logger;
    this.#options = options;
    this.#instrumentation = instrumentation;
  }

  /**
   * Ends the request now if its response has been handed to the socket, or when the
   * response closes (a stream, or an `onSend` hook still working); a response that closes
   * unfinished counts as aborted by the client (status 499).
   */
  afterSend(request: FastifyRequest, reply: FastifyReply): void {
    if (peekState(request)?.ended === true) return;
    const res = reply.raw;
    if (res.writableEnded) this.end(request, reply, false);
    else res.once("close", () => this.end(request, reply, !res.writableEnded));
  }

  /** Ends the request (once; later calls do nothing). */
  end(request: FastifyRequest, reply: FastifyReply, aborted: boolean): void {
    const state = stateOf(request);
    if (state.ended) return;
    state.ended = true;
    // Since onRequest saw the request (0 for one fastify answered before that).
    const start = state.start;
    const durationMs = start === undefined ? 0 : performance.now() - start;
    // Requests fastify answers before onRequest (a 400 from the parser) have no route saved.
    const route = state.route ?? request.routeOptions.url;
    const status = aborted ? 499 : reply.statusCode;
    const instrumentation = this.#instrumentation;
    if (instrumentation.enabled) {
      instrumentation.end(state.telemetry, {
        method: request.method,
        route,
        status,
        durationMs,
        aborted,
        error: state.error,
      });
    }
    const options = this.#options;
    const slow = options.slowRequestMs > 0 && durationMs > options.slowRequestMs;
    if (slow || (options.requestLog && this.#infoEnabled())) {
      const fields = {
        reqId: request.id,
        ...instrumentation.logFields(state.telemetry),
        method: request.method,
        url: request.url,
        route,
        statusCode: status,
        durationMs: Math.round(durationMs * 100) / 100,
        ...(aborted ? { aborted } : {}),
      };
      if (slow)
        this.#logger.warn({ ...fields, slowRequestMs: options.slowRequestMs }, "slow request");
      else
        this.#logger.info(fields, aborted ? "request aborted by the client" : "request completed");
    }
  }

  // pino says whether a level is on: skip building the line when it would be dropped anyway.
  #infoEnabled(): boolean {
    return this.#logger.isLevelEnabled?.("info") ?? true;
  }
}
