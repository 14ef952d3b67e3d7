/**
 * Every error code @dext/web throws; each is documented in the README.
 *
 * @example
 * ```ts
 * const retryable = (code: WebErrorCode) => code === "WEB_LISTEN_FAILED";
 * ```
 */
export type WebErrorCode =
  | "WEB_INVALID_OPTIONS"
  | "WEB_INVALID_ROUTE"
  | "WEB_DUPLICATE_ROUTE"
  | "WEB_ROUTES_SEALED"
  | "WEB_NOT_STARTED"
  | "WEB_LISTEN_FAILED"
  | "WEB_REPLY_ALREADY_SENT"
  | "WEB_NEXT_CALLED_TWICE"
  | "WEB_CERTIFICATE_INVALID"
  | "WEB_HTTP_PROBLEM"
  | "WEB_FASTIFY_INCOMPATIBLE";

/**
 * The base error of @dext/web: a stable `code` and, where there is one, the `cause`.
 *
 * @example
 * ```ts
 * try { app.get("/users/:id"); } catch (e) { if (e instanceof WebError) console.log(e.code); }
 * ```
 */
export class WebError extends Error {
  override readonly name: string = "WebError";
  readonly code: WebErrorCode;

  constructor(code: WebErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
