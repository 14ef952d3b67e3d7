/** Per-request telemetry state and the outcome the request log reads. */
export const kState: unique symbol = Symbol("dext.telemetry");
export const kError: unique symbol = Symbol("dext.error");
