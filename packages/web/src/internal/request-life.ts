import type { Logger } from "@dext/core-di";
import type { FastifyReply } from "fastify";
import type { RequestContextImpl } from "./request-context-impl.ts";
import type { RequestEnd } from "./request-end.ts";

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
  #watching = false;
  #grace: NodeJS.Timeout | undefined;

  readonly requestEnd: RequestEnd;

  constructor(
    ctx: RequestContextImpl,
    reply: FastifyReply,
    logger: Logger,
    requestEnd: RequestEnd,
  ) {
    this.ctx = ctx;
    this.reply = reply;
    this.logger = logger;
    this.requestEnd = requestEnd;
  }

  /** The response closed: finished, or aborted by the client. */
  onClose(): void {
    this.closed = true;
    // Aborted means the client left before the response was complete. `writableEnded`, not
    // `writableFinished`: a response the server ended is not aborted, even if its last bytes
    // were still in a socket buffer (always the case under `inject`, whose mock socket keeps
    // them; fastify's onResponse counts those requests when they finish).
    const aborted = !this.reply.raw.writableEnded;
    if (aborted) {
      this.aborted = true;
      this.ctx.abort(new DOMException("the client closed the connection", "AbortError"));
    }
    // A response that closes unfinished ends as 499, the usual "client closed" status.
    this.requestEnd.end(this.ctx.request, this.reply, aborted);
    this.#maybeDispose();
  }

  /**
   * Starts watching the response: from here the scope is disposed once the response has
   * closed (finished or aborted) and the handler has settled. Called when the request goes
   * asynchronous, or when a synchronous one sends a body that is still being read (a stream).
   */
  watch(): void {
    if (this.#watching) return;
    this.#watching = true;
    // The listener is made only here: most requests answer synchronously and never watch.
    this.reply.raw.on("close", () => this.onClose());
  }

  /**
   * The answer was sent (or the handler sent its own): the request ends now if the response
   * is complete, else when it closes (a stream, or an `onSend` hook still working).
   */
  responded(): void {
    if (this.reply.raw.writableEnded) this.requestEnd.end(this.ctx.request, this.reply, false);
    else this.watch();
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
    // No promise at all when the request's services hold nothing to dispose.
    this.ctx.services.disposeInBackground(disposeFailed, this);
  }
}

function disposeFailed(error: unknown, life: RequestLife): void {
  life.logger.error({ err: error, reqId: life.ctx.id }, "disposing the request scope failed");
}
