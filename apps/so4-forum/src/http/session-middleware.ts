import type { Middleware, RequestContext } from "@dext/web";
import { AuthService } from "../auth/auth-service.ts";
import {
  CSRF_COOKIE,
  CSRF_FIELD,
  CSRF_HEADER,
  csrfToken,
  newCsrfSeed,
  verifyCsrf,
} from "../auth/csrf.ts";
import { SESSION_COOKIE } from "../auth/session-token.ts";
import type { Actor } from "../domain/forum-service.ts";
import type { ForumSettings } from "../settings.ts";
import { ActorKey, AmbientCredentialsKey, SessionTokenKey, ViewerKey } from "./keys.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function bearer(ctx: RequestContext): string | undefined {
  const header = ctx.raw.request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
}

/**
 * Finds the user behind the session cookie or bearer token, makes sure the browser has a CSRF
 * seed, and puts the viewer (user + CSRF token) on the context for pages.
 */
export function sessionMiddleware(settings: ForumSettings): Middleware {
  return async (ctx, next) => {
    const fromBearer = bearer(ctx);
    const token = fromBearer ?? ctx.cookie(SESSION_COOKIE);
    ctx.set(
      AmbientCredentialsKey,
      fromBearer === undefined && ctx.cookie(SESSION_COOKIE) !== undefined,
    );
    let actor: Actor | undefined;
    if (token) {
      actor = await ctx.resolve(AuthService).actorFor(token);
      if (actor) {
        ctx.set(ActorKey, actor);
        ctx.set(SessionTokenKey, token);
      } else if (!fromBearer) {
        ctx.clearCookie(SESSION_COOKIE, { path: "/" });
      }
    }
    let seed = ctx.cookie(CSRF_COOKIE);
    if (!seed) {
      seed = newCsrfSeed();
      ctx.setCookie(CSRF_COOKIE, seed, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: settings.secureCookies,
      });
    }
    ctx.set(ViewerKey, { user: actor, csrfToken: csrfToken(settings.secret, seed) });
    return next();
  };
}

/**
 * Refuses state-changing requests without a valid CSRF token, or from another origin. With
 * `only: "ambient"` (the API) only requests that authenticate by the session cookie are
 * checked: bearer-token and anonymous calls carry nothing a cross-site page could ride on.
 * Pages check every form post, login and registration included (login CSRF).
 */
export function csrfMiddleware(
  settings: ForumSettings,
  refuse: (ctx: RequestContext) => unknown,
  options: { readonly only?: "ambient" } = {},
): Middleware {
  return (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method)) return next();
    if (options.only === "ambient" && ctx.get(AmbientCredentialsKey) !== true) return next();
    const origin = ctx.raw.request.headers.origin;
    if (origin !== undefined && origin !== "null") {
      let sameOrigin = false;
      try {
        sameOrigin = new URL(origin).host === ctx.raw.request.headers.host;
      } catch {
        sameOrigin = false;
      }
      if (!sameOrigin) return refuse(ctx);
    }
    const body = ctx.raw.request.body as Record<string, unknown> | undefined;
    const header = ctx.raw.request.headers[CSRF_HEADER];
    const submitted =
      typeof header === "string"
        ? header
        : typeof body?.[CSRF_FIELD] === "string"
          ? (body[CSRF_FIELD] as string)
          : undefined;
    if (!verifyCsrf(settings.secret, ctx.cookie(CSRF_COOKIE), submitted)) return refuse(ctx);
    return next();
  };
}
