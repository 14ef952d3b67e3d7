import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/db/demo-seeder.ts";
import { BrowserClient } from "./support/client.ts";
import { dialects, type RunningForum, startForum } from "./support/forum.ts";

const threadIdFrom = (location: string | null): number =>
  Number(/\/t\/(\d+)/.exec(location ?? "")?.[1]);
const postIds = (html: string): number[] =>
  [...html.matchAll(/id="post-(\d+)"/g)].map((m) => Number(m[1]));

describe.each(dialects)("forum pages on %s", (dialect) => {
  let forum: RunningForum;
  beforeAll(async () => {
    forum = await startForum(dialect);
  });
  afterAll(() => forum.close());

  it("lists the seeded categories with their thread counts", async () => {
    const page = await new BrowserClient(forum.url).get("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    for (const name of ["General", "Help", "Showcase", "Announcements"])
      expect(page.body).toContain(`<strong>${name}</strong>`);
    expect(page.body).toContain("1 thread");
    expect(page.body).toContain('<script src="/assets/htmx.min.js" defer></script>');
  });

  it("serves htmx and the stylesheet from the app itself", async () => {
    const client = new BrowserClient(forum.url);
    const js = await client.get("/assets/htmx.min.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.body).toContain("htmx");
    expect((await client.get("/assets/styles.css")).headers.get("content-type")).toBe(
      "text/css; charset=utf-8",
    );
  });

  it("opens a category's threads and a thread's posts, paginated, with who wrote what and when", async () => {
    const client = new BrowserClient(forum.url);
    const category = await client.get("/c/showcase");
    expect(category.body).toContain("A long thread to try paging");
    const id = Number(/href="\/t\/(\d+)"><strong>A long thread/.exec(category.body)?.[1]);
    const first = await client.get(`/t/${id}`);
    expect(postIds(first.body)).toHaveLength(20);
    expect(first.body).toContain("Page 1 of 3");
    expect(first.body).toMatch(
      /<strong>Ada<\/strong> <span class="muted"><time datetime="\d{4}-\d\d-\d\dT/,
    );
    const third = await client.get(`/t/${id}?page=3`);
    expect(postIds(third.body)).toHaveLength(5);
    expect(third.body).toContain("Message 45 of a long conversation.");
    expect(third.body).toContain('rel="prev"');
    expect(third.body).not.toContain('rel="next"');
    expect(new Set([...postIds(first.body), ...postIds(third.body)]).size).toBe(25);
  });

  it("answers unknown threads, categories and malformed ids with 404 pages", async () => {
    const client = new BrowserClient(forum.url);
    for (const path of ["/t/999999", "/t/abc", "/t/0", "/c/no-such-category"]) {
      const page = await client.get(path);
      expect(page.status, path).toBe(404);
      expect(page.body).toContain("404 ·");
    }
    await client.login("ada@example.com", DEMO_PASSWORD);
    for (const path of ["/p/999999/edit", "/p/abc/edit"]) {
      const page = await client.get(path);
      expect(page.status, path).toBe(404);
    }
    expect((await client.post("/p/999999/delete", {})).status).toBe(404);
  });

  it("registers, shows the user as signed in, logs out and logs in again", async () => {
    const client = new BrowserClient(forum.url);
    const registered = await client.register(`reg-${dialect}@example.com`, "Regina");
    expect(registered.status).toBe(303);
    expect(registered.location).toBe("/");
    expect(client.cookies.has("so4_session")).toBe(true);
    expect((await client.get("/")).body).toContain("Signed in as Regina");
    const out = await client.post("/logout", {});
    expect(out.status).toBe(303);
    expect(client.cookies.has("so4_session")).toBe(false);
    expect((await client.get("/")).body).not.toContain("Signed in as");
    const back = await client.login(`reg-${dialect}@example.com`, "correct horse battery");
    expect(back.status).toBe(303);
    expect((await client.get("/")).body).toContain("Signed in as Regina");
  });

  it("rejects bad registrations and logins with the form and its errors, keeping what was typed", async () => {
    const client = new BrowserClient(forum.url);
    await client.get("/register");
    const short = await client.post("/register", {
      email: "not-an-email",
      name: "X",
      password: "short",
    });
    expect(short.status).toBe(422);
    expect(short.body).toContain("Enter a valid email address");
    expect(short.body).toContain("The display name needs at least 2 characters");
    expect(short.body).toContain("The password needs at least 8 characters");
    expect(short.body).toContain('value="not-an-email"');
    const taken = await client.post("/register", {
      email: "ada@example.com",
      name: "Ada again",
      password: "long enough pass",
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toContain("An account with this email exists");
    await client.get("/login");
    const wrong = await client.post("/login", {
      email: "ada@example.com",
      password: "wrong password",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain("The email or the password is wrong.");
    const unknown = await client.post("/login", {
      email: "nobody@example.com",
      password: "wrong password",
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toContain("The email or the password is wrong.");
  });

  it("sends anonymous users to the login form, and back where they were after it", async () => {
    const client = new BrowserClient(forum.url);
    await client.get("/");
    const form = await client.get("/c/general/new");
    expect(form.status).toBe(303);
    expect(form.location).toBe("/login?next=%2Fc%2Fgeneral%2Fnew");
    const post = await client.post("/c/general/threads", { title: "Nope", body: "Nope" });
    expect(post.status).toBe(303);
    expect(post.location).toMatch(/^\/login\?next=/);
    const htmx = await client.post("/t/1/replies", { body: "hi" }, { htmx: true });
    expect(htmx.headers.get("hx-redirect")).toMatch(/^\/login\?next=/);
    await client.get("/login?next=%2Fc%2Fgeneral%2Fnew");
    const login = await client.post("/login?next=%2Fc%2Fgeneral%2Fnew", {
      email: "grace@example.com",
      password: DEMO_PASSWORD,
    });
    expect(login.location).toBe("/c/general/new");
    // An open redirect is refused.
    await client.get("/login");
    const evil = await client.post("/login?next=%2F%2Fevil.example", {
      email: "grace@example.com",
      password: DEMO_PASSWORD,
    });
    expect(evil.location).toBe("/");
  });

  it("starts a thread, replies without and with htmx, and refuses empty input", async () => {
    const client = new BrowserClient(forum.url);
    await client.login("linus@example.com", DEMO_PASSWORD);
    await client.get("/c/help/new");
    const bad = await client.post("/c/help/threads", { title: "x", body: "" });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain("The title needs at least 3 characters");
    expect(bad.body).toContain("Write a message");
    const made = await client.post("/c/help/threads", {
      title: `Pools on ${dialect}`,
      body: "How many connections?",
    });
    expect(made.status).toBe(303);
    const id = threadIdFrom(made.location);
    const page = await client.get(`/t/${id}`);
    expect(page.body).toContain(`<h1>Pools on ${dialect}</h1>`);
    expect(page.body).toContain("How many connections?");

    const plain = await client.post(`/t/${id}/replies`, { body: "Ten by default." });
    expect(plain.status).toBe(303);
    expect(plain.location).toMatch(new RegExp(`^/t/${id}\\?page=1#post-\\d+$`));

    const fragment = await client.post(
      `/t/${id}/replies`,
      { body: "Replying with <htmx> & friends" },
      { htmx: true },
    );
    expect(fragment.status).toBe(200);
    expect(fragment.body).toContain('<form id="reply"');
    expect(fragment.body).toContain('hx-swap-oob="beforeend:#post-list"');
    expect(fragment.body).toContain("Replying with &lt;htmx&gt; &amp; friends");
    expect(fragment.body).not.toContain("<html");

    const empty = await client.post(`/t/${id}/replies`, { body: "   " }, { htmx: true });
    expect(empty.status).toBe(422);
    expect(empty.body).toContain("Write a message");
    const emptyPlain = await client.post(`/t/${id}/replies`, { body: "" });
    expect(emptyPlain.status).toBe(422);
    expect(emptyPlain.body).toContain("<h1>Pools on");

    const after = await client.get(`/t/${id}`);
    expect(postIds(after.body)).toHaveLength(3);
    expect((await client.get("/c/help")).body).toMatch(
      /Pools on \w+<\/strong><\/a>\s*<div class="muted">by Linus · .* · 3 posts/,
    );
    const missing = await client.post("/t/999999/replies", { body: "into the void" });
    expect(missing.status).toBe(404);
  });

  it("lets authors edit and delete their posts, and nobody else (403)", async () => {
    const author = new BrowserClient(forum.url);
    await author.login("ada@example.com", DEMO_PASSWORD);
    await author.get("/c/general/new");
    const made = await author.post("/c/general/threads", {
      title: "Editable",
      body: "First version",
    });
    const id = threadIdFrom(made.location);
    await author.post(`/t/${id}/replies`, { body: "A reply to edit" });
    const thread = await author.get(`/t/${id}`);
    const [firstPost, reply] = postIds(thread.body);

    const other = new BrowserClient(forum.url);
    await other.login("grace@example.com", DEMO_PASSWORD);
    const otherView = await other.get(`/t/${id}`);
    expect(otherView.body).not.toContain(`/p/${reply}/edit`);
    expect((await other.get(`/p/${reply}/edit`)).status).toBe(403);
    expect((await other.post(`/p/${reply}/edit`, { body: "hijacked" })).status).toBe(403);
    expect((await other.post(`/p/${reply}/delete`, {})).status).toBe(403);

    const form = await author.get(`/p/${reply}/edit`);
    expect(form.body).toContain("A reply to edit</textarea>");
    expect((await author.post(`/p/${reply}/edit`, { body: "" })).status).toBe(422);
    const edited = await author.post(`/p/${reply}/edit`, { body: "An edited reply" });
    expect(edited.status).toBe(303);
    const after = await author.get(`/t/${id}`);
    expect(after.body).toContain("An edited reply");
    expect(after.body).toContain("edited <time");

    const removed = await author.post(`/p/${reply}/delete`, {}, { htmx: true });
    expect(removed.status).toBe(200);
    expect(removed.body).toBe("");
    expect(postIds((await author.get(`/t/${id}`)).body)).toEqual([firstPost]);

    // Deleting the first post deletes the thread.
    const gone = await author.post(`/p/${firstPost}/delete`, {});
    expect(gone.location).toBe("/c/general");
    expect((await author.get(`/t/${id}`)).status).toBe(404);
  });

  it("shows the reply form on the last page only, and sends a reply that opens a new page there", async () => {
    const client = new BrowserClient(forum.url);
    await client.login("grace@example.com", DEMO_PASSWORD);
    const showcase = await client.get("/c/showcase");
    const long = Number(/href="\/t\/(\d+)"><strong>A long thread/.exec(showcase.body)?.[1]);
    const first = await client.get(`/t/${long}`);
    expect(first.body).not.toContain('<form id="reply"');
    expect(first.body).toContain("Go to the last page</a> to reply.");
    const last = await client.get(`/t/${long}?page=3`);
    expect(last.body).toContain('<input type="hidden" name="page" value="3">');

    // A thread whose only page is full: the next reply opens page 2, so htmx is sent there.
    await client.get("/c/help/new");
    const made = await client.post("/c/help/threads", {
      title: `Full page on ${dialect}`,
      body: "1",
    });
    const id = threadIdFrom(made.location);
    for (let i = 2; i <= 20; i++) await client.post(`/t/${id}/replies`, { body: String(i) });
    const full = await client.get(`/t/${id}`);
    expect(postIds(full.body)).toHaveLength(20);
    const opening = await client.post(
      `/t/${id}/replies`,
      { body: "21", page: "1" },
      { htmx: true },
    );
    expect(opening.status).toBe(200);
    expect(opening.headers.get("hx-redirect")).toMatch(new RegExp(`^/t/${id}\\?page=2#post-\\d+$`));
    const inPlace = await client.post(
      `/t/${id}/replies`,
      { body: "22", page: "2" },
      { htmx: true },
    );
    expect(inPlace.headers.get("hx-redirect")).toBeNull();
    expect(inPlace.body).toContain('<div class="post">22</div>');
  });

  it("pages through a category's threads", async () => {
    const client = new BrowserClient(forum.url);
    await client.login("linus@example.com", DEMO_PASSWORD);
    for (let i = 1; i <= 21; i++) {
      await client.get("/c/announcements/new");
      await client.post("/c/announcements/threads", { title: `Release notes ${i}`, body: "Notes" });
    }
    const first = await client.get("/c/announcements");
    expect(first.body).toContain("Page 1 of 2");
    expect(first.body).toContain("Release notes 21");
    const second = await client.get("/c/announcements?page=2");
    expect(second.body).toContain("Page 2 of 2");
    expect(second.body).toContain("Welcome to the so4 forum");
    expect(second.body).not.toContain("Release notes 21<");
  });

  it("refuses form posts without the CSRF token, with a wrong one, or from another origin", async () => {
    const client = new BrowserClient(forum.url);
    await client.login("ada@example.com", DEMO_PASSWORD);
    await client.get("/c/general/new");
    const missing = await client.post(
      "/c/general/threads",
      { title: "CSRF test", body: "no token" },
      { withCsrf: false },
    );
    expect(missing.status).toBe(403);
    expect(missing.body).toContain("Form expired");
    const wrong = await client.post("/c/general/threads", {
      title: "CSRF test",
      body: "bad",
      _csrf: "forged",
    });
    expect(wrong.status).toBe(403);
    const crossSite = await client.post(
      "/c/general/threads",
      { title: "CSRF test", body: "cross" },
      { headers: { origin: "https://evil.example" } },
    );
    expect(crossSite.status).toBe(403);
    // A login form posted without the cookie-bound token is refused too (login CSRF).
    const fresh = new BrowserClient(forum.url);
    const login = await fresh.post("/login", {
      email: "ada@example.com",
      password: DEMO_PASSWORD,
      _csrf: "x",
    });
    expect(login.status).toBe(403);
    expect((await client.get("/c/general")).body).not.toContain("CSRF test");
  });
});
