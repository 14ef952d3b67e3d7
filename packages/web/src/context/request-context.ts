import type { Host, Logger, ServiceKey, ServiceScope } from "@dext/core-di";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RouteDefinition } from "../routing/route-definition.ts";
import type { ContextKey } from "./context-key.ts";

/**
 * Options of a cookie set on the response (as `@fastify/cookie` takes them).
 *
 * @example
 * ```ts
 * const session: CookieOptions = { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 3600 };
 * ctx.setCookie("sid", token, session);
 * ```
 */
export interface CookieOptions {
  readonly domain?: string;
  readonly path?: string;
  readonly maxAge?: number;
  readonly expires?: Date;
  readonly httpOnly?: boolean;
  readonly secure?: boolean | "auto";
  readonly sameSite?: "lax" | "strict" | "none" | boolean;
  readonly signed?: boolean;
  readonly partitioned?: boolean;
}

/**
 * What a handler and its middleware get for one request: ids, the request's DI scope, a logger
 * bound to the request, an abort signal, and response headers and cookies. Bodies are never
 * sent through it: a handler returns its result, so a reply cannot be sent twice.
 *
 * @example
 * ```ts
 * app.get("/me").handle((ctx) => ctx.resolve(CurrentUserService).load(ctx.signal));
 * ```
 */
export interface RequestContext {
  /** The request id (the trusted incoming `x-request-id`, else one made as `requestIds` says); echoed in the response. */
  readonly id: string;
  /** The request method (`GET`, `POST`, ...). */
  readonly method: string;
  /** The URL as received (path and query). */
  readonly url: string;
  /** The declaration this request matched (path template, schemas, metadata). */
  readonly route: RouteDefinition;
  /** The request's own DI scope, disposed after the response is sent (or the client left). */
  readonly services: ServiceScope;
  /** A logger with the request id (and trace ids when telemetry is on) bound. */
  readonly log: Logger;
  /** Aborted when the client goes away or the handler timeout passes. */
  readonly signal: AbortSignal;
  /** The core-di host the app runs on (state, config, root services). */
  readonly host: Host;
  /** The client address (honouring `trustProxy`). */
  readonly ip: string;
  /** Resolves a service from the request scope. */
  resolve<T>(key: ServiceKey<T>): T;
  /** Resolves a service whose factory is async. */
  resolveAsync<T>(key: ServiceKey<T>): Promise<T>;
  /** Sets a response header (the result's own headers win). */
  header(name: string, value: string): this;
  /** A request cookie's value (parsed on first use), or `undefined`. */
  cookie(name: string): string | undefined;
  /** Sets a cookie on the response. */
  setCookie(name: string, value: string, options?: CookieOptions): this;
  /** Clears a cookie on the response. */
  clearCookie(name: string, options?: CookieOptions): this;
  /** Reads a per-request value set by middleware. */
  get<T>(key: ContextKey<T>): T | undefined;
  /** Stores a per-request value for later middleware and the handler. */
  set<T>(key: ContextKey<T>, value: T): this;
  /**
   * fastify's request and reply, for what this layer does not wrap. Sending through `reply`
   * yourself means the handler must return `undefined`; returning a value as well is reported
   * as `WEB_REPLY_ALREADY_SENT` instead of fastify's "Reply was already sent".
   */
  readonly raw: { readonly request: FastifyRequest; readonly reply: FastifyReply };
}
