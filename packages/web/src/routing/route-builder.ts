import { WebError } from "../errors.ts";
import type { Middleware } from "../middleware.ts";
import type { Handler, MutableRouteDefinition, RouteDefinition } from "./route-definition.ts";
import type { InputPart, ResponseSpec, RouteInput, Schema, WithPart } from "./route-types.ts";

type AnyInput = RouteInput<any, any, any, any, any>;

/**
 * The fluent declaration of one route: attach schemas and metadata, then `.handle()`. Every
 * call records on the route's {@link RouteDefinition}, so the declaration is also the spec.
 *
 * @example
 * ```ts
 * app.get("/threads/:id")
 *   .params(z.object({ id: z.coerce.number() }))
 *   .summary("Read a thread")
 *   .handle((ctx, { params }) => threads.get(params.id)); // params.id: number
 * ```
 */
export class RouteBuilder<I extends AnyInput> {
  readonly #def: MutableRouteDefinition;

  constructor(def: MutableRouteDefinition) {
    this.#def = def;
  }

  #schema(part: InputPart, schema: Schema): void {
    this.#open();
    if (schema === null || typeof schema !== "object" || !("_zod" in schema)) {
      throw new WebError(
        "WEB_INVALID_ROUTE",
        `${this.#name()}: .${part}() needs a zod schema (z.object({...})), got ${typeof schema}`,
      );
    }
    this.#def.schemas[part] = schema;
  }

  #open(): void {
    if (this.#def.handler !== undefined) {
      throw new WebError(
        "WEB_INVALID_ROUTE",
        `${this.#name()} is already handled: declare schemas and metadata before .handle()`,
      );
    }
  }

  #name(): string {
    return `${this.#def.method} ${this.#def.path}`;
  }

  /** Validates (and coerces) the path params; `input.params` takes the schema's output type. */
  params<S extends Schema>(schema: S): RouteBuilder<WithPart<I, "params", S>> {
    this.#schema("params", schema);
    return this as never;
  }

  /** Validates the query string. */
  query<S extends Schema>(schema: S): RouteBuilder<WithPart<I, "query", S>> {
    this.#schema("query", schema);
    return this as never;
  }

  /** Validates request headers (names are lower-case). */
  headers<S extends Schema>(schema: S): RouteBuilder<WithPart<I, "headers", S>> {
    this.#schema("headers", schema);
    return this as never;
  }

  /** Validates the body: JSON, urlencoded forms and multipart fields alike. */
  body<S extends Schema>(schema: S): RouteBuilder<WithPart<I, "body", S>> {
    this.#schema("body", schema);
    return this as never;
  }

  /** Validates request cookies. */
  cookies<S extends Schema>(schema: S): RouteBuilder<WithPart<I, "cookies", S>> {
    this.#schema("cookies", schema);
    return this as never;
  }

  /** Declares a response (status, body schema, description) for the API document. */
  response(status: number, spec: ResponseSpec = {}): this {
    this.#open();
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new WebError("WEB_INVALID_ROUTE", `${this.#name()}: ${status} is not an HTTP status`);
    }
    this.#def.responses.set(status, spec);
    return this;
  }

  /** A one-line summary of what the route does. */
  summary(text: string): this {
    this.#open();
    this.#def.summary = text;
    return this;
  }

  /** A longer description (Markdown). */
  description(text: string): this {
    this.#open();
    this.#def.description = text;
    return this;
  }

  /** Groups the route in the API document. */
  tags(...tags: string[]): this {
    this.#open();
    this.#def.tags.push(...tags);
    return this;
  }

  /** A stable operation id for generated clients. */
  operationId(id: string): this {
    this.#open();
    this.#def.operationId = id;
    return this;
  }

  /** Marks the route deprecated in the API document. */
  deprecated(): this {
    this.#open();
    this.#def.deprecated = true;
    return this;
  }

  /** Middleware for this route only, run after its groups' middleware. */
  use(...middleware: Middleware[]): this {
    this.#open();
    this.#def.middleware.push(...middleware);
    return this;
  }

  /** Overrides the handler timeout for this route (0 = none). */
  timeout(ms: number): this {
    this.#open();
    if (!Number.isFinite(ms) || ms < 0) {
      throw new WebError(
        "WEB_INVALID_ROUTE",
        `${this.#name()}: timeout must be >= 0 ms, got ${ms}`,
      );
    }
    this.#def.timeoutMs = ms;
    return this;
  }

  /** Overrides the body size limit for this route, in bytes. */
  bodyLimit(bytes: number): this {
    this.#open();
    if (!Number.isInteger(bytes) || bytes <= 0) {
      throw new WebError(
        "WEB_INVALID_ROUTE",
        `${this.#name()}: bodyLimit must be a positive integer`,
      );
    }
    this.#def.bodyLimit = bytes;
    return this;
  }

  /**
   * Records feature metadata under `key` (what `.auth()`, `.rateLimit()`, `.cache()` and
   * `.slo()` build on); optional middleware enforces it.
   */
  extend(key: string | symbol, value: unknown, ...middleware: Middleware[]): this {
    this.#open();
    this.#def.extensions.set(key, value);
    this.#def.middleware.push(...middleware);
    return this;
  }

  /** Finishes the declaration with the handler; `input` is typed from the schemas. */
  handle(handler: Handler<I>): RouteDefinition {
    this.#open();
    if (typeof handler !== "function") {
      throw new WebError("WEB_INVALID_ROUTE", `${this.#name()}: .handle() needs a function`);
    }
    this.#def.handler = handler as Handler<any>;
    return this.#def;
  }

  /** The declaration so far. */
  get definition(): RouteDefinition {
    return this.#def;
  }
}
