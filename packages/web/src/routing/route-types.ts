import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import type { PathParams } from "./path-params.ts";

/** The HTTP methods a route can be declared for. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Any zod schema (classic or mini) usable for binding. */
export type Schema = z.core.$ZodType;

/** The bound, validated input a handler receives. */
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

/** The input of a route declared with `path` before any schema is attached. */
export type DefaultInput<P extends string> = RouteInput<PathParams<P>>;

/** `I` with one part replaced by a schema's output type. */
export type WithPart<
  I extends RouteInput<any, any, any, any, any>,
  K extends keyof RouteInput,
  S extends Schema,
> = {
  readonly [P in keyof RouteInput]: P extends K ? z.output<S> : I[P];
};

/** Where each bound part of a request comes from, as OpenAPI names them. */
export type InputPart = "params" | "query" | "headers" | "body" | "cookies";

/** A declared response of a route (kept for the OpenAPI document). */
export interface ResponseSpec {
  readonly description?: string;
  readonly schema?: Schema;
  /** Media type when it is not negotiated (`text/csv`, `application/x-ndjson`). */
  readonly contentType?: string;
}
