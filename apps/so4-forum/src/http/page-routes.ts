import { html, type RouteGroup } from "@dext/web";
import { z } from "zod";
import { ForumService } from "../domain/forum-service.ts";
import type { ForumSettings } from "../settings.ts";
import { categoryPage, homePage, threadPage } from "../views/pages.ts";
import { page, toId, toPage, viewerOf } from "./page-handler.ts";

const pageQuery = z.object({ page: z.string().optional() });

/** Browsing: the categories, a category's threads, a thread's posts. */
export function pageRoutes(r: RouteGroup, settings: ForumSettings): void {
  r.get("/").handle(
    page(async (ctx) =>
      html(homePage(viewerOf(ctx), await ctx.resolve(ForumService).categories())),
    ),
  );

  r.get("/c/:slug")
    .params(z.object({ slug: z.string() }))
    .query(pageQuery)
    .handle(
      page(async (ctx, { params, query }) => {
        const forum = ctx.resolve(ForumService);
        const category = await forum.category(params.slug);
        const list = await forum.threads(category, toPage(query.page), settings.pageSize);
        return html(categoryPage(viewerOf(ctx), category, list.items, list));
      }),
    );

  r.get("/t/:id")
    .params(z.object({ id: z.string() }))
    .query(pageQuery)
    .handle(
      page(async (ctx, { params, query }) => {
        const forum = ctx.resolve(ForumService);
        const thread = await forum.thread(toId(params.id));
        const posts = await forum.posts(thread.id, toPage(query.page), settings.pageSize);
        return html(threadPage(viewerOf(ctx), thread, posts.items, posts));
      }),
    );
}
