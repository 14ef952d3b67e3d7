import type { Host, Logger, ServiceKey, ServiceScope } from "@dext/core-di";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ContextKey } from "../context/context-key.ts";
import type { CookieOptions, RequestContext } from "../context/request-context.ts";
import type { RouteDefinition } from "../routing/route-definition.ts";
import { cookiesOf } from "./binding.ts";

type CookieReply = FastifyReply & {
  setCookie?: (name: string, value: string, options?: CookieOptions) => FastifyReply;
  clearCookie?: (name: string, options?: CookieOptions) => FastifyReply;
};

/** @internal The per-request context handed to middleware and handlers. */
export class RequestContextImpl implements RequestContext {
  readonly route: RouteDefinition;
  readonly services: ServiceScope;
  readonly host: Host;
  /** fastify's request and reply (`raw` is made from them when first read). */
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  #raw: { readonly request: FastifyRequest; readonly reply: FastifyReply } | undefined;
  #abort: AbortController | undefined;
  #abortReason: unknown;
  #items: Map<symbol, unknown> | undefined;

  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    route: RouteDefinition,
    scope: ServiceScope,
    host: Host,
  ) {
    this.request = request;
    this.reply = reply;
    this.route = route;
    this.services = scope;
    this.host = host;
  }

  get raw(): { readonly request: FastifyRequest; readonly reply: FastifyReply } {
    this.#raw ??= { request: this.request, reply: this.reply };
    return this.#raw;
  }

  /** The request's logger (made on first use). */
  get log(): Logger {
    return this.request.log as unknown as Logger;
  }
  get id(): string {
    return this.request.id;
  }
  get method(): string {
    return this.request.method;
  }
  get url(): string {
    return this.request.url;
  }
  get ip(): string {
    return this.request.ip;
  }

  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.#abortReason !== undefined) this.#abort.abort(this.#abortReason);
    }
    return this.#abort.signal;
  }

  /** @internal Why the request was aborted, if it was. */
  get abortReason(): unknown {
    return this.#abortReason;
  }

  /** @internal Aborts the signal (client gone, timeout). */
  abort(reason: unknown): void {
    if (this.#abortReason !== undefined) return;
    this.#abortReason = reason;
    this.#abort?.abort(reason);
  }

  resolve<T>(key: ServiceKey<T>): T {
    return this.services.resolve(key);
  }

  resolveAsync<T>(key: ServiceKey<T>): Promise<T> {
    return this.services.resolveAsync(key);
  }

  header(name: string, value: string): this {
    this.reply.header(name, value);
    return this;
  }

  cookie(name: string): string | undefined {
    return cookiesOf(this.request)[name];
  }

  setCookie(name: string, value: string, options?: CookieOptions): this {
    (this.reply as CookieReply).setCookie!(name, value, options);
    return this;
  }

  clearCookie(name: string, options?: CookieOptions): this {
    (this.reply as CookieReply).clearCookie!(name, options);
    return this;
  }

  get<T>(key: ContextKey<T>): T | undefined {
    return this.#items?.get(key) as T | undefined;
  }

  set<T>(key: ContextKey<T>, value: T): this {
    this.#items ??= new Map();
    this.#items.set(key, value);
    return this;
  }
}
