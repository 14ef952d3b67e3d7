import { html, type RequestContext, redirect } from "@dext/web";
import { ForumError } from "../domain/forum-error.ts";
import type { Actor } from "../domain/forum-service.ts";
import type { Viewer } from "../views/layout.ts";
import { errorPage } from "../views/pages.ts";
import { isHtmx } from "./forms.ts";
import { ActorKey, ViewerKey } from "./keys.ts";

/** The viewer the session middleware put on the request. */
export const viewerOf = (ctx: RequestContext): Viewer => ctx.get(ViewerKey)!;

/** A `?page=` value as a page number; anything else is the first page. */
export function toPage(value: string | undefined): number {
  const n = Number(value ?? "1");
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** A path id; anything that cannot be one is a 404 page, like an id that does not exist. */
export function toId(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ForumError("not-found", "Not found", "There is nothing here.");
  }
  return n;
}

/** A page handler whose domain failures become an error page with the same status. */
export function page<I>(
  fn: (ctx: RequestContext, input: I) => unknown,
): (ctx: RequestContext, input: I) => Promise<unknown> {
  return async (ctx, input) => {
    try {
      return await fn(ctx, input);
    } catch (error) {
      if (error instanceof ForumError) {
        return html(
          errorPage(viewerOf(ctx), error.status, error.title, error.message),
          error.status,
        );
      }
      throw error;
    }
  };
}

/**
 * A page only signed-in users reach: everyone else is sent to the login form and back
 * (htmx requests by `HX-Redirect`, since a redirect would be swapped into the page).
 */
export function memberPage<I>(
  fn: (ctx: RequestContext, input: I, actor: Actor) => unknown,
): (ctx: RequestContext, input: I) => Promise<unknown> {
  return page<I>((ctx, input) => {
    const actor = ctx.get(ActorKey);
    if (actor) return fn(ctx, input, actor);
    const to = `/login?next=${encodeURIComponent(ctx.url)}`;
    return isHtmx(ctx) ? html("").header("hx-redirect", to) : redirect(to, 303);
  });
}
