import type { Logger } from "@dext/core-di";
import type { FastifyReply } from "fastify";
import type { Instrumentation } from "./instrumentation.ts";
import type { RequestContextImpl } from "./request-context-impl.ts";
import { kState } from "./request-keys.ts";

/**
 * Tracks one request until its scope may be disposed: the response is closed and the handler's
 * work has settled. A timed-out handler is still running when its 504 is sent, so its scope (a
 * scoped DbContext and its connection) stays open until it settles or its grace period ends.
 */
export class RequestLife {
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

  /** The response closed: finished, or aborted by the client. */
  onClose(): void {
    this.closed = true;
    // Aborted means the client left before the response was complete. `writableEnded`, not
    // `writableFinished`: a response the server ended is not aborted, even if its last bytes
    // were still in a socket buffer (always the case under `inject`, whose mock socket keeps
    // them; fastify's onResponse counts those requests when they finish).
    if (!this.reply.raw.writableEnded) {
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
  }

  /**
   * Starts watching the response: from here the scope is disposed once the response has
   * closed (finished or aborted) and the handler has settled. Called when the request goes
   * asynchronous, or when a synchronous one sends a body that is still being read (a stream).
   */
  watch(): void {
    // The listener is made only here: most requests answer synchronously and never watch.
    this.reply.raw.on("close", () => this.onClose());
  }

  /**
   * A request answered synchronously with a body already in memory: nothing can use the scope
   * after this, and the client cannot have left during synchronous code, so the scope is
   * disposed now, without a listener on the response.
   */
  answeredSynchronously(): void {
    this.closed = true;
    this.#maybeDispose();
  }

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
