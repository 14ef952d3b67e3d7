import type { FastifyRequest } from "fastify";

/** What the instrumentation learns when a request ends. */
export interface RequestOutcome {
  readonly method: string;
  /** The route template (`/users/:id`), or undefined for unmatched requests. */
  readonly route: string | undefined;
  readonly status: number;
  readonly durationMs: number;
  readonly aborted: boolean;
  readonly error: unknown;
}

/**
 * The seam between the HTTP pipeline and telemetry: spans, metrics and trace ids. The web
 * layer calls it at fixed points; a telemetry implementation fills it in.
 */
export interface Instrumentation {
  readonly enabled: boolean;
  /**
   * Opens the request's span; the returned state is handed back to the other calls. `route`
   * is the matched template (`/users/:id`), undefined for unmatched requests.
   */
  begin(request: FastifyRequest, route: string | undefined): unknown;
  /**
   * Runs `fn(...args)` inside the request's trace context (so child spans nest under it); the
   * arguments spare the caller a closure per request.
   */
  run<R, A extends unknown[]>(state: unknown, fn: (...args: A) => R, ...args: A): R;
  /** Fields bound into the request logger (trace and span ids). */
  logFields(state: unknown): Readonly<Record<string, string>> | undefined;
  /** Records a failure on the span. */
  fail(state: unknown, error: unknown): void;
  end(state: unknown, outcome: RequestOutcome): void;
  /**
   * Reports the server's open connections, read through `count` when metrics are collected;
   * returns a function that stops (and withdraws this server's share of the gauge). Counting
   * at scrape time instead of on each socket's `close` keeps listeners off the sockets: an
   * extra `close` listener on a keep-alive socket made every response survive young-generation
   * GCs (Node adds and removes its own per response), which cost ~25% of req/s.
   */
  countConnections(count: () => Promise<number>): () => void;
}

/** Used when no telemetry is registered: every call is a no-op. */
export const noInstrumentation: Instrumentation = {
  enabled: false,
  begin: () => undefined,
  run: (_state, fn, ...args) => fn(...args),
  logFields: () => undefined,
  fail: () => {},
  end: () => {},
  countConnections: () => () => {},
};
