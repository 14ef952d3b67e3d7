/**
 * One failing field of a validation problem: where (a JSON pointer into the request) and why.
 *
 * @example
 * ```ts
 * const error: ProblemFieldError = { pointer: "/body/title", detail: "Too small", code: "too_small" };
 * return problem({ status: 400, type: problemTypes.validation, errors: [error] });
 * ```
 */
export interface ProblemFieldError {
  /** RFC 6901 pointer into the request: `/params/id`, `/body/items/0/name`, `/headers/x-api-key`. */
  readonly pointer: string;
  readonly detail: string;
  /** The zod issue code (`invalid_type`, `too_small`, ...). */
  readonly code?: string;
}

/**
 * An RFC 9457 (RFC 7807) problem document, as every error response carries it
 * (`application/problem+json`). Extension members sit beside the standard ones.
 *
 * @example
 * ```ts
 * const doc: ProblemDetails = await (await fetch(url)).json();
 * console.log(doc.type, doc.requestId, doc.errors?.map((e) => e.pointer));
 * ```
 */
export interface ProblemDetails {
  /** A stable URI naming the kind of problem; see {@link problemTypes}. */
  readonly type: string;
  /** A short summary of the kind of problem (the status's reason phrase unless given). */
  readonly title: string;
  /** The HTTP status code, repeated from the response. */
  readonly status: number;
  /** What went wrong with this request, for a human. */
  readonly detail?: string;
  /** The request path the problem happened on, without the query string. */
  readonly instance?: string;
  /** The id on the request's log lines and its `x-request-id` header: quote it in reports. */
  readonly requestId?: string;
  /** Validation problems: each failing field with its JSON pointer. */
  readonly errors?: readonly ProblemFieldError[];
  readonly [extension: string]: unknown;
}

/**
 * What a handler or middleware gives to describe a problem; everything but `status` has a
 * default.
 *
 * @example
 * ```ts
 * const locked: ProblemInit = {
 *   status: 409,
 *   type: "thread-locked",              // https://dext.dev/problems/thread-locked
 *   title: "Thread is locked",
 *   detail: `thread ${id} is locked`,
 *   extensions: { threadId: id },
 * };
 * return problem(locked);
 * ```
 */
export interface ProblemInit {
  readonly status: number;
  /**
   * A full URI, or a slug resolved against the app's problem base URI (`"thread-locked"`).
   * Default: the catalogue slug of the status (`400` bad-request, `404` not-found, `405`
   * method-not-allowed, `406` not-acceptable, `408` request-timeout, `413` payload-too-large,
   * `415` unsupported-media-type, `431` headers-too-large, `500` internal, `503` unavailable),
   * else `http`.
   */
  readonly type?: string;
  /** Default: the status's reason phrase (`Not Found`). */
  readonly title?: string;
  /** Default: a generic sentence naming the status; every problem document has a `detail`. */
  readonly detail?: string;
  readonly errors?: readonly ProblemFieldError[];
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extension members added to the document. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/**
 * The slugs of every problem type @dext/web produces; the full `type` URI is the app's
 * `problemBaseUri` (default `https://dext.dev/problems/`) followed by the slug.
 *
 * @example
 * ```ts
 * if (body.type.endsWith(`/${problemTypes.validation}`)) showFieldErrors(body.errors);
 * ```
 */
export const problemTypes: {
  readonly validation: "validation";
  readonly malformedBody: "malformed-body";
  readonly unsupportedMediaType: "unsupported-media-type";
  readonly payloadTooLarge: "payload-too-large";
  readonly headersTooLarge: "headers-too-large";
  readonly badRequest: "bad-request";
  readonly requestTimeout: "request-timeout";
  readonly notFound: "not-found";
  readonly methodNotAllowed: "method-not-allowed";
  readonly notAcceptable: "not-acceptable";
  readonly unavailable: "unavailable";
  readonly notReady: "not-ready";
  readonly handlerTimeout: "handler-timeout";
  readonly internal: "internal";
  readonly http: "http";
} = {
  validation: "validation",
  malformedBody: "malformed-body",
  unsupportedMediaType: "unsupported-media-type",
  payloadTooLarge: "payload-too-large",
  headersTooLarge: "headers-too-large",
  badRequest: "bad-request",
  requestTimeout: "request-timeout",
  notFound: "not-found",
  methodNotAllowed: "method-not-allowed",
  notAcceptable: "not-acceptable",
  unavailable: "unavailable",
  notReady: "not-ready",
  handlerTimeout: "handler-timeout",
  internal: "internal",
  http: "http",
};

/**
 * The media type of every error response.
 *
 * @example
 * ```ts
 * reply.type(PROBLEM_JSON).send(JSON.stringify(doc));
 * ```
 */
export const PROBLEM_JSON = "application/problem+json; charset=utf-8";
