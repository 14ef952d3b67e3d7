import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/db/demo-seeder.ts";
import { api, BrowserClient } from "./support/client.ts";
import { dialects, type RunningForum, startForum } from "./support/forum.ts";

describe.each(dialects)("forum JSON API on %s", (dialect) => {
  let forum: RunningForum;
  let ada: string;
  let grace: string;
  beforeAll(async () => {
    forum = await startForum(dialect);
    ada = (
      await api(forum.url, "POST", "/api/sessions", {
        body: { email: "ada@example.com", password: DEMO_PASSWORD },
      })
    ).json.token;
    grace = (
      await api(forum.url, "POST", "/api/sessions", {
        body: { email: "grace@example.com", password: DEMO_PASSWORD },
      })
    ).json.token;
  });
  afterAll(() => forum.close());

  it("lists categories and every thread, paginated with Link headers", async () => {
    const categories = await api(forum.url, "GET", "/api/categories");
    expect(categories.status).toBe(200);
    expect(categories.json.map((c: { slug: string }) => c.slug)).toEqual([
      "general",
      "help",
      "showcase",
      "announcements",
    ]);
    const threads = await api(forum.url, "GET", "/api/threads?size=2");
    expect(threads.status).toBe(200);
    expect(threads.json.items).toHaveLength(2);
    expect(threads.json.total).toBeGreaterThanOrEqual(4);
    expect(threads.headers.get("link")).toContain('rel="next"');
    expect(threads.headers.get("x-total-count")).toBe(String(threads.json.total));
    const inCategory = await api(forum.url, "GET", "/api/categories/showcase/threads");
    expect(inCategory.json.items[0]).toMatchObject({
      title: "A long thread to try paging",
      authorName: "Ada",
      postCount: 45,
    });
  });

  it("registers, refuses a taken email (409) and invalid input (400 with pointers)", async () => {
    const made = await api(forum.url, "POST", "/api/users", {
      body: { email: `api-${dialect}@example.com`, name: "Apia", password: "long enough secret" },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ name: "Apia" });
    const again = await api(forum.url, "POST", "/api/users", {
      body: { email: `API-${dialect}@example.com`, name: "Apia", password: "long enough secret" },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(again.json).toMatchObject({
      type: "https://dext.dev/problems/forum/conflict",
      status: 409,
    });
    const invalid = await api(forum.url, "POST", "/api/users", {
      body: { email: "nope", name: "", password: "x" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      "/body/email",
      "/body/name",
      "/body/password",
    ]);
    const malformed = await fetch(new URL("/api/users", forum.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
  });

  it("logs in with a bearer token, answers /me, refuses without one (401), and logs out", async () => {
    const wrong = await api(forum.url, "POST", "/api/sessions", {
      body: { email: "ada@example.com", password: "nope nope" },
    });
    expect(wrong.status).toBe(401);
    expect((await api(forum.url, "GET", "/api/me")).status).toBe(401);
    expect((await api(forum.url, "GET", "/api/me", { token: "forged" })).status).toBe(401);
    const session = await api(forum.url, "POST", "/api/sessions", {
      body: { email: "linus@example.com", password: DEMO_PASSWORD },
    });
    expect(session.status).toBe(201);
    expect(
      (await api(forum.url, "GET", "/api/me", { token: session.json.token })).json,
    ).toMatchObject({ name: "Linus" });
    expect(
      (await api(forum.url, "DELETE", "/api/sessions/current", { token: session.json.token }))
        .status,
    ).toBe(204);
    expect((await api(forum.url, "GET", "/api/me", { token: session.json.token })).status).toBe(
      401,
    );
  });

  it("starts a thread, replies, edits and deletes; others get 403 and missing ones 404", async () => {
    const made = await api(forum.url, "POST", "/api/categories/general/threads", {
      token: ada,
      body: { title: `API thread on ${dialect}`, body: "Opening post" },
    });
    expect(made.status).toBe(201);
    expect(made.headers.get("location")).toBe(`/api/threads/${made.json.id}`);
    const threadId = made.json.id as number;
    const reply = await api(forum.url, "POST", `/api/threads/${threadId}/posts`, {
      token: grace,
      body: { body: "A reply" },
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ body: "A reply", authorName: "Grace" });
    const posts = await api(forum.url, "GET", `/api/threads/${threadId}/posts`);
    expect(posts.json.items.map((p: { body: string }) => p.body)).toEqual([
      "Opening post",
      "A reply",
    ]);
    expect((await api(forum.url, "GET", `/api/threads/${threadId}`)).json).toMatchObject({
      postCount: 2,
      category: { slug: "general" },
    });

    const forbidden = await api(forum.url, "PATCH", `/api/posts/${reply.json.id}`, {
      token: ada,
      body: { body: "hijack" },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.type).toBe("https://dext.dev/problems/forum/forbidden");
    expect(
      (await api(forum.url, "DELETE", `/api/posts/${reply.json.id}`, { token: ada })).status,
    ).toBe(403);
    const edited = await api(forum.url, "PATCH", `/api/posts/${reply.json.id}`, {
      token: grace,
      body: { body: "An edit" },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.body).toBe("An edit");
    expect(edited.json.updatedAt).toEqual(expect.any(String));
    expect(
      (await api(forum.url, "DELETE", `/api/posts/${reply.json.id}`, { token: grace })).status,
    ).toBe(204);
    expect((await api(forum.url, "GET", `/api/posts/${reply.json.id}`)).status).toBe(404);
    expect((await api(forum.url, "GET", `/api/threads/${threadId}`)).json.postCount).toBe(1);

    expect(
      (
        await api(forum.url, "POST", "/api/threads/999999/posts", {
          token: ada,
          body: { body: "x" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api(forum.url, "POST", "/api/categories/nope/threads", {
          token: ada,
          body: { title: "abc", body: "x" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api(forum.url, "POST", "/api/categories/general/threads", {
          body: { title: "abc", body: "x" },
        })
      ).status,
    ).toBe(401);
    const blank = await api(forum.url, "POST", `/api/threads/${threadId}/posts`, {
      token: ada,
      body: { body: "   " },
    });
    expect(blank.status).toBe(400);
    expect(blank.json.errors[0].pointer).toBe("/body/body");
    expect((await api(forum.url, "GET", "/api/threads/abc")).status).toBe(400);
  });

  it("answers missing things with 404, anonymous writes with 401 and bad input with 400", async () => {
    expect((await api(forum.url, "GET", "/api/categories/help")).json).toMatchObject({
      slug: "help",
      name: "Help",
    });
    expect((await api(forum.url, "GET", "/api/categories/nope")).status).toBe(404);
    expect((await api(forum.url, "GET", "/api/categories/nope/threads")).status).toBe(404);
    expect((await api(forum.url, "GET", "/api/threads/999999")).status).toBe(404);
    expect((await api(forum.url, "GET", "/api/threads/999999/posts")).status).toBe(404);
    expect((await api(forum.url, "GET", "/api/posts/999999")).status).toBe(404);
    expect(
      (await api(forum.url, "PATCH", "/api/posts/999999", { token: ada, body: { body: "x" } }))
        .status,
    ).toBe(404);
    expect((await api(forum.url, "DELETE", "/api/posts/999999", { token: ada })).status).toBe(404);
    expect((await api(forum.url, "PATCH", "/api/posts/1", { body: { body: "x" } })).status).toBe(
      401,
    );
    expect((await api(forum.url, "DELETE", "/api/posts/1")).status).toBe(401);
    expect(
      (await api(forum.url, "POST", "/api/threads/1/posts", { body: { body: "x" } })).status,
    ).toBe(401);
    const badThread = await api(forum.url, "POST", "/api/categories/general/threads", {
      token: ada,
      body: { title: "x" },
    });
    expect(badThread.status).toBe(400);
    expect(badThread.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      "/body/body",
      "/body/title",
    ]);
    const tooBig = await api(forum.url, "GET", "/api/threads?size=1000");
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.errors[0].pointer).toBe("/query/size");
    expect((await api(forum.url, "GET", "/api/threads?page=0")).status).toBe(400);
  });

  it("counts every one of many concurrent replies to one thread", async () => {
    const made = await api(forum.url, "POST", "/api/categories/general/threads", {
      token: ada,
      body: { title: `Busy thread on ${dialect}`, body: "Go" },
    });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api(forum.url, "POST", `/api/threads/${made.json.id}/posts`, {
          token: i % 2 ? ada : grace,
          body: { body: `reply ${i}` },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    const thread = await api(forum.url, "GET", `/api/threads/${made.json.id}`);
    expect(thread.json.postCount).toBe(31);
    expect(
      (await api(forum.url, "GET", `/api/threads/${made.json.id}/posts?size=100`)).json.total,
    ).toBe(31);
  });

  it("needs the CSRF header for writes authenticated by the browser's session cookie", async () => {
    const browser = new BrowserClient(forum.url);
    await browser.login("ada@example.com", DEMO_PASSWORD);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const noHeader = await api(forum.url, "POST", "/api/categories/general/threads", {
      headers: { cookie },
      body: { title: "Cookie thread", body: "x" },
    });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json.type).toBe("https://dext.dev/problems/forum/csrf");
    await browser.get("/");
    const withHeader = await api(forum.url, "POST", "/api/categories/general/threads", {
      headers: { cookie, "x-csrf-token": browser.csrfToken! },
      body: { title: "Cookie thread", body: "x" },
    });
    expect(withHeader.status).toBe(201);
  });
});
