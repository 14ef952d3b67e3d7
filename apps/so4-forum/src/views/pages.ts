import type { ReadonlyDate } from "@dext/immutable";
import type { Nullable } from "@dext/nullable";
import { html, type SafeHtml } from "./html.ts";
import { csrfField, layout, type Viewer } from "./layout.ts";

export interface CategoryView {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly threadCount: number;
}

export interface ThreadSummaryView {
  readonly id: number;
  readonly title: string;
  readonly authorName: string;
  readonly createdAt: ReadonlyDate;
  readonly lastPostAt: ReadonlyDate;
  readonly postCount: number;
}

export interface PostView {
  readonly id: number;
  readonly body: string;
  readonly authorId: number;
  readonly authorName: string;
  readonly createdAt: ReadonlyDate;
  readonly updatedAt: Nullable<ReadonlyDate>;
}

export interface PageView {
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

const when = (d: ReadonlyDate): SafeHtml =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;

const pageCount = (p: PageView): number => Math.max(1, Math.ceil(p.total / p.size));

/** Previous/next links; with htmx they swap only `target`, without it they load the page. */
export function pagination(p: PageView, href: (page: number) => string, target: string): SafeHtml {
  const last = pageCount(p);
  if (last <= 1) return html``;
  const link = (page: number, label: string, rel: string) =>
    html`<a href="${href(page)}" rel="${rel}" hx-get="${href(page)}" hx-target="${target}" hx-select="${target}" hx-swap="outerHTML" hx-push-url="true">${label}</a>`;
  return html`<nav class="pagination" aria-label="pages">
    ${p.page > 1 && link(p.page - 1, "← Newer", "prev")}
    <span class="muted">Page ${p.page} of ${last}</span>
    ${p.page < last && link(p.page + 1, "Older →", "next")}
  </nav>`;
}

export function homePage(viewer: Viewer, categories: readonly CategoryView[]): SafeHtml {
  return layout(
    "Categories",
    viewer,
    html`<h1>Categories</h1>
<ul class="list">
${categories.map(
  (c) => html`<li><a href="/c/${c.slug}"><strong>${c.name}</strong></a>
  <div class="muted">${c.description} · ${c.threadCount} thread${c.threadCount === 1 ? "" : "s"}</div></li>`,
)}
</ul>`,
  );
}

export function categoryPage(
  viewer: Viewer,
  category: CategoryView,
  threads: readonly ThreadSummaryView[],
  p: PageView,
): SafeHtml {
  const href = (page: number) => `/c/${category.slug}?page=${page}`;
  return layout(
    category.name,
    viewer,
    html`<p class="muted"><a href="/">Categories</a> / ${category.name}</p>
<h1>${category.name}</h1>
${viewer.user ? html`<p><a class="button" href="/c/${category.slug}/new">New thread</a></p>` : html`<p class="muted"><a href="/login">Log in</a> to start a thread.</p>`}
<section id="threads">
<ul class="list">
${threads.length === 0 ? html`<li class="muted">No threads yet.</li>` : ""}
${threads.map(
  (t) => html`<li><a href="/t/${t.id}"><strong>${t.title}</strong></a>
  <div class="muted">by ${t.authorName} · ${when(t.createdAt)} · ${t.postCount} post${t.postCount === 1 ? "" : "s"} · last ${when(t.lastPostAt)}</div></li>`,
)}
</ul>
${pagination(p, href, "#threads")}
</section>`,
  );
}

/** One post; its author sees edit and delete. */
export function postItem(viewer: Viewer, post: PostView): SafeHtml {
  const mine = viewer.user?.id === post.authorId;
  return html`<li class="card" id="post-${post.id}">
  <div class="post-meta"><span><strong>${post.authorName}</strong> <span class="muted">${when(post.createdAt)}${post.updatedAt.match({ some: (d) => html` · edited ${when(d)}`, none: () => "" })}</span></span>
  ${
    mine
      ? html`<span class="actions"><a href="/p/${post.id}/edit">Edit</a>
    <form method="post" action="/p/${post.id}/delete" hx-post="/p/${post.id}/delete" hx-target="#post-${post.id}" hx-swap="outerHTML" hx-confirm="Delete this post?">${csrfField(viewer)}<button class="link" type="submit">Delete</button></form></span>`
      : ""
  }</div>
  <div class="post">${post.body}</div>
</li>`;
}

/**
 * The reply form, shown on the thread's last page (where a reply appears); `page` tells the
 * server which page the form is on, so a reply that starts a new page is shown there.
 */
export function replyForm(
  viewer: Viewer,
  threadId: number,
  errors: readonly string[] = [],
  body = "",
  page = 1,
): SafeHtml {
  if (!viewer.user)
    return html`<p class="muted" id="reply"><a href="/login">Log in</a> to reply.</p>`;
  return html`<form id="reply" class="stack card" method="post" action="/t/${threadId}/replies"
    hx-post="/t/${threadId}/replies" hx-target="#reply" hx-swap="outerHTML">
  ${csrfField(viewer)}
  <input type="hidden" name="page" value="${page}">
  ${errors.length > 0 ? html`<ul class="errors">${errors.map((e) => html`<li>${e}</li>`)}</ul>` : ""}
  <label>Your reply <textarea name="body" required maxlength="10000">${body}</textarea></label>
  <div><button type="submit">Reply</button></div>
</form>`;
}

export function threadPage(
  viewer: Viewer,
  thread: { readonly id: number; readonly title: string; readonly category: CategoryView },
  posts: readonly PostView[],
  p: PageView,
  reply: { readonly errors: readonly string[]; readonly body: string } = { errors: [], body: "" },
): SafeHtml {
  const href = (page: number) => `/t/${thread.id}?page=${page}`;
  return layout(
    thread.title,
    viewer,
    html`<p class="muted"><a href="/">Categories</a> / <a href="/c/${thread.category.slug}">${thread.category.name}</a></p>
<h1>${thread.title}</h1>
<section id="posts">
<ol class="list" id="post-list">
${posts.map((post) => postItem(viewer, post))}
</ol>
${pagination(p, href, "#posts")}
</section>
${
  p.page >= pageCount(p)
    ? replyForm(viewer, thread.id, reply.errors, reply.body, p.page)
    : html`<p class="muted" id="reply"><a href="${href(pageCount(p))}">Go to the last page</a> to reply.</p>`
}`,
  );
}

/** What a successful htmx reply returns: the new post appended to the list, and a fresh form. */
export function replyAdded(
  viewer: Viewer,
  threadId: number,
  post: PostView,
  page: number,
): SafeHtml {
  return html`${replyForm(viewer, threadId, [], "", page)}
<ol hx-swap-oob="beforeend:#post-list">${postItem(viewer, post)}</ol>`;
}

export function formPage(
  title: string,
  viewer: Viewer,
  options: {
    readonly action: string;
    readonly fields: SafeHtml;
    readonly submit: string;
    readonly errors?: readonly string[];
    readonly intro?: SafeHtml;
  },
): SafeHtml {
  const errors = options.errors ?? [];
  return layout(
    title,
    viewer,
    html`<h1>${title}</h1>
${options.intro ?? ""}
<form class="stack card" method="post" action="${options.action}">
  ${csrfField(viewer)}
  ${errors.length > 0 ? html`<ul class="errors" role="alert">${errors.map((e) => html`<li>${e}</li>`)}</ul>` : ""}
  ${options.fields}
  <div><button type="submit">${options.submit}</button></div>
</form>`,
  );
}

export function loginPage(
  viewer: Viewer,
  errors: readonly string[] = [],
  email = "",
  next = "/",
): SafeHtml {
  return formPage("Log in", viewer, {
    action: `/login?next=${encodeURIComponent(next)}`,
    submit: "Log in",
    errors,
    fields: html`<label>Email <input type="email" name="email" value="${email}" required autocomplete="username"></label>
  <label>Password <input type="password" name="password" required autocomplete="current-password"></label>`,
    intro: html`<p class="muted">No account? <a href="/register">Register</a>.</p>`,
  });
}

export function registerPage(
  viewer: Viewer,
  errors: readonly string[] = [],
  values = { email: "", name: "" },
): SafeHtml {
  return formPage("Register", viewer, {
    action: "/register",
    submit: "Create account",
    errors,
    fields: html`<label>Email <input type="email" name="email" value="${values.email}" required autocomplete="username"></label>
  <label>Display name <input name="name" value="${values.name}" required minlength="2" maxlength="40"></label>
  <label>Password <input type="password" name="password" required minlength="8" autocomplete="new-password"></label>`,
  });
}

export function newThreadPage(
  viewer: Viewer,
  category: CategoryView,
  errors: readonly string[] = [],
  values = { title: "", body: "" },
): SafeHtml {
  return formPage(`New thread in ${category.name}`, viewer, {
    action: `/c/${category.slug}/threads`,
    submit: "Start thread",
    errors,
    fields: html`<label>Title <input name="title" value="${values.title}" required minlength="3" maxlength="200"></label>
  <label>Message <textarea name="body" required maxlength="10000">${values.body}</textarea></label>`,
  });
}

export function editPostPage(
  viewer: Viewer,
  post: PostView,
  errors: readonly string[] = [],
  body = post.body,
): SafeHtml {
  return formPage("Edit post", viewer, {
    action: `/p/${post.id}/edit`,
    submit: "Save",
    errors,
    fields: html`<label>Message <textarea name="body" required maxlength="10000">${body}</textarea></label>`,
  });
}

export function errorPage(viewer: Viewer, status: number, title: string, detail: string): SafeHtml {
  return layout(
    title,
    viewer,
    html`<h1>${status} · ${title}</h1><p>${detail}</p><p><a href="/">Back to the categories</a></p>`,
  );
}
