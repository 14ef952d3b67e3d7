/**
 * Dext's state for one request. One object under one key: fastify's Request constructor
 * assigns every declared key in a loop whose store site goes megamorphic past four keys (seven
 * keys cost about 2% of a request's instructions); one key keeps it cheap.
 */
export class RequestState {
  /** When onRequest saw the request (`performance.now()`); undefined before that. */
  start: number | undefined = undefined;
  /** The matched route template, read once per request (fastify builds `routeOptions` per read). */
  route: string | undefined = undefined;
  /** The instrumentation's state (span, trace context), or undefined without telemetry. */
  telemetry: unknown = undefined;
  /** The error the request failed with, for the request log and the span. */
  error: unknown = undefined;
  /** Set when Dext's own code answers the request and so ends it after sending. */
  handled = false;
  /** Set once the request's metrics, span and log line are written. */
  ended = false;
  /** The request's logger once it is made or set (see request-loggers.ts). */
  log: unknown = undefined;
}

/** Where the state lives on fastify's Request (declared, so every request has it from birth). */
export const kDext: unique symbol = Symbol("dext.request");

type Holder = { [kDext]?: RequestState };

/** The request's state, made here for requests fastify answered before onRequest ran. */
export function stateOf(request: object): RequestState {
  const holder = request as Holder;
  let state = holder[kDext];
  if (state === undefined) {
    state = new RequestState();
    holder[kDext] = state;
  }
  return state;
}

/** The request's state if it has one (requests fastify answered early may not). */
export function peekState(request: object): RequestState | undefined {
  return (request as Holder)[kDext];
}
