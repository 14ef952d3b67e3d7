import { html, type RequestContext, type RouteGroup, redirect } from "@dext/web";
import { z } from "zod";
import { AuthService } from "../auth/auth-service.ts";
import { CSRF_COOKIE, newCsrfSeed } from "../auth/csrf.ts";
import { SESSION_COOKIE } from "../auth/session-token.ts";
import { ForumError } from "../domain/forum-error.ts";
import type { Actor } from "../domain/forum-service.ts";
import type { ForumSettings } from "../settings.ts";
import { loginPage, registerPage } from "../views/pages.ts";
import { credentialsForm, readForm, registrationForm, safeNext } from "./forms.ts";
import { SessionTokenKey } from "./keys.ts";
import { viewerOf } from "./page-handler.ts";

const nextQuery = z.object({ next: z.string().optional() });

/** Accounts: registering, logging in (back to where the user was) and out. */
export function accountRoutes(r: RouteGroup, settings: ForumSettings): void {
  const cookie = {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: settings.secureCookies,
  };

  async function signIn(ctx: RequestContext, actor: Actor): Promise<void> {
    const token = await ctx.resolve(AuthService).openSession(actor);
    ctx.setCookie(SESSION_COOKIE, token, {
      ...cookie,
      maxAge: Math.floor(settings.sessionTtlMs / 1000),
    });
    // A new CSRF seed per login, so a token seen before login is worthless after it.
    ctx.setCookie(CSRF_COOKIE, newCsrfSeed(), cookie);
  }

  r.get("/login")
    .query(nextQuery)
    .handle((ctx, { query }) => html(loginPage(viewerOf(ctx), [], "", safeNext(query.next))));

  r.post("/login")
    .query(nextQuery)
    .handle(async (ctx, { query }) => {
      const next = safeNext(query.next);
      const form = readForm(ctx, credentialsForm);
      if (!form.ok)
        return html(loginPage(viewerOf(ctx), form.errors, form.values.email ?? "", next), 422);
      try {
        await signIn(
          ctx,
          await ctx.resolve(AuthService).verify(form.value.email, form.value.password),
        );
        return redirect(next, 303);
      } catch (error) {
        if (!(error instanceof ForumError)) throw error;
        return html(
          loginPage(viewerOf(ctx), [error.message], form.value.email, next),
          error.status,
        );
      }
    });

  r.get("/register").handle((ctx) => html(registerPage(viewerOf(ctx))));

  r.post("/register").handle(async (ctx) => {
    const form = readForm(ctx, registrationForm);
    const values = form.ok
      ? { email: form.value.email, name: form.value.name }
      : { email: form.values.email ?? "", name: form.values.name ?? "" };
    if (!form.ok) return html(registerPage(viewerOf(ctx), form.errors, values), 422);
    try {
      await signIn(
        ctx,
        await ctx
          .resolve(AuthService)
          .register(form.value.email, form.value.name, form.value.password),
      );
      return redirect("/", 303);
    } catch (error) {
      if (!(error instanceof ForumError)) throw error;
      return html(registerPage(viewerOf(ctx), [error.message], values), error.status);
    }
  });

  r.post("/logout").handle(async (ctx) => {
    const token = ctx.get(SessionTokenKey);
    if (token) await ctx.resolve(AuthService).closeSession(token);
    ctx.clearCookie(SESSION_COOKIE, { path: "/" });
    return redirect("/", 303);
  });
}
