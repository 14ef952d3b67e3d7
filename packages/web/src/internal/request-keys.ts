/** Per-request telemetry state and the outcome the request log reads. */
export const kState: unique symbol = Symbol("dext.telemetry");
export const kError: unique symbol = Symbol("dext.error");
/** The matched route template, read once per request (fastify builds `routeOptions` per read). */
export const kRoute: unique symbol = Symbol("dext.route");
/** When onRequest saw the request (`performance.now()`). */
export const kStart: unique symbol = Symbol("dext.start");
/** Set when Dext's own code answers the request and so ends it after sending. */
export const kHandled: unique symbol = Symbol("dext.handled");
/** Set once the request's metrics, span and log line are written. */
export const kEnded: unique symbol = Symbol("dext.ended");

/** The request's logger once it is made or set (see request-loggers.ts). */
export const kLog: unique symbol = Symbol("dext.log");

/** Every key above: declared on fastify's Request so each request has one shape from birth. */
export const requestKeys: readonly symbol[] = [
  kRoute,
  kState,
  kError,
  kStart,
  kHandled,
  kEnded,
  kLog,
];
