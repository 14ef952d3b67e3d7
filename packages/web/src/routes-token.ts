import { type ServiceCollection, type Token, token } from "@dext/core-di";
import { RouteGroup } from "./routing/route-group.ts";

/**
 * Where modules register their route groups (many may be registered); the web module mounts
 * each one as its own fastify encapsulation context. `addRoutes` registers here for you.
 *
 * @example
 * ```ts
 * const groups = host.services.resolveAll(WebRoutesToken);
 * ```
 */
export const WebRoutesToken: Token<RouteGroup> = token<RouteGroup>("WebRoutes");

/**
 * The typed hook for a module to contribute routes: declares them in a group of their own
 * (optionally under a prefix) and registers it for the web module.
 *
 * @example
 * ```ts
 * export const threads = defineModule({
 *   name: "threads",
 *   register(services) {
 *     addRoutes(services, (r) => {
 *       r.get("/threads/:id").params(z.object({ id: z.coerce.number() })).handle((ctx, { params }) => ...);
 *     }, { prefix: "/api" });
 *   },
 * });
 * ```
 */
export function addRoutes(
  services: ServiceCollection,
  configure: (routes: RouteGroup) => void,
  options: { readonly prefix?: string } = {},
): RouteGroup {
  const group = new RouteGroup(options.prefix ?? "");
  configure(group);
  services.addSingleton(WebRoutesToken, { useValue: group });
  return group;
}
