import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { fastifySymbol, routeContextKey } from "./fastify-symbols.ts";
import type { RequestEnd } from "./request-end.ts";
import { peekState } from "./request-keys.ts";

type Done = (error: Error | null, payload?: unknown) => void;
type OnSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done) => void;
type OnRequest = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;
/** What `@fastify/compress` puts on every reply (`reply.compress(stream)`). */
export type ReplyCompress = (payload: unknown) => void;
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
 *
 * `@fastify/compress` also gives every route an `onRequest` hook whose only work is
 * `reply.compress = <the route's compress function>`. On a Dext route that hook is taken off,
 * its function kept in the route's config (`dextCompress`), and Dext's own onRequest hook,
 * which every request runs anyway, sets `reply.compress` from there: one hook call less per
 * request, the same `reply.compress` for handlers and plugins.
 */
export function routeHooks(
  fastify: FastifyInstance,
  requestEnd: RequestEnd,
  threshold: number,
): { beforeCompression(): void; afterCompression(): void; sendOwn: SendOwn } {
  const endOnResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    requestEnd.end(request, reply, false);
    done();
  };
  const dextOnSend = (compress: OnSend | undefined): OnSend =>
    function dextOnSend(
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: Done,
    ) {
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
  // @fastify/cookie's key for the cookies a reply will set (not exported; found by name).
  let setCookiesKey: symbol | null | undefined;
  const sendOwn: SendOwn = (request, reply, payload) => {
    const contextKey = routeContextKey(request);
    if (setCookiesKey === undefined)
      setCookiesKey = fastifySymbol(reply, "fastify.reply.setCookies");
    if (contextKey === null) return reply.send(payload);
    const bag = request as unknown as Record<symbol, RouteContext>;
    const context = bag[contextKey]!;
    const slot = context.config?.dextLean;
    if (slot === undefined) return reply.send(payload);
    if (slot.context === undefined) leanContext(context, slot);
    const lean = slot.context;
    if (
      lean === null ||
      lean === undefined ||
      (request.headers["accept-encoding"] !== undefined && !belowThreshold(payload, threshold)) ||
      (slot.cookies && hasCookiesToSet(reply, setCookiesKey))
    )
      return reply.send(payload);
    bag[contextKey] = lean;
    try {
      return reply.send(payload);
    } finally {
      bag[contextKey] = context;
    }
  };
  // The route's onSend and onRequest hooks before compress's onRoute hook added its own.
  const before = new WeakMap<RouteOptions, { onSend: unknown[]; onRequest: unknown[] }>();
  return {
    beforeCompression() {
      fastify.addHook("onRoute", (route) => {
        if (route.config?.dextRoute !== undefined)
          before.set(route, { onSend: list(route.onSend), onRequest: list(route.onRequest) });
        else route.onResponse = [...list(route.onResponse), endOnResponse as never];
      });
    },
    sendOwn,
    afterCompression() {
      fastify.addHook("onRoute", (route) => {
        const hooks = before.get(route);
        if (hooks === undefined) return;
        before.delete(route);
        const addedOnRequest = list(route.onRequest).filter((h) => !hooks.onRequest.includes(h));
        const compressFn =
          addedOnRequest.length === 1 ? replyCompressOf(addedOnRequest[0] as OnRequest) : undefined;
        if (compressFn !== undefined) {
          route.onRequest = hooks.onRequest as never;
          route.config!.dextCompress = compressFn;
        }
        // Filled in by sendOwn on the route's first answer (set here so every config has it).
        (route.config as { dextLean?: LeanSlot }).dextLean = { context: undefined, cookies: false };
        const earlier = hooks.onSend;
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

/**
 * The function `@fastify/compress`'s per-route onRequest hook assigns to `reply.compress`, read
 * by running the hook on a stand-in reply; undefined when the hook does anything else (then it
 * stays on the route).
 */
function replyCompressOf(hook: OnRequest): ReplyCompress | undefined {
  const standIn: Record<string, unknown> = {};
  let called = false;
  try {
    hook(undefined as never, standIn as never, () => {
      called = true;
    });
  } catch {
    return undefined;
  }
  const keys = Object.keys(standIn);
  const fn = standIn.compress;
  return called && keys.length === 1 && typeof fn === "function"
    ? (fn as ReplyCompress)
    : undefined;
}

/**
 * Sends an answer Dext produced itself (a handler's data): as `reply.send(payload)`, but when
 * the route's only onSend hooks are Dext's own and the cookie plugin's, no cookie was set and
 * the body will not be compressed, fastify sends it without running its onSend hook chain
 * (see {@link leanContext}).
 */
export type SendOwn = (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: string | Uint8Array,
) => FastifyReply;

/** The name a bound function has: fastify binds every hook to its instance. */
const hookName = (hook: unknown): string =>
  ((hook as { name?: string }).name ?? "").replace(/^bound /, "");

interface RouteContext {
  onSend: unknown[] | null;
  config?: { dextLean?: LeanSlot };
}

/** A route's lean context, made on its first answer; null when the route cannot have one. */
interface LeanSlot {
  context: RouteContext | null | undefined;
  /** Whether the route's hooks include @fastify/cookie's Set-Cookie writer. */
  cookies: boolean;
}

/** Whether cookies were set on `reply` (@fastify/cookie keeps them until its onSend hook). */
function hasCookiesToSet(reply: FastifyReply, key: symbol | null | undefined): boolean {
  if (key === null || key === undefined) return true;
  const pending = (reply as unknown as Record<symbol, Map<string, unknown> | null>)[key];
  return pending !== null && pending !== undefined && pending.size > 0;
}

/**
 * Makes a route's lean context: a copy of its fastify context without onSend hooks, for the
 * answers Dext sends itself. There Dext's own onSend hook has nothing to do (Dext ends the
 * request after sending; a body under the threshold, or a request without Accept-Encoding, is
 * not compressed), and @fastify/cookie's has nothing to write unless cookies were set (checked
 * per answer). fastify runs a route's onSend hooks through a runner that makes a state and
 * three closures per response; with `onSend` null it sends straight away. The hooks are known
 * by name, as fastify binds them; a route with any other onSend hook (a plugin's, a global
 * one) gets no lean context, and every answer runs the chain.
 */
function leanContext(context: RouteContext, slot: LeanSlot): void {
  const names = (context.onSend ?? []).map(hookName);
  const ours = names.filter((n) => n === "dextOnSend").length;
  const cookies = names.filter((n) => n === "fastifyCookieOnSendHandler").length;
  if (ours !== 1 || cookies > 1 || names.length !== ours + cookies) {
    slot.context = null;
    return;
  }
  const lean = Object.assign(
    Object.create(Object.getPrototypeOf(context)),
    context,
  ) as RouteContext;
  lean.onSend = null;
  slot.cookies = cookies === 1;
  slot.context = lean;
}
