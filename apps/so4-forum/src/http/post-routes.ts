import { html, type RouteGroup, redirect } from "@dext/web";
import { z } from "zod";
import { ForumService } from "../domain/forum-service.ts";
import type { ForumSettings } from "../settings.ts";
import { editPostPage, newThreadPage, replyAdded, replyForm, threadPage } from "../views/pages.ts";
import { isHtmx, postForm, readForm, threadForm } from "./forms.ts";
import { memberPage, toId, toPage, viewerOf } from "./page-handler.ts";

const slugParam = z.object({ slug: z.string() });
const idParam = z.object({ id: z.string() });

/** Writing: new threads, replies (htmx or plain), editing and deleting one's own posts. */
export function postRoutes(r: RouteGroup, settings: ForumSettings): void {
  const at = (threadId: number, pageNo: number, postId: number) =>
    `/t/${threadId}?page=${pageNo}#post-${postId}`;

  r.get("/c/:slug/new")
    .params(slugParam)
    .handle(
      memberPage(async (ctx, { params }) => {
        const category = await ctx.resolve(ForumService).category(params.slug);
        return html(newThreadPage(viewerOf(ctx), category));
      }),
    );

  r.post("/c/:slug/threads")
    .params(slugParam)
    .handle(
      memberPage(async (ctx, { params }, actor) => {
        const forum = ctx.resolve(ForumService);
        const category = await forum.category(params.slug);
        const form = readForm(ctx, threadForm);
        if (!form.ok) {
          const values = { title: form.values.title ?? "", body: form.values.body ?? "" };
          return html(newThreadPage(viewerOf(ctx), category, form.errors, values), 422);
        }
        const { threadId } = await forum.startThread(
          actor,
          category,
          form.value.title,
          form.value.body,
        );
        return redirect(`/t/${threadId}`, 303);
      }),
    );

  r.post("/t/:id/replies")
    .params(idParam)
    .handle(
      memberPage(async (ctx, { params }, actor) => {
        const forum = ctx.resolve(ForumService);
        const threadId = toId(params.id);
        const form = readForm(ctx, postForm);
        const formPage = toPage((ctx.raw.request.body as { page?: string } | undefined)?.page);
        if (!form.ok) {
          const body = form.values.body ?? "";
          if (isHtmx(ctx))
            return html(replyForm(viewerOf(ctx), threadId, form.errors, body, formPage), 422);
          // Without htmx, show the thread's last page (where the form is) with the errors.
          const thread = await forum.thread(threadId);
          const last = Math.max(1, Math.ceil(thread.postCount / settings.pageSize));
          const posts = await forum.posts(threadId, last, settings.pageSize);
          return html(
            threadPage(viewerOf(ctx), thread, posts.items, posts, { errors: form.errors, body }),
            422,
          );
        }
        const post = await forum.reply(actor, threadId, form.value.body);
        const pageNo = await forum.pageOfPost(threadId, post.id, settings.pageSize);
        if (!isHtmx(ctx)) return redirect(at(threadId, pageNo, post.id), 303);
        // On the page the form was on, append in place; a reply that opens a new page goes there.
        if (pageNo === formPage) return html(replyAdded(viewerOf(ctx), threadId, post, pageNo));
        return html("").header("hx-redirect", at(threadId, pageNo, post.id));
      }),
    );

  r.get("/p/:id/edit")
    .params(idParam)
    .handle(
      memberPage(async (ctx, { params }, actor) => {
        const post = await ctx.resolve(ForumService).ownPost(actor, toId(params.id), "edit");
        return html(editPostPage(viewerOf(ctx), post));
      }),
    );

  r.post("/p/:id/edit")
    .params(idParam)
    .handle(
      memberPage(async (ctx, { params }, actor) => {
        const forum = ctx.resolve(ForumService);
        const id = toId(params.id);
        const form = readForm(ctx, postForm);
        if (!form.ok) {
          const post = await forum.ownPost(actor, id, "edit");
          return html(editPostPage(viewerOf(ctx), post, form.errors, form.values.body ?? ""), 422);
        }
        await forum.editPost(actor, id, form.value.body);
        const post = await forum.post(id);
        return redirect(
          at(post.threadId, await forum.pageOfPost(post.threadId, id, settings.pageSize), id),
          303,
        );
      }),
    );

  r.post("/p/:id/delete")
    .params(idParam)
    .handle(
      memberPage(async (ctx, { params }, actor) => {
        const result = await ctx.resolve(ForumService).deletePost(actor, toId(params.id));
        const after = result.threadDeleted ? `/c/${result.categorySlug}` : `/t/${result.threadId}`;
        if (!isHtmx(ctx)) return redirect(after, 303);
        return result.threadDeleted ? html("").header("hx-redirect", after) : html("");
      }),
    );
}
