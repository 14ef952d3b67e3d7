import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { WebApp } from "../src/index.ts";
import { testApp } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const Thread = z.object({
  title: z.string().min(3),
  tags: z.array(z.string()).max(3).default([]),
  pinned: z.stringbool().default(false),
});

function threadsApp(): WebApp {
  const a = testApp();
  a.post("/threads")
    .body(Thread)
    .handle((_ctx, { body }) => body);
  return a;
}

function multipart(fields: Record<string, string>, file?: { name: string; content: string }) {
  const boundary = "----dext-boundary-42";
  let body = "";
  for (const [k, v] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  }
  if (file) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return {
    payload: body,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

describe("body binding by content type", () => {
  it("validates JSON, urlencoded and multipart bodies with the same schema", async () => {
    app = threadsApp();
    const json = await app.inject({
      method: "POST",
      url: "/threads",
      payload: { title: "Hello", pinned: "true" },
    });
    expect(json.json()).toEqual({ title: "Hello", tags: [], pinned: true });
    const form = await app.inject({
      method: "POST",
      url: "/threads",
      payload: "title=Hello&tags=a&tags=b&pinned=yes",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.json()).toEqual({ title: "Hello", tags: ["a", "b"], pinned: true });
    const mp = await app.inject({
      method: "POST",
      url: "/threads",
      ...multipart({ title: "Hello", pinned: "false" }),
    });
    expect(mp.statusCode).toBe(200);
    expect(mp.json()).toEqual({ title: "Hello", tags: [], pinned: false });
  });

  it("binds a multipart body on a DELETE route that declares a body (regression: POST, PUT and PATCH only)", async () => {
    app = testApp();
    app
      .delete("/threads")
      .body(
        z.object({ ids: z.array(z.coerce.number()).or(z.coerce.number().transform((n) => [n])) }),
      )
      .handle((_ctx, { body }) => ({ deleted: body.ids }));
    const mp = await app.inject({ method: "DELETE", url: "/threads", ...multipart({ ids: "7" }) });
    expect([mp.statusCode, mp.json()]).toEqual([200, { deleted: [7] }]);
    const json = await app.inject({ method: "DELETE", url: "/threads", payload: { ids: [1, 2] } });
    expect(json.json()).toEqual({ deleted: [1, 2] });
  });

  it("lists every failing field as a JSON pointer", async () => {
    app = testApp();
    app
      .post("/orders/:id")
      .params(z.object({ id: z.coerce.number().int().positive() }))
      .query(z.object({ dryRun: z.enum(["yes", "no"]) }))
      .body(
        z.object({
          lines: z.array(z.object({ sku: z.string().min(1), "qty/unit": z.number().int() })),
          "a~b": z.string(),
        }),
      )
      .handle(() => "never");
    const r = await app.inject({
      method: "POST",
      url: "/orders/-1?dryRun=maybe",
      payload: { lines: [{ sku: "", "qty/unit": 1.5 }] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    const body = r.json();
    expect(body).toMatchObject({
      type: "https://dext.dev/problems/validation",
      status: 400,
      instance: "/orders/-1",
    });
    expect(body.requestId).toEqual(expect.any(String));
    expect(body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      "/body/a~0b",
      "/body/lines/0/qty~1unit",
      "/body/lines/0/sku",
      "/params/id",
      "/query/dryRun",
    ]);
    for (const e of body.errors) expect(e.detail).toEqual(expect.any(String));
  });

  it("binds cookies", async () => {
    app = testApp();
    app
      .get("/prefs")
      .cookies(z.object({ theme: z.enum(["dark", "light"]) }))
      .handle((ctx, { cookies }) => {
        ctx.setCookie("seen", "1", { httpOnly: true, path: "/" });
        return { theme: cookies.theme };
      });
    const r = await app.inject({ url: "/prefs", headers: { cookie: "theme=dark; other=x" } });
    expect(r.json()).toEqual({ theme: "dark" });
    expect(r.headers["set-cookie"]).toContain("seen=1; Path=/; HttpOnly");
    const bad = await app.inject({ url: "/prefs", headers: { cookie: "theme=neon" } });
    expect(bad.json().errors[0].pointer).toBe("/cookies/theme");
  });

  it("parses cookies only when a route binds or reads them", async () => {
    app = testApp();
    const parsedBeforeRead: unknown[] = [];
    app.get("/ignores").handle((ctx) => {
      // fastify's request.cookies stays unparsed: nothing asked for it.
      parsedBeforeRead.push((ctx.raw.request as { cookies?: unknown }).cookies ?? null);
      return { ok: true };
    });
    app.get("/reads").handle((ctx, input) => {
      parsedBeforeRead.push((ctx.raw.request as { cookies?: unknown }).cookies ?? null);
      const { cookies } = input;
      return { theme: cookies.theme ?? null, again: input.cookies === cookies, all: input };
    });
    const headers = { cookie: "theme=dark; other=x" };
    expect((await app.inject({ url: "/ignores", headers })).json()).toEqual({ ok: true });
    const read = (await app.inject({ url: "/reads?x=1", headers })).json();
    expect(read.theme).toBe("dark");
    expect(read.again).toBe(true);
    // The input serialises with every part, cookies included.
    expect(read.all.cookies).toEqual({ theme: "dark", other: "x" });
    expect(read.all.query).toEqual({ x: "1" });
    // (a GET has no body: undefined, so JSON leaves it out)
    expect(Object.keys(read.all).sort()).toEqual(["cookies", "headers", "params", "query"]);
    expect(parsedBeforeRead).toEqual([null, null]);
    const none = (await app.inject({ url: "/reads" })).json();
    expect(none.theme).toBeNull();
  });

  it("runs async refinements", async () => {
    app = testApp();
    const taken = new Set(["ada"]);
    app
      .post("/users")
      .body(z.object({ name: z.string().refine(async (n) => !taken.has(n), "name is taken") }))
      .handle((_ctx, { body }) => body);
    expect(
      (await app.inject({ method: "POST", url: "/users", payload: { name: "bob" } })).json(),
    ).toEqual({ name: "bob" });
    const r = await app.inject({ method: "POST", url: "/users", payload: { name: "ada" } });
    expect(r.json().errors).toEqual([
      { pointer: "/body/name", detail: "name is taken", code: "custom" },
    ]);
  });
});

describe("bad bodies", () => {
  it("answers malformed JSON with malformed-body", async () => {
    app = threadsApp();
    const r = await app.inject({
      method: "POST",
      url: "/threads",
      payload: '{"title": "x",',
      headers: { "content-type": "application/json" },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().type).toBe("https://dext.dev/problems/malformed-body");
  });

  it("answers an unsupported content type with 415", async () => {
    app = threadsApp();
    const r = await app.inject({
      method: "POST",
      url: "/threads",
      payload: "<thread/>",
      headers: { "content-type": "application/xml" },
    });
    expect(r.statusCode).toBe(415);
    expect(r.json().type).toBe("https://dext.dev/problems/unsupported-media-type");
  });

  it("answers an oversize body with 413, per app and per route", async () => {
    app = testApp({ bodyLimit: 100 });
    app.post("/small").handle((_ctx, { body }) => body);
    app
      .post("/big")
      .bodyLimit(10_000)
      .handle(() => "ok");
    const big = JSON.stringify({ data: "x".repeat(500) });
    const r = await app.inject({
      method: "POST",
      url: "/small",
      payload: big,
      headers: { "content-type": "application/json" },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().type).toBe("https://dext.dev/problems/payload-too-large");
    const ok = await app.inject({
      method: "POST",
      url: "/big",
      payload: big,
      headers: { "content-type": "application/json" },
    });
    expect(ok.statusCode).toBe(200);
  });

  it("rejects file parts in multipart bodies (fields only for now)", async () => {
    app = threadsApp();
    const r = await app.inject({
      method: "POST",
      url: "/threads",
      ...multipart({ title: "Hello" }, { name: "attachment", content: "file body" }),
    });
    expect(r.statusCode).toBe(415);
    expect(r.json().detail).toContain("fields only");
  });
});

describe("cookies in middleware", () => {
  it("ctx.cookie(name) reads a request cookie before any binding", async () => {
    app = testApp();
    const seen: (string | undefined)[] = [];
    app.use((ctx, next) => {
      seen.push(ctx.cookie("session"), ctx.cookie("missing"));
      return next();
    });
    app.get("/me").handle(() => ({ ok: true }));
    const r = await app.inject({ url: "/me", headers: { cookie: "session=abc%20def; other=1" } });
    expect(r.statusCode).toBe(200);
    expect(seen).toEqual(["abc def", undefined]);
  });
});
