import { STATUS_CODES } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { WebError } from "../errors.ts";
import {
  PROBLEM_JSON,
  type ProblemDetails,
  type ProblemInit,
  problemTypes,
} from "../problem/problem-details.ts";
import { ProblemError } from "../problem/problem-error.ts";

/** A problem ready to send: the document and the headers that go with it. */
export interface RenderedProblem {
  readonly status: number;
  readonly doc: ProblemDetails;
  readonly headers: Readonly<Record<string, string>> | undefined;
}

const absolute = /^[a-z][a-z0-9+.-]*:/i;

// The catalogue slug a status gets when a problem names no type; other statuses get `http`.
const slugByStatus: ReadonlyMap<number, string> = new Map<number, string>([
  [400, problemTypes.badRequest],
  [404, problemTypes.notFound],
  [405, problemTypes.methodNotAllowed],
  [406, problemTypes.notAcceptable],
  [408, problemTypes.requestTimeout],
  [413, problemTypes.payloadTooLarge],
  [415, problemTypes.unsupportedMediaType],
  [431, problemTypes.headersTooLarge],
  [500, problemTypes.internal],
  [503, problemTypes.unavailable],
]);

/** The problem type slug of a status: the catalogue's, else `http`. */
export const typeForStatus = (status: number): string =>
  slugByStatus.get(status) ?? problemTypes.http;

/** The detail a problem gets when none is given (or the error's message must not be shown). */
export function genericDetail(status: number, requestId: string): string {
  const reason = STATUS_CODES[status] ?? (status < 500 ? "Client Error" : "Server Error");
  return status < 500
    ? `the request was refused: ${status} ${reason}`
    : `the server could not complete the request (${status} ${reason}); quote request id ${requestId} when reporting it`;
}

/** The request path without the query string (which may carry tokens or personal data). */
export const pathOf = (url: string): string => {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
};

const fastifyErrors: Readonly<Record<string, { status: number; type: string; detail?: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, type: problemTypes.unsupportedMediaType },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, type: problemTypes.badRequest },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, type: problemTypes.payloadTooLarge },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, type: problemTypes.badRequest },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, type: problemTypes.malformedBody },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, type: problemTypes.malformedBody },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, type: problemTypes.unsupportedMediaType },
  FST_ERR_BAD_URL: { status: 400, type: problemTypes.badRequest },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, type: problemTypes.badRequest },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, type: problemTypes.unsupportedMediaType },
  FST_PROTO_VIOLATION: { status: 400, type: problemTypes.malformedBody },
  FST_PARTS_LIMIT: { status: 413, type: problemTypes.payloadTooLarge },
  FST_FIELDS_LIMIT: { status: 413, type: problemTypes.payloadTooLarge },
  FST_REQ_FILE_TOO_LARGE: { status: 413, type: problemTypes.payloadTooLarge },
  FST_FILES_LIMIT: {
    status: 415,
    type: problemTypes.unsupportedMediaType,
    detail: "this endpoint accepts multipart form fields only, not file uploads",
  },
};

const errorCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};

function describeForDevelopment(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const out: Record<string, unknown> = {
    name: error.name,
    message: error.message,
    ...(errorCode(error) ? { code: errorCode(error) } : {}),
    stack: error.stack?.split("\n").map((l) => l.trim()),
  };
  if (error.cause !== undefined && depth < 5)
    out.cause = describeForDevelopment(error.cause, depth + 1);
  return out;
}

/** Builds RFC 9457 documents for every error path, hiding internals outside development. */
export class ProblemRenderer {
  readonly baseUri: string;
  readonly development: boolean;

  constructor(baseUri: string, development: boolean) {
    this.baseUri = baseUri.endsWith("/") ? baseUri : `${baseUri}/`;
    this.development = development;
  }

  typeUri(type: string): string {
    return absolute.test(type) || type === "about:blank" ? type : `${this.baseUri}${type}`;
  }

  fromInit(init: ProblemInit, request: FastifyRequest): RenderedProblem {
    const status =
      Number.isInteger(init.status) && init.status >= 400 && init.status <= 599 ? init.status : 500;
    const doc: Record<string, unknown> = {
      type: this.typeUri(init.type ?? typeForStatus(status)),
      title: init.title ?? STATUS_CODES[status] ?? "Error",
      status,
      detail: init.detail ?? genericDetail(status, request.id),
      instance: pathOf(request.url),
      requestId: request.id,
      ...(init.errors !== undefined ? { errors: init.errors } : {}),
    };
    if (init.extensions) {
      for (const [key, value] of Object.entries(init.extensions)) {
        if (!(key in doc)) doc[key] = value;
      }
    }
    return { status, doc: doc as unknown as ProblemDetails, headers: init.headers };
  }

  /** Maps anything thrown (or rejected) to a problem; only known client errors keep their message. */
  fromError(error: unknown, request: FastifyRequest): RenderedProblem {
    if (error instanceof ProblemError) return this.fromInit(error.problem, request);
    const code = errorCode(error);
    const known = code !== undefined ? fastifyErrors[code] : undefined;
    if (known) {
      return this.fromInit(
        {
          status: known.status,
          type: known.type,
          detail: known.detail ?? (error as Error).message,
        },
        request,
      );
    }
    const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
    if (error instanceof SyntaxError && statusCode === 400) {
      return this.fromInit(
        {
          status: 400,
          type: problemTypes.malformedBody,
          detail: `the request body is not valid JSON: ${error.message}`,
        },
        request,
      );
    }
    if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
      // Client errors from fastify and its plugins describe the request, not the server.
      const expose =
        code?.startsWith("FST_") === true || (error as { expose?: unknown }).expose === true;
      return this.fromInit(
        {
          status: statusCode,
          type: typeForStatus(statusCode),
          ...(expose || this.development ? { detail: (error as Error).message } : {}),
        },
        request,
      );
    }
    const status =
      typeof statusCode === "number" && statusCode >= 500 && statusCode <= 599 ? statusCode : 500;
    return this.fromInit(
      {
        status,
        type: problemTypes.internal,
        title: STATUS_CODES[status] ?? "Internal Server Error",
        detail: this.development
          ? error instanceof Error
            ? error.message
            : `a non-Error value was thrown: ${String(error)}`
          : `the server failed to handle the request; quote request id ${request.id} when reporting it`,
        ...(this.development ? { extensions: { error: describeForDevelopment(error) } } : {}),
      },
      request,
    );
  }

  send(reply: FastifyReply, problem: RenderedProblem): FastifyReply {
    if (problem.headers) reply.headers(problem.headers);
    return reply.code(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem.doc));
  }
}

/** The error fastify reports when a handler or hook sends twice; we name the real cause. */
export function replyAlreadySent(method: string, path: string): WebError {
  return new WebError(
    "WEB_REPLY_ALREADY_SENT",
    `${method} ${path}: the handler sent a response through ctx.raw.reply and also returned a value; return undefined after sending through the raw reply, or (better) return the result instead of sending it`,
  );
}
