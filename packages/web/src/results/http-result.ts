import type { Readable } from "node:stream";
import type { ProblemInit } from "../problem/problem-details.ts";

/**
 * What kind of response a {@link HttpResult} describes.
 *
 * @example
 * ```ts
 * const result = await next();
 * if (result.kind === "data") result.header("cache-control", "max-age=60");
 * ```
 */
export type ResultKind = "data" | "content" | "empty" | "redirect" | "problem" | "stream" | "file";

/**
 * Paging facts of a {@link page} result, turned into `Link` and `X-Total-Count` headers.
 *
 * @example
 * ```ts
 * const info: PageInfo = { total: 120, page: 2, size: 20 };
 * return page(rows, info);
 * ```
 */
export interface PageInfo {
  readonly total: number;
  /** 1-based page number. */
  readonly page: number;
  readonly size: number;
}

/**
 * A response a handler returns: status, headers and a body that content negotiation formats.
 * Build one with the helpers (`ok`, `created`, `noContent`, `page`, `problem`, `stream`, `file`).
 *
 * @example
 * ```ts
 * app.get("/ping").handle(() => ok({ pong: true }).header("cache-control", "no-store"));
 * ```
 */
export class HttpResult<T = unknown> {
  readonly kind: ResultKind;
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, string>;
  /** For content, streams and files: the media type sent. */
  readonly contentType: string | undefined;
  readonly pageInfo: PageInfo | undefined;
  readonly problem: ProblemInit | undefined;
  /** For `redirect`: where to. For `file`: the path. */
  readonly location: string | undefined;
  readonly stream: Readable | undefined;

  constructor(init: {
    kind: ResultKind;
    status: number;
    body?: T;
    headers?: Record<string, string>;
    contentType?: string;
    pageInfo?: PageInfo;
    problem?: ProblemInit;
    location?: string;
    stream?: Readable;
  }) {
    this.kind = init.kind;
    this.status = init.status;
    this.body = init.body as T;
    this.headers = init.headers ?? {};
    this.contentType = init.contentType;
    this.pageInfo = init.pageInfo;
    this.problem = init.problem;
    this.location = init.location;
    this.stream = init.stream;
  }

  /** Adds a response header; returns the same result for chaining. */
  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
}

/**
 * Whether a value a handler returned is a {@link HttpResult} (anything else is sent as 200 data).
 *
 * @example
 * ```ts
 * const result = await next();
 * if (isHttpResult(result) && result.status >= 400) ctx.log.warn("failed");
 * ```
 */
export function isHttpResult(value: unknown): value is HttpResult {
  return value instanceof HttpResult;
}
