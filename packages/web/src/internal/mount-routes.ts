import type { FastifyInstance, FastifyPluginCallback } from "fastify";
import { WebError } from "../errors.ts";
import type { Middleware } from "../middleware.ts";
import { problemTypes } from "../problem/problem-details.ts";
import type { MutableRouteDefinition } from "../routing/route-definition.ts";
import { type FastifyPlugin, joinPath, type RouteGroup } from "../routing/route-group.ts";
import type { HttpMethod } from "../routing/route-types.ts";
import type { ProblemRenderer } from "./problem-renderer.ts";
import { createRouteHandler, type PipelineEnv } from "./route-handler.ts";

const skipOverride = Symbol.for("skip-override");
const displayName = Symbol.for("fastify.display-name");
const pluginMeta = Symbol.for("plugin-meta");

/**
 * Makes a plugin's hooks and decorators land in the context it is registered in (the group),
 * as `fastify-plugin` would, without mutating the user's function.
 */
function inGroupContext(plugin: FastifyPlugin): FastifyPluginCallback<any> {
  const source = plugin as unknown as Record<symbol, unknown>;
  const wrapped = function (
    this: unknown,
    instance: FastifyInstance,
    opts: any,
    done: (e?: Error) => void,
  ) {
    if (plugin.length >= 3)
      return (plugin as FastifyPluginCallback<any>).call(this, instance, opts, done);
    Promise.resolve(
      (plugin as (i: FastifyInstance, o: unknown) => unknown).call(this, instance, opts),
    ).then(() => done(), done);
  } as FastifyPluginCallback<any>;
  const target = wrapped as unknown as Record<symbol, unknown>;
  target[skipOverride] = true;
  target[displayName] = source[displayName] ?? plugin.name;
  if (source[pluginMeta] !== undefined) target[pluginMeta] = source[pluginMeta];
  return wrapped;
}

const bodyMethods: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH"]);

// DELETE rarely has a body; it gets the body parsers when its declaration binds one.
const takesBody = (def: MutableRouteDefinition): boolean =>
  bodyMethods.has(def.method) || (def.method === "DELETE" && def.schemas.body !== undefined);

/** Every declared route with its full path, for duplicate checks and 405 answers. */
export interface MountedRoute {
  readonly method: HttpMethod;
  readonly fullPath: string;
}

function collect(group: RouteGroup, prefix: string, out: MutableRouteDefinition[]): void {
  const full = joinPath(prefix, group.prefix);
  for (const def of group.routes) {
    def.fullPath = joinPath(full, def.path);
    out.push(def);
  }
  for (const child of group.groups) collect(child, full, out);
}

/** Fails fast on routes without a handler and on duplicates, naming where each was declared. */
export function checkRoutes(roots: readonly RouteGroup[]): MutableRouteDefinition[] {
  const all: MutableRouteDefinition[] = [];
  for (const root of roots) collect(root, "", all);
  const problems: string[] = [];
  const seen = new Map<string, MutableRouteDefinition>();
  for (const def of all) {
    const where = def.site ? ` (declared at ${def.site})` : "";
    if (def.handler === undefined) {
      problems.push(
        `${def.method} ${def.fullPath}${where} has no handler: finish it with .handle(fn)`,
      );
    }
    const key = `${def.method} ${def.fullPath.replace(/:[^/]+/g, ":")}`;
    const first = seen.get(key);
    if (first) {
      problems.push(
        `${def.method} ${def.fullPath}${where} duplicates ${first.method} ${first.fullPath}${first.site ? ` (declared at ${first.site})` : ""}`,
      );
    } else seen.set(key, def);
  }
  if (problems.length > 0) {
    const dup = problems.some((p) => p.includes(" duplicates "));
    throw new WebError(
      dup ? "WEB_DUPLICATE_ROUTE" : "WEB_INVALID_ROUTE",
      `the routes cannot be mounted (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return all;
}

async function mountGroupContent(
  instance: FastifyInstance,
  group: RouteGroup,
  chain: readonly Middleware[],
  env: PipelineEnv,
): Promise<void> {
  for (const step of group.steps) {
    if (step.kind === "plugin")
      await instance.register(inGroupContext(step.plugin), step.options as never);
    else await step.fn(instance);
  }
  const mine = [...chain, ...group.middleware];
  const add = (target: FastifyInstance, def: MutableRouteDefinition): void => {
    target.route({
      method: def.method,
      url: def.path,
      handler: createRouteHandler(def, mine, env),
      ...(def.bodyLimit !== undefined ? { bodyLimit: def.bodyLimit } : {}),
      config: { dextRoute: def },
    });
  };
  const withBody = group.routes.filter(takesBody);
  for (const def of group.routes) if (!takesBody(def)) add(instance, def);
  if (withBody.length > 0) {
    // Body parsers with per-request hooks (multipart) live in a child context holding only the
    // routes that take a body; it inherits everything the group registered above.
    instance.register(async (bodies) => {
      await env.registerBodyParsers(bodies);
      for (const def of withBody) add(bodies, def);
    });
  }
  for (const child of group.groups) mountGroup(instance, child, mine, env);
}

function mountGroup(
  parent: FastifyInstance,
  group: RouteGroup,
  chain: readonly Middleware[],
  env: PipelineEnv,
): void {
  // Each group is its own encapsulation context: what it registers stays inside it.
  parent.register(async (instance) => mountGroupContent(instance, group, chain, env), {
    prefix: group.prefix,
  });
}

/** Mounts the app's root group in the root context (its plugins are global) and each module's group in its own. */
export async function mountRoutes(
  fastify: FastifyInstance,
  root: RouteGroup,
  moduleGroups: readonly RouteGroup[],
  env: PipelineEnv,
): Promise<void> {
  await mountGroupContent(fastify, root, [], env);
  for (const group of moduleGroups) mountGroup(fastify, group, root.middleware, env);
}

const allMethods: readonly HttpMethod[] = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
];

/**
 * fastify answers 404 for a known path with the wrong method; register the missing methods on
 * each declared path to answer 405 with `Allow` instead.
 */
export function registerMethodNotAllowed(
  fastify: FastifyInstance,
  routes: readonly MutableRouteDefinition[],
  renderer: ProblemRenderer,
  options: { skipOptions: boolean },
): void {
  const byPath = new Map<string, Set<HttpMethod>>();
  for (const r of routes) {
    const set = byPath.get(r.fullPath) ?? new Set<HttpMethod>();
    set.add(r.method);
    if (r.method === "GET") set.add("HEAD");
    byPath.set(r.fullPath, set);
  }
  for (const [path, methods] of byPath) {
    const allow = [...methods].sort().join(", ");
    const missing = allMethods.filter(
      (m) => !methods.has(m) && !(m === "OPTIONS" && options.skipOptions),
    );
    for (const method of missing) {
      if (fastify.hasRoute({ method, url: path })) continue;
      fastify.route({
        method,
        url: path,
        config: { dextMethodNotAllowed: true },
        handler: async (request, reply) => {
          reply.header("allow", allow);
          if (method === "OPTIONS") return reply.code(204).send();
          return renderer.send(
            reply,
            renderer.fromInit(
              {
                status: 405,
                type: problemTypes.methodNotAllowed,
                detail: `${request.method} is not allowed on ${path}; allowed: ${allow}`,
                extensions: { allow: [...methods].sort() },
              },
              request,
            ),
          );
        },
      });
    }
  }
}
