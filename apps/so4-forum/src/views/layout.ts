import { html, type SafeHtml } from "./html.ts";

/** Who is looking at the page, as every page needs it. */
export interface Viewer {
  readonly user: { readonly id: number; readonly name: string } | undefined;
  /** The session's CSRF token, put in every form. */
  readonly csrfToken: string;
}

/** The hidden field every state-changing form carries. */
export function csrfField(viewer: Viewer): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${viewer.csrfToken}">`;
}

/** The page shell: header with login state, the content, and htmx served by the app itself. */
export function layout(title: string, viewer: Viewer, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${viewer.csrfToken}">
<title>${title} · so4 forum</title>
<link rel="stylesheet" href="/assets/styles.css">
<script src="/assets/htmx.min.js" defer></script>
</head>
<body>
<header class="site">
  <a class="brand" href="/">so4 forum</a>
  <nav>
    ${
      viewer.user
        ? html`<span class="muted" data-testid="signed-in-as">Signed in as ${viewer.user.name}</span>
      <form method="post" action="/logout">${csrfField(viewer)}<button class="link" type="submit">Log out</button></form>`
        : html`<a href="/login">Log in</a> <a href="/register">Register</a>`
    }
  </nav>
</header>
<main>
${content}
</main>
</body>
</html>`;
}
