import type { Logger } from "@dext/core-di";
import type { FastifyInstance } from "fastify";
import { WebError } from "../errors.ts";
import { fastifySymbol } from "./fastify-symbols.ts";
import { LazyLogger, type LogSource } from "./lazy-logger.ts";
import { stateOf } from "./request-keys.ts";

/** fastify's Request or Reply class for this instance (and, through inheritance, its contexts). */
function classOf(fastify: FastifyInstance, description: string): { prototype: object } {
  const own = fastify as unknown as Record<symbol, unknown>;
  const key = fastifySymbol(fastify, description);
  const found = key === null ? undefined : (own[key] as { prototype?: object } | undefined);
  if (found?.prototype === undefined) {
    throw new WebError(
      "WEB_FASTIFY_INCOMPATIBLE",
      `this fastify version has no ${description} class on the instance; @dext/web needs the fastify version it was released with`,
    );
  }
  return found as { prototype: object };
}

/**
 * Gives `request.log` and `reply.log` a child of the app's logger, made on first use.
 *
 * Built without a logger, fastify hands every request its no-op logger and skips the child
 * logger it would otherwise create, validate and bind per request (a factory of our own costs
 * that for every request, logging or not). Accessors on this instance's Request and Reply
 * prototypes replace the no-op logger with a {@link LazyLogger} the first time one is read;
 * fastify's constructors assign `log` through the setter, which ignores the no-op logger (and
 * `undefined`) and keeps any other logger (a plugin or hook that sets its own). Child contexts' classes inherit from these
 * prototypes, so every route of the instance gets them.
 */
export function lazyRequestLoggers(
  fastify: FastifyInstance,
  logger: Logger,
  fields: (source: LogSource) => Readonly<Record<string, string>> | undefined,
): void {
  const noop = fastify.log;
  Object.defineProperty(classOf(fastify, "fastify.Request").prototype, "log", {
    configurable: true,
    get(this: LogSource): unknown {
      const state = stateOf(this);
      state.log ??= new LazyLogger(logger, this, fields);
      return state.log;
    },
    set(this: object, value: unknown): void {
      if (value !== noop && value !== undefined) stateOf(this).log = value;
    },
  });
  Object.defineProperty(classOf(fastify, "fastify.Reply").prototype, "log", {
    configurable: true,
    get(this: { request: { log: unknown } }): unknown {
      return this.request.log;
    },
    set(this: { request: object }, value: unknown): void {
      if (value !== noop && value !== undefined) stateOf(this.request).log = value;
    },
  });
}
