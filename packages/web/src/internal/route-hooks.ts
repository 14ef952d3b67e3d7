import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { RequestEnd } from "./request-end.ts";
import { peekState } from "./request-keys.ts";

type Done = (error: Error | null, payload?: unknown) => void;
type OnSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done) => void;
type Hooks<T> = T | T[] | undefined;

const list = <T>(hooks: Hooks<T>): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? [...hooks] : [hooks];

/** Whether `payload` is a body `@fastify/compress` would leave alone for its size. */
function belowThreshold(payload: unknown, threshold: number): boolean {
  // A UTF-8 body is at most three bytes per UTF-16 code unit.
  if (typeof payload === "string") return payload.length * 3 < threshold;
  if (payload instanceof Uint8Array) return payload.byteLength < threshold;
  return false;
}

/**
 * The hooks Dext puts on routes, installed around `@fastify/compress`'s registration: call
 * `beforeCompression()` before registering it and `afterCompression()` after.
 *
 * Routes Dext did not declare end through an `onResponse` hook of their own. Dext's routes end
 * themselves after sending, so fastify sets no per-response listeners for them, and they get
 * a single `onSend` hook that does two things:
 * - it ends a request a plugin answered before the route handler ran (a preHandler's 401);
 * - it runs `@fastify/compress`'s `onSend` (taken off the route) only when that could compress:
 *   the request accepts an encoding and the body is not under the threshold. Most API answers
 *   are small, and compress's checks (three header reads, a content-type regex, parsing
 *   Accept-Encoding) come before its size check, on every response.
 * So a Dext route runs one onSend hook instead of two, and compression behaves as before.
 */
export function routeHooks(
  fastify: FastifyInstance,
  requestEnd: RequestEnd,
  threshold: number,
): { beforeCompression(): void; afterCompression(): void } {
  const endOnResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    requestEnd.end(request, reply, false);
    done();
  };
  const dextOnSend = (compress: OnSend | undefined): OnSend =>
    function dextOnSend(request, reply, payload, done) {
      const state = peekState(request);
      if (state === undefined || (!state.handled && !state.ended))
        requestEnd.afterSend(request, reply);
      if (
        compress === undefined ||
        payload === null ||
        payload === undefined ||
        request.headers["accept-encoding"] === undefined ||
        belowThreshold(payload, threshold)
      )
        done(null, payload);
      else compress(request, reply, payload, done);
    };
  // The route's onSend hooks before compress's onRoute hook added its own.
  const before = new WeakMap<RouteOptions, unknown[]>();
  return {
    beforeCompression() {
      fastify.addHook("onRoute", (route) => {
        if (route.config?.dextRoute !== undefined) before.set(route, list(route.onSend));
        else route.onResponse = [...list(route.onResponse), endOnResponse as never];
      });
    },
    afterCompression() {
      fastify.addHook("onRoute", (route) => {
        const earlier = before.get(route);
        if (earlier === undefined) return;
        before.delete(route);
        const added = list(route.onSend).filter((hook) => !earlier.includes(hook));
        if (added.length <= 1) {
          route.onSend = [...earlier, dextOnSend(added[0] as OnSend | undefined)] as never;
        } else {
          // Not compress's single hook: leave what was added in place, before ours.
          route.onSend = [...earlier, ...added, dextOnSend(undefined)] as never;
        }
      });
    },
  };
}
