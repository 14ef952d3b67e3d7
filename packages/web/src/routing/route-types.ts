import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import type { PathParams } from "./path-params.ts";

/**
 * The HTTP methods a route can be declared for.
 *
 * @example
 * ```ts
 * const method: HttpMethod = "PATCH";
 * app.route(method, "/threads/:id").handle(() => noContent());
 * ```
 */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/**
 * Any zod schema (classic or mini) usable for binding.
 *
 * @example
 * ```ts
 * const ThreadId: Schema = z.object({ id: z.coerce.number().int().positive() });
 * app.get("/threads/:id").params(ThreadId).handle(...);
 * ```
 */
export type Schema = z.core.$ZodType;

/**
 * The bound, validated input a handler receives: each part is the output type of its schema,
 * or what fastify parsed when the route has none.
 *
 * @example
 * ```ts
 * type ShowInput = RouteInput<{ id: number }, { expand?: string }>;
 * const show = (_ctx: RequestContext, { params, query }: ShowInput) => load(params.id, query.expand);
 * ```
 */
export interface RouteInput<
  TParams = Record<string, string>,
  TQuery = Record<string, string | string[] | undefined>,
  THeaders = IncomingHttpHeaders,
  TBody = unknown,
  TCookies = Record<string, string | undefined>,
> {
  readonly params: TParams;
  readonly query: TQuery;
  readonly headers: THeaders;
  readonly body: TBody;
  readonly cookies: TCookies;
}

/**
 * The input of a route declared with `path` before any schema is attached: params typed from
 * the path template, everything else as fastify parsed it.
 *
 * @example
 * ```ts
 * type I = DefaultInput<"/forums/:forum/threads/:id">; // I["params"] is { forum: string; id: string }
 * ```
 */
export type DefaultInput<P extends string> = RouteInput<PathParams<P>>;

/**
 * `I` with one part replaced by a schema's output type: what each builder call (`.params()`,
 * `.body()`, ...) does to the route's input type.
 *
 * @example
 * ```ts
 * type I = WithPart<DefaultInput<"/threads/:id">, "params", typeof ThreadId>; // I["params"]["id"] is number
 * ```
 */
export type WithPart<
  I extends RouteInput<any, any, any, any, any>,
  K extends keyof RouteInput,
  S extends Schema,
> = {
  readonly [P in keyof RouteInput]: P extends K ? z.output<S> : I[P];
};

/**
 * Where each bound part of a request comes from, as OpenAPI names them.
 *
 * @example
 * ```ts
 * for (const part of ["params", "query", "body"] satisfies InputPart[]) console.log(def.schemas[part]);
 * ```
 */
export type InputPart = "params" | "query" | "headers" | "body" | "cookies";

/**
 * A declared response of a route (kept for the OpenAPI document).
 *
 * @example
 * ```ts
 * const createdThread: ResponseSpec = { description: "the new thread", schema: ThreadSchema };
 * app.post("/threads").response(201, createdThread).handle(...);
 * ```
 */
export interface ResponseSpec {
  readonly description?: string;
  readonly schema?: Schema;
  /** Media type when it is not negotiated (`text/csv`, `application/x-ndjson`). */
  readonly contentType?: string;
}
