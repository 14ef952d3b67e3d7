import type { RequestContext } from "../context/request-context.ts";
import type { Middleware } from "../middleware.ts";
import type { HttpMethod, InputPart, ResponseSpec, RouteInput, Schema } from "./route-types.ts";

/**
 * A route handler: gets the context and the validated input, returns a result or a plain value
 * (sync or async).
 *
 * @example
 * ```ts
 * const show: Handler<RouteInput<{ id: number }>> = async (ctx, { params }) =>
 *   (await ctx.resolve(Threads).find(params.id)) ?? problem({ status: 404 });
 * app.get("/threads/:id").params(z.object({ id: z.coerce.number() })).handle(show);
 * ```
 */
export type Handler<I = RouteInput> = (ctx: RequestContext, input: I) => unknown | Promise<unknown>;

/**
 * Everything a route declaration says, kept so later layers (OpenAPI, auth, rate limits,
 * caching, SLOs) read it instead of re-declaring it.
 *
 * @example
 * ```ts
 * for (const def of app.definitions()) console.log(def.method, def.fullPath, def.summary);
 * ```
 */
export interface RouteDefinition {
  readonly method: HttpMethod;
  /** The path template as declared on its group (`/threads/:id`). */
  readonly path: string;
  /** The full path template with every group prefix (`/api/v1/threads/:id`); set at startup. */
  readonly fullPath: string;
  readonly schemas: Readonly<Partial<Record<InputPart, Schema>>>;
  readonly responses: ReadonlyMap<number, ResponseSpec>;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly operationId: string | undefined;
  readonly deprecated: boolean;
  /** Route-level middleware, run inside the groups' middleware. */
  readonly middleware: readonly Middleware[];
  /** Overrides the app's `handlerTimeoutMs` (0 turns the timeout off for this route). */
  readonly timeoutMs: number | undefined;
  /** Overrides the app's `bodyLimit` for this route, in bytes. */
  readonly bodyLimit: number | undefined;
  /**
   * Metadata of features declared on the route (`auth`, `rateLimit`, `cache`, `slo`, and
   * third-party ones), by key.
   */
  readonly extensions: ReadonlyMap<string | symbol, unknown>;
  readonly handler: Handler<any> | undefined;
}

/** @internal The mutable shape the builder fills in. */
export interface MutableRouteDefinition {
  method: HttpMethod;
  path: string;
  fullPath: string;
  schemas: Partial<Record<InputPart, Schema>>;
  responses: Map<number, ResponseSpec>;
  summary: string | undefined;
  description: string | undefined;
  tags: string[];
  operationId: string | undefined;
  deprecated: boolean;
  middleware: Middleware[];
  timeoutMs: number | undefined;
  bodyLimit: number | undefined;
  extensions: Map<string | symbol, unknown>;
  handler: Handler<any> | undefined;
  /** Where it was declared, for error messages. */
  site: string | undefined;
}

export function newDefinition(
  method: HttpMethod,
  path: string,
  site: string | undefined,
): MutableRouteDefinition {
  return {
    method,
    path,
    fullPath: path,
    schemas: {},
    responses: new Map(),
    summary: undefined,
    description: undefined,
    tags: [],
    operationId: undefined,
    deprecated: false,
    middleware: [],
    timeoutMs: undefined,
    bodyLimit: undefined,
    extensions: new Map(),
    handler: undefined,
    site,
  };
}
