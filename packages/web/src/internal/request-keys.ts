/** Per-request telemetry state and the outcome the request log reads. */
export const kState: unique symbol = Symbol("dext.telemetry");
export const kError: unique symbol = Symbol("dext.error");
/** The matched route template, read once per request (fastify builds `routeOptions` per read). */
export const kRoute: unique symbol = Symbol("dext.route");
