import { type HttpResult, html, type RequestContext, type RouteGroup, redirect } from "@dext/web";
import { z } from "zod";
import { AuthService } from "../auth/auth-service.ts";
import { CSRF_COOKIE, newCsrfSeed } from "../auth/csrf.ts";
import { SESSION_COOKIE } from "../auth/session-token.ts";
import { ForumError } from "../domain/forum-error.ts";
import { type Actor, ForumService } from "../domain/forum-service.ts";
import type { ForumSettings } from "../settings.ts";
import type { Viewer } from "../views/layout.ts";
import {
  categoryPage,
  editPostPage,
  errorPage,
  homePage,
  loginPage,
  newThreadPage,
  registerPage,
  replyAdded,
  replyForm,
  threadPage,
} from "../views/pages.ts";
import {
  credentialsForm,
  isHtmx,
  postForm,
  readForm,
  registrationForm,
  safeNext,
  threadForm,
} from "./forms.ts";
import { ActorKey, SessionTokenKey, ViewerKey } from "./keys.ts";

const viewerOf = (ctx: RequestContext): Viewer => ctx.get(ViewerKey)!;
const pageParam = z.object({ page: z.string().optional() });
const slugParam = z.object({ slug: z.string() });
const idParam = z.object({ id: z.string() });

const toPage = (value: string | undefined): number => {
  const n = Number(value ?? "1");
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
};

function toId(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ForumError("not-found", "Not found", "There is nothing here.");
  return n;
}

/** Pages answer domain failures with an error page of the same status. */
function renderFailure(ctx: RequestContext, error: unknown): unknown {
  if (error instanceof ForumError)
    return html(errorPage(viewerOf(ctx), error.status, error.title, error.message), error.status);
  throw error;
}

/** Pages that need a user send everyone else to the login form (htmx: by HX-Redirect). */
function requireActor(ctx: RequestContext): Actor | HttpResult {
  const actor = ctx.get(ActorKey);
  if (actor) return actor;
  const to = `/login?next=${encodeURIComponent(ctx.url)}`;
  if (isHtmx(ctx)) return html("", 200).header("hx-redirect", to);
  return redirect(to, 303);
}

const isActor = (v: unknown): v is Actor =>
  typeof v === "object" && v !== null && "id" in v && "name" in v;

/** The server-rendered forum: HTML pages enhanced with htmx, each working without JavaScript too. */
export function pageRoutes(r: RouteGroup, settings: ForumSettings): void {
  const sessionCookie = {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: settings.secureCookies,
  };

  async function signIn(ctx: RequestContext, actor: Actor): Promise<void> {
    const token = await ctx.resolve(AuthService).openSession(actor);
    ctx.setCookie(SESSION_COOKIE, token, {
      ...sessionCookie,
      maxAge: Math.floor(settings.sessionTtlMs / 1000),
    });
    // A new CSRF seed per login, so a token seen before login is worthless after it.
    ctx.setCookie(CSRF_COOKIE, newCsrfSeed(), sessionCookie);
  }

  r.get("/").handle(async (ctx) =>
    html(homePage(viewerOf(ctx), await ctx.resolve(ForumService).categories())),
  );

  r.get("/c/:slug")
    .params(slugParam)
    .query(pageParam)
    .handle(async (ctx, { params, query }) => {
      try {
        const forum = ctx.resolve(ForumService);
        const category = await forum.category(params.slug);
        const list = await forum.threads(category, toPage(query.page), settings.pageSize);
        return html(categoryPage(viewerOf(ctx), category, list.items, list));
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.get("/c/:slug/new")
    .params(slugParam)
    .handle(async (ctx, { params }) => {
      const actor = requireActor(ctx);
      if (!isActor(actor)) return actor;
      try {
        const category = await ctx.resolve(ForumService).category(params.slug);
        return html(newThreadPage(viewerOf(ctx), category));
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.post("/c/:slug/threads")
    .params(slugParam)
    .handle(async (ctx, { params }) => {
      const actor = requireActor(ctx);
      if (!isActor(actor)) return actor;
      try {
        const forum = ctx.resolve(ForumService);
        const category = await forum.category(params.slug);
        const form = readForm(ctx, threadForm);
        if (!form.ok) {
          return html(
            newThreadPage(viewerOf(ctx), category, form.errors, {
              title: form.values.title ?? "",
              body: form.values.body ?? "",
            }),
            422,
          );
        }
        const { threadId } = await forum.startThread(
          actor,
          category,
          form.value.title,
          form.value.body,
        );
        return redirect(`/t/${threadId}`, 303);
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.get("/t/:id")
    .params(idParam)
    .query(pageParam)
    .handle(async (ctx, { params, query }) => {
      try {
        const forum = ctx.resolve(ForumService);
        const thread = await forum.thread(toId(params.id));
        const posts = await forum.posts(thread.id, toPage(query.page), settings.pageSize);
        return html(threadPage(viewerOf(ctx), thread, posts.items, posts));
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.post("/t/:id/replies")
    .params(idParam)
    .handle(async (ctx, { params }) => {
      const actor = requireActor(ctx);
      if (!isActor(actor)) return actor;
      try {
        const forum = ctx.resolve(ForumService);
        const threadId = toId(params.id);
        const form = readForm(ctx, postForm);
        const formPage = toPage((ctx.raw.request.body as { page?: string } | undefined)?.page);
        if (!form.ok) {
          if (isHtmx(ctx))
            return html(
              replyForm(viewerOf(ctx), threadId, form.errors, form.values.body ?? "", formPage),
              422,
            );
          // Without htmx, show the thread's last page (where the form is) with the errors.
          const thread = await forum.thread(threadId);
          const lastPage = Math.max(1, Math.ceil(thread.postCount / settings.pageSize));
          const posts = await forum.posts(threadId, lastPage, settings.pageSize);
          return html(
            threadPage(viewerOf(ctx), thread, posts.items, posts, {
              errors: form.errors,
              body: form.values.body ?? "",
            }),
            422,
          );
        }
        const post = await forum.reply(actor, threadId, form.value.body);
        const page = await forum.pageOfPost(threadId, post.id, settings.pageSize);
        if (isHtmx(ctx)) {
          // On the page the form was on, append in place; a reply that opens a new page goes there.
          if (page === formPage) return html(replyAdded(viewerOf(ctx), threadId, post, page));
          return html("").header("hx-redirect", `/t/${threadId}?page=${page}#post-${post.id}`);
        }
        return redirect(`/t/${threadId}?page=${page}#post-${post.id}`, 303);
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.get("/p/:id/edit")
    .params(idParam)
    .handle(async (ctx, { params }) => {
      const actor = requireActor(ctx);
      if (!isActor(actor)) return actor;
      try {
        const post = await ctx.resolve(ForumService).post(toId(params.id));
        if (post.authorId !== actor.id)
          throw new ForumError(
            "forbidden",
            "Not your post",
            "Only the author of a post can edit it.",
          );
        return html(editPostPage(viewerOf(ctx), post));
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.post("/p/:id/edit")
    .params(idParam)
    .handle(async (ctx, { params }) => {
      const actor = requireActor(ctx);
      if (!isActor(actor)) return actor;
      try {
        const forum = ctx.resolve(ForumService);
        const id = toId(params.id);
        const form = readForm(ctx, postForm);
        if (!form.ok) {
          const post = await forum.post(id);
          if (post.authorId !== actor.id)
            throw new ForumError(
              "forbidden",
              "Not your post",
              "Only the author of a post can edit it.",
            );
          return html(editPostPage(viewerOf(ctx), post, form.errors, form.values.body ?? ""), 422);
        }
        await forum.editPost(actor, id, form.value.body);
        const post = await forum.post(id);
        const page = await forum.pageOfPost(post.threadId, id, settings.pageSize);
        return redirect(`/t/${post.threadId}?page=${page}#post-${id}`, 303);
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.post("/p/:id/delete")
    .params(idParam)
    .handle(async (ctx, { params }) => {
      const actor = requireActor(ctx);
      if (!isActor(actor)) return actor;
      try {
        const result = await ctx.resolve(ForumService).deletePost(actor, toId(params.id));
        const after = result.threadDeleted ? `/c/${result.categorySlug}` : `/t/${result.threadId}`;
        if (isHtmx(ctx))
          return result.threadDeleted ? html("").header("hx-redirect", after) : html("");
        return redirect(after, 303);
      } catch (error) {
        return renderFailure(ctx, error);
      }
    });

  r.get("/login")
    .query(z.object({ next: z.string().optional() }))
    .handle((ctx, { query }) => html(loginPage(viewerOf(ctx), [], "", safeNext(query.next))));

  r.post("/login")
    .query(z.object({ next: z.string().optional() }))
    .handle(async (ctx, { query }) => {
      const next = safeNext(query.next);
      const form = readForm(ctx, credentialsForm);
      if (!form.ok)
        return html(loginPage(viewerOf(ctx), form.errors, form.values.email ?? "", next), 422);
      try {
        const actor = await ctx.resolve(AuthService).verify(form.value.email, form.value.password);
        await signIn(ctx, actor);
        return redirect(next, 303);
      } catch (error) {
        if (error instanceof ForumError)
          return html(loginPage(viewerOf(ctx), [error.message], form.value.email, next), 401);
        throw error;
      }
    });

  r.get("/register").handle((ctx) => html(registerPage(viewerOf(ctx))));

  r.post("/register").handle(async (ctx) => {
    const form = readForm(ctx, registrationForm);
    const values = {
      email: form.ok ? form.value.email : (form.values.email ?? ""),
      name: form.ok ? form.value.name : (form.values.name ?? ""),
    };
    if (!form.ok) return html(registerPage(viewerOf(ctx), form.errors, values), 422);
    try {
      const actor = await ctx
        .resolve(AuthService)
        .register(form.value.email, form.value.name, form.value.password);
      await signIn(ctx, actor);
      return redirect("/", 303);
    } catch (error) {
      if (error instanceof ForumError)
        return html(registerPage(viewerOf(ctx), [error.message], values), error.status);
      throw error;
    }
  });

  r.post("/logout").handle(async (ctx) => {
    const token = ctx.get(SessionTokenKey);
    if (token) await ctx.resolve(AuthService).closeSession(token);
    ctx.clearCookie(SESSION_COOKIE, { path: "/" });
    return redirect("/", 303);
  });
}
