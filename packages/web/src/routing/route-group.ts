import type { FastifyInstance, FastifyPluginAsync, FastifyPluginCallback } from "fastify";
import { WebError } from "../errors.ts";
import type { Middleware } from "../middleware.ts";
import { RouteBuilder } from "./route-builder.ts";
import {
  type MutableRouteDefinition,
  newDefinition,
  type RouteDefinition,
} from "./route-definition.ts";
import type { DefaultInput, HttpMethod } from "./route-types.ts";

/**
 * A fastify plugin, async or callback style, as `app.plugin()` and `group.plugin()` take it.
 *
 * @example
 * ```ts
 * const timing: FastifyPlugin = async (instance) => {
 *   instance.addHook("onSend", async (_req, reply, payload) => {
 *     reply.header("server-timing", `app;dur=${reply.elapsedTime.toFixed(1)}`);
 *     return payload;
 *   });
 * };
 * app.plugin(timing);
 * ```
 */
export type FastifyPlugin = FastifyPluginAsync<any> | FastifyPluginCallback<any>;

/** @internal A plugin or raw setup step registered on a group, in order. */
export type GroupStep =
  | { readonly kind: "plugin"; readonly plugin: FastifyPlugin; readonly options: unknown }
  | { readonly kind: "fastify"; readonly fn: (instance: FastifyInstance) => void | Promise<void> };

/** A group prefix joined with a path (`"/api"` + `"/"` is `"/api"`). */
export const joinPath = (prefix: string, path: string): string =>
  prefix === "" ? path : path === "/" ? prefix : `${prefix}${path}`;

const routeSite = (): string | undefined => {
  const lines = new Error().stack?.split("\n").slice(3) ?? [];
  const line = lines.find((l) => !l.includes("/packages/web/src/") && !l.includes("node:"));
  return line?.trim().replace(/^at\s+/, "");
};

/**
 * A set of routes under a prefix with their own middleware and fastify plugins. Groups nest;
 * each one is a fastify encapsulation context, so a plugin registered on a group affects
 * only that group's routes (and its nested groups), never its siblings or parents.
 *
 * @example
 * ```ts
 * app.group("/api/v1", (api) => {
 *   api.use(requireJson);
 *   api.get("/threads").handle(() => threads.list());
 *   api.group("/admin", (admin) => admin.delete("/threads/:id").handle(...));
 * });
 * ```
 */
export class RouteGroup {
  readonly prefix: string;
  readonly #middleware: Middleware[] = [];
  readonly #steps: GroupStep[] = [];
  readonly #routes: MutableRouteDefinition[] = [];
  readonly #groups: RouteGroup[] = [];
  #sealed = false;

  constructor(prefix = "") {
    if (prefix !== "" && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new WebError(
        "WEB_INVALID_ROUTE",
        `group prefix "${prefix}" must start with "/" and not end with "/" (e.g. "/api/v1")`,
      );
    }
    this.prefix = prefix;
  }

  #open(what: string): void {
    if (this.#sealed) {
      throw new WebError(
        "WEB_ROUTES_SEALED",
        `cannot ${what} after the app started: declare routes, middleware and plugins before listen(), inject() or run()`,
      );
    }
  }

  /** Declares a route for any method. */
  route<P extends string>(method: HttpMethod, path: P): RouteBuilder<DefaultInput<P>> {
    this.#open(`declare ${method} ${path}`);
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new WebError(
        "WEB_INVALID_ROUTE",
        `route path ${JSON.stringify(path)} must start with "/" (e.g. "/threads/:id")`,
      );
    }
    const def = newDefinition(method, path, routeSite());
    this.#routes.push(def);
    return new RouteBuilder(def);
  }

  /** Declares a GET route (HEAD is answered from it too). */
  get<P extends string>(path: P): RouteBuilder<DefaultInput<P>> {
    return this.route("GET", path);
  }
  /** Declares a POST route. */
  post<P extends string>(path: P): RouteBuilder<DefaultInput<P>> {
    return this.route("POST", path);
  }
  /** Declares a PUT route. */
  put<P extends string>(path: P): RouteBuilder<DefaultInput<P>> {
    return this.route("PUT", path);
  }
  /** Declares a PATCH route. */
  patch<P extends string>(path: P): RouteBuilder<DefaultInput<P>> {
    return this.route("PATCH", path);
  }
  /** Declares a DELETE route. */
  delete<P extends string>(path: P): RouteBuilder<DefaultInput<P>> {
    return this.route("DELETE", path);
  }
  /** Declares an OPTIONS route. */
  options<P extends string>(path: P): RouteBuilder<DefaultInput<P>> {
    return this.route("OPTIONS", path);
  }

  /** A nested group under `prefix`; `configure` (optional) declares its content at once. */
  group(prefix: string, configure?: (group: RouteGroup) => void): RouteGroup {
    this.#open(`add group ${prefix}`);
    const child = new RouteGroup(prefix);
    this.#groups.push(child);
    configure?.(child);
    return child;
  }

  /** Middleware for every route of this group and its nested groups, in the order added. */
  use(...middleware: Middleware[]): this {
    this.#open("add middleware");
    for (const m of middleware) {
      if (typeof m !== "function") {
        throw new WebError("WEB_INVALID_ROUTE", `middleware must be a function, got ${typeof m}`);
      }
    }
    this.#middleware.push(...middleware);
    return this;
  }

  /**
   * Registers a fastify plugin in this group's encapsulation context: its hooks and decorators
   * apply to this group's routes and its nested groups, never to sibling or parent groups,
   * whether or not the plugin is wrapped with `fastify-plugin` (on the app, the root group, it
   * applies to every route).
   *
   * @example
   * ```ts
   * app.group("/admin", (admin) => {
   *   admin.plugin(fastifyBasicAuth, { validate, authenticate: true }); // only /admin/*
   *   admin.get("/stats").handle(() => stats());
   * });
   * ```
   */
  plugin(plugin: FastifyPlugin, options?: Record<string, unknown>): this {
    this.#open("register a plugin");
    this.#steps.push({ kind: "plugin", plugin, options: options ?? {} });
    return this;
  }

  /** Runs `fn` on this group's fastify instance (hooks, decorators, raw routes). */
  configureFastify(fn: (instance: FastifyInstance) => void | Promise<void>): this {
    this.#open("configure fastify");
    this.#steps.push({ kind: "fastify", fn });
    return this;
  }

  /**
   * Every route declared on this group and its nested groups, with full paths: what an API
   * document (or a route listing) is built from.
   */
  definitions(): RouteDefinition[] {
    const out: RouteDefinition[] = [];
    const walk = (group: RouteGroup, prefix: string): void => {
      const full = joinPath(prefix, group.prefix);
      for (const def of group.#routes) {
        def.fullPath = joinPath(full, def.path);
        out.push(def);
      }
      for (const child of group.#groups) walk(child, full);
    };
    walk(this, "");
    return out;
  }

  /** @internal */
  get middleware(): readonly Middleware[] {
    return this.#middleware;
  }
  /** @internal */
  get steps(): readonly GroupStep[] {
    return this.#steps;
  }
  /** @internal */
  get routes(): readonly MutableRouteDefinition[] {
    return this.#routes;
  }
  /** @internal */
  get groups(): readonly RouteGroup[] {
    return this.#groups;
  }

  /** @internal Stops further declarations (the app started). */
  seal(): void {
    this.#sealed = true;
    for (const g of this.#groups) g.seal();
  }
}
