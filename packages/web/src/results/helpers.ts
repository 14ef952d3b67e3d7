import type { ProblemInit } from "../problem/problem-details.ts";
import { HttpResult, type PageInfo } from "./http-result.ts";

/**
 * 200 with `data` as the body (formatted by content negotiation). Returning a plain value from
 * a handler means the same.
 *
 * @example
 * ```ts
 * app.get("/users/:id").handle((ctx, { params }) => ok(users.get(params.id)));
 * ```
 */
export function ok<T>(data: T): HttpResult<T> {
  return new HttpResult({ kind: "data", status: 200, body: data });
}

/**
 * 201 with the created resource and its `Location`.
 *
 * @example
 * ```ts
 * return created(thread, `/threads/${thread.id}`);
 * ```
 */
export function created<T>(data: T, location: string): HttpResult<T> {
  return new HttpResult({ kind: "data", status: 201, body: data, headers: { location } });
}

/**
 * 202: the work was queued; optionally a status body and where to poll.
 *
 * @example
 * ```ts
 * return accepted({ jobId }, `/jobs/${jobId}`);
 * ```
 */
export function accepted<T = undefined>(data?: T, location?: string): HttpResult<T | undefined> {
  return new HttpResult<T | undefined>({
    kind: data === undefined ? "empty" : "data",
    status: 202,
    body: data,
    ...(location !== undefined ? { headers: { location } } : {}),
  });
}

/**
 * 204 with no body.
 *
 * @example
 * ```ts
 * app.delete("/threads/:id").handle(async () => { await remove(); return noContent(); });
 * ```
 */
export function noContent(): HttpResult<undefined> {
  return new HttpResult<undefined>({ kind: "empty", status: 204 });
}

/**
 * The body of a {@link page} result.
 *
 * @example
 * ```ts
 * const body: Page<Thread> = await (await fetch("/threads?page=2")).json();
 * console.log(`${body.page}/${body.pages}`, body.items.length, body.total);
 * ```
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly size: number;
  readonly pages: number;
}

/**
 * 200 with one page of items, plus RFC 8288 `Link` headers (first, prev, next, last) built from
 * the request URL and `X-Total-Count`.
 *
 * @example
 * ```ts
 * return page(rows, { total: 120, page: query.page, size: 20 });
 * ```
 */
export function page<T>(items: readonly T[], info: PageInfo): HttpResult<Page<T>> {
  const size = Math.max(1, Math.floor(info.size));
  const pages = Math.max(1, Math.ceil(info.total / size));
  return new HttpResult({
    kind: "data",
    status: 200,
    body: { items, total: info.total, page: info.page, size, pages },
    pageInfo: { total: info.total, page: info.page, size },
  });
}

/**
 * Status codes a redirect may use.
 *
 * @example
 * ```ts
 * const afterPost: RedirectStatus = 303;
 * return redirect(`/threads/${id}`, afterPost);
 * ```
 */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/**
 * A redirect (302 by default; 303 after a form post, 307/308 to keep the method).
 *
 * @example
 * ```ts
 * return redirect(`/threads/${id}`, 303);
 * ```
 */
export function redirect(location: string, status: RedirectStatus = 302): HttpResult<undefined> {
  return new HttpResult<undefined>({ kind: "redirect", status, location });
}

/**
 * An RFC 9457 problem response (`application/problem+json`).
 *
 * @example
 * ```ts
 * return problem({ status: 409, type: "thread-locked", title: "Thread is locked", detail: `thread ${id} is locked` });
 * ```
 */
export function problem(init: ProblemInit): HttpResult<undefined> {
  return new HttpResult<undefined>({ kind: "problem", status: init.status, problem: init });
}

/**
 * Any status with a body, for the cases the named helpers do not cover.
 *
 * @example
 * ```ts
 * return withStatus(207, results);
 * ```
 */
export function withStatus<T>(status: number, data: T): HttpResult<T> {
  return new HttpResult({ kind: data === undefined ? "empty" : "data", status, body: data });
}
