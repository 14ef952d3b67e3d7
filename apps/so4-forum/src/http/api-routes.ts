import { created, noContent, page, problem, type RequestContext, type RouteGroup } from "@dext/web";
import { z } from "zod";
import { AuthService } from "../auth/auth-service.ts";
import { ForumError } from "../domain/forum-error.ts";
import { type Actor, ForumService } from "../domain/forum-service.ts";
import type { ForumSettings } from "../settings.ts";
import { credentialsForm, postForm, registrationForm, threadForm } from "./forms.ts";
import { ActorKey, SessionTokenKey } from "./keys.ts";

const paging = (max: number) =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    size: z.coerce.number().int().min(1).max(max).optional(),
  });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const slugParams = z.object({ slug: z.string().min(1).max(60) });

/** The signed-in user, or a 401 problem thrown to the client. */
function actorOf(ctx: RequestContext): Actor {
  const actor = ctx.get(ActorKey);
  if (!actor) {
    throw new ForumError(
      "unauthenticated",
      "Sign in first",
      "This needs a session: POST /api/sessions, then send `Authorization: Bearer <token>`.",
    );
  }
  return actor;
}

/**
 * The JSON API under /api: the same operations as the pages, zod-bound input, and every failure
 * as problem+json. Authenticate with `Authorization: Bearer <token>` from POST /api/sessions (or
 * the browser's session cookie plus an `x-csrf-token` header for writes).
 */
export function apiRoutes(r: RouteGroup, settings: ForumSettings): void {
  const size = (s: number | undefined): number => s ?? settings.pageSize;

  // Domain failures become problem details with a stable type per kind.
  r.use(async (_ctx, next) => {
    try {
      return await next();
    } catch (error) {
      if (error instanceof ForumError) {
        return problem({
          status: error.status,
          type: `forum/${error.kind}`,
          title: error.title,
          detail: error.message,
        });
      }
      throw error;
    }
  });

  r.post("/users")
    .body(registrationForm)
    .summary("Register an account")
    .handle(async (ctx, { body }) => {
      const actor = await ctx.resolve(AuthService).register(body.email, body.name, body.password);
      return created({ id: actor.id, name: actor.name }, `/api/users/${actor.id}`);
    });

  r.post("/sessions")
    .body(credentialsForm)
    .summary("Log in; returns a bearer token")
    .handle(async (ctx, { body }) => {
      const auth = ctx.resolve(AuthService);
      const actor = await auth.verify(body.email, body.password);
      const token = await auth.openSession(actor);
      return created({ token, user: actor }, "/api/me");
    });

  r.delete("/sessions/current")
    .summary("Log out")
    .handle(async (ctx) => {
      actorOf(ctx);
      await ctx.resolve(AuthService).closeSession(ctx.get(SessionTokenKey)!);
      return noContent();
    });

  r.get("/me").handle((ctx) => actorOf(ctx));

  r.get("/categories").handle((ctx) => ctx.resolve(ForumService).categories());

  r.get("/categories/:slug")
    .params(slugParams)
    .handle((ctx, { params }) => ctx.resolve(ForumService).category(params.slug));

  r.get("/categories/:slug/threads")
    .params(slugParams)
    .query(paging(100))
    .handle(async (ctx, { params, query }) => {
      const forum = ctx.resolve(ForumService);
      const list = await forum.threads(
        await forum.category(params.slug),
        query.page,
        size(query.size),
      );
      return page(list.items, list);
    });

  r.post("/categories/:slug/threads")
    .params(slugParams)
    .body(threadForm)
    .summary("Start a thread")
    .handle(async (ctx, { params, body }) => {
      const actor = actorOf(ctx);
      const forum = ctx.resolve(ForumService);
      const { threadId } = await forum.startThread(
        actor,
        await forum.category(params.slug),
        body.title,
        body.body,
      );
      return created(await forum.thread(threadId), `/api/threads/${threadId}`);
    });

  r.get("/threads")
    .query(paging(100))
    .handle(async (ctx, { query }) => {
      const list = await ctx.resolve(ForumService).threads(undefined, query.page, size(query.size));
      return page(list.items, list);
    });

  r.get("/threads/:id")
    .params(idParams)
    .handle((ctx, { params }) => ctx.resolve(ForumService).thread(params.id));

  r.get("/threads/:id/posts")
    .params(idParams)
    .query(paging(100))
    .handle(async (ctx, { params, query }) => {
      const forum = ctx.resolve(ForumService);
      await forum.thread(params.id);
      const list = await forum.posts(params.id, query.page, size(query.size));
      return page(list.items, list);
    });

  r.post("/threads/:id/posts")
    .params(idParams)
    .body(postForm)
    .summary("Reply to a thread")
    .handle(async (ctx, { params, body }) => {
      const post = await ctx.resolve(ForumService).reply(actorOf(ctx), params.id, body.body);
      return created(post, `/api/posts/${post.id}`);
    });

  r.get("/posts/:id")
    .params(idParams)
    .handle((ctx, { params }) => ctx.resolve(ForumService).post(params.id));

  r.patch("/posts/:id")
    .params(idParams)
    .body(postForm)
    .summary("Edit your post")
    .handle((ctx, { params, body }) =>
      ctx.resolve(ForumService).editPost(actorOf(ctx), params.id, body.body),
    );

  r.delete("/posts/:id")
    .params(idParams)
    .summary("Delete your post (the first post deletes its thread)")
    .handle(async (ctx, { params }) => {
      await ctx.resolve(ForumService).deletePost(actorOf(ctx), params.id);
      return noContent();
    });
}
