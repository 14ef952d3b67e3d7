import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { defineModule, token } from "@dext/core-di";
import type { FastifyInstance, FastifyReply } from "fastify";
import fp from "fastify-plugin";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  accepted,
  addRoutes,
  contextKey,
  created,
  file,
  type Middleware,
  noContent,
  ok,
  page,
  problem,
  redirect,
  stream,
  type WebApp,
  type WebError,
} from "../src/index.ts";
import { recordingLogger, testApp } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("fluent routes", () => {
  it("binds and coerces params, query and headers from the schemas", async () => {
    app = testApp();
    app
      .get("/threads/:id")
      .params(z.object({ id: z.coerce.number().int() }))
      .query(z.object({ expand: z.enum(["posts", "none"]).default("none") }))
      .headers(z.object({ "x-tenant": z.string().min(1) }))
      .handle((_ctx, { params, query, headers }) => ({
        id: params.id,
        idType: typeof params.id,
        expand: query.expand,
        tenant: headers["x-tenant"],
      }));
    const r = await app.inject({
      url: "/threads/42?expand=posts",
      headers: { "x-tenant": "acme" },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id: 42, idType: "number", expand: "posts", tenant: "acme" });
  });

  it("keeps the declaration's metadata for the API document", async () => {
    app = testApp();
    const def = app
      .post("/threads")
      .body(z.object({ title: z.string() }))
      .summary("Create a thread")
      .description("Creates a thread in a forum.")
      .tags("threads")
      .operationId("createThread")
      .response(201, { description: "created", schema: z.object({ id: z.number() }) })
      .response(409, { description: "duplicate title" })
      .extend("rateLimit", { limit: 10 })
      .handle(() => created({ id: 1 }, "/threads/1"));
    expect(def.method).toBe("POST");
    expect(def.summary).toBe("Create a thread");
    expect(def.tags).toEqual(["threads"]);
    expect(def.operationId).toBe("createThread");
    expect([...def.responses.keys()]).toEqual([201, 409]);
    expect(def.schemas.body).toBeDefined();
    expect(def.extensions.get("rateLimit")).toEqual({ limit: 10 });
  });

  it("lists every declaration with its full path for API documents", () => {
    app = testApp();
    app.get("/health-of-app").handle(() => 1);
    app.group("/api", (api) => {
      api
        .post("/")
        .summary("root post")
        .handle(() => 1);
      api.group("/v1", (v1) => v1.get("/threads/:id").handle(() => 1));
    });
    expect(
      app.definitions().map((d) => `${d.method} ${d.fullPath} ${d.summary ?? ""}`.trim()),
    ).toEqual(["GET /health-of-app", "POST /api root post", "GET /api/v1/threads/:id"]);
  });

  it("nests groups with prefixes and runs their middleware outside in", async () => {
    app = testApp();
    const order: string[] = [];
    const tag =
      (name: string): Middleware =>
      async (_ctx, next) => {
        order.push(`${name}>`);
        const result = await next();
        order.push(`<${name}`);
        return result.header(`x-${name}`, "1");
      };
    app.use(tag("app"));
    app.group("/api", (api) => {
      api.use(tag("api"));
      api.group("/v1", (v1) => {
        v1.use(tag("v1"));
        v1.get("/ping")
          .use(tag("route"))
          .handle(() => {
            order.push("handler");
            return { pong: true };
          });
      });
      api.get("/other").handle(() => "other");
    });
    const r = await app.inject("/api/v1/ping");
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ pong: true });
    expect(order).toEqual([
      "app>",
      "api>",
      "v1>",
      "route>",
      "handler",
      "<route",
      "<v1",
      "<api",
      "<app",
    ]);
    expect(r.headers["x-v1"]).toBe("1");
    order.length = 0;
    const other = await app.inject("/api/other");
    expect(other.json()).toBe("other");
    expect(order).toEqual(["app>", "api>", "<api", "<app"]);
  });

  it("lets middleware answer without the handler and share typed values", async () => {
    app = testApp();
    const User = contextKey<{ name: string }>("User");
    app.group("/private", (g) => {
      g.use(async (ctx, next) => {
        const name = ctx.raw.request.headers["x-user"];
        if (typeof name !== "string") return problem({ status: 401, title: "Who are you?" });
        ctx.set(User, { name });
        return next();
      });
      g.get("/me").handle((ctx) => ({ name: ctx.get(User)?.name }));
    });
    const denied = await app.inject("/private/me");
    expect(denied.statusCode).toBe(401);
    expect(denied.headers["content-type"]).toContain("application/problem+json");
    const allowed = await app.inject({ url: "/private/me", headers: { "x-user": "ada" } });
    expect(allowed.json()).toEqual({ name: "ada" });
  });

  it("keeps the handler's result when a middleware awaits next() without returning it", async () => {
    app = testApp();
    app.use(async (_ctx, next) => {
      await next();
    });
    app.get("/x").handle(() => ({ kept: true }));
    const r = await app.inject("/x");
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ kept: true });
  });

  it("turns a middleware calling next() twice into a 500 naming the mistake in the log", async () => {
    const logger = recordingLogger();
    app = testApp({}, { logger });
    app.use(async (_ctx, next) => {
      await next();
      return next();
    });
    app.get("/twice").handle(() => 1);
    const r = await app.inject("/twice");
    expect(r.statusCode).toBe(500);
    const logged = logger.lines.find((l) => l.msg === "request failed");
    expect((logged!.err as WebError).code).toBe("WEB_NEXT_CALLED_TWICE");
  });

  it("mounts routes that modules contribute through addRoutes, under their prefix", async () => {
    const Greeting = token<string>("Greeting");
    const greeter = defineModule({
      name: "greeter",
      register(services) {
        services.addSingleton(Greeting, { useValue: "hello" });
        addRoutes(
          services,
          (r) => {
            r.get("/greet/:name").handle(
              (ctx, { params }) => `${ctx.resolve(Greeting)} ${params.name}`,
            );
          },
          { prefix: "/m" },
        );
      },
    });
    app = testApp({}, { modules: [greeter] });
    const r = await app.inject("/m/greet/ada");
    expect(r.json()).toBe("hello ada");
  });
});

describe("fastify encapsulation", () => {
  it("confines a plugin registered on a group to that group, even without fastify-plugin", async () => {
    app = testApp();
    const stamp = async (instance: FastifyInstance) => {
      instance.decorateRequest("stamp", "group-a");
      instance.addHook("onSend", async (_req, reply, payload) => {
        reply.header("x-group", "a");
        return payload;
      });
    };
    app.group("/a", (a) => {
      a.plugin(stamp);
      a.get("/x").handle((ctx) => ({
        stamp: (ctx.raw.request as unknown as { stamp?: string }).stamp,
      }));
      a.group("/nested", (n) => n.get("/y").handle(() => "nested"));
    });
    app.group("/b", (b) =>
      b.get("/x").handle((ctx) => ({
        stamp: (ctx.raw.request as unknown as { stamp?: string }).stamp ?? null,
      })),
    );
    const a = await app.inject("/a/x");
    expect(a.json()).toEqual({ stamp: "group-a" });
    expect(a.headers["x-group"]).toBe("a");
    expect((await app.inject("/a/nested/y")).headers["x-group"]).toBe("a");
    const b = await app.inject("/b/x");
    expect(b.json()).toEqual({ stamp: null });
    expect(b.headers["x-group"]).toBeUndefined();
  });

  it("confines a fastify-plugin-wrapped plugin on a group to that group, not its sibling", async () => {
    app = testApp();
    const stamp = fp(async (instance: FastifyInstance) => {
      instance.decorateRequest("stamp", "group-a");
      instance.addHook("onSend", async (_req: unknown, reply: FastifyReply, payload: unknown) => {
        reply.header("x-group", "a");
        return payload;
      });
    });
    const read = (ctx: { raw: { request: unknown } }) => ({
      stamp: (ctx.raw.request as { stamp?: string }).stamp ?? null,
    });
    app.group("/a", (a) => {
      a.plugin(stamp);
      a.get("/x").handle(read);
      a.group("/nested", (n) => n.get("/y").handle(read));
    });
    app.group("/b", (b) => b.get("/x").handle(read));
    app.get("/root").handle(read);
    const a = await app.inject("/a/x");
    expect([a.json(), a.headers["x-group"]]).toEqual([{ stamp: "group-a" }, "a"]);
    const nested = await app.inject("/a/nested/y");
    expect([nested.json(), nested.headers["x-group"]]).toEqual([{ stamp: "group-a" }, "a"]);
    for (const url of ["/b/x", "/root"]) {
      const r = await app.inject(url);
      expect([r.json(), r.headers["x-group"]], url).toEqual([{ stamp: null }, undefined]);
    }
  });

  it("applies a plugin registered on the app to every route, module routes included", async () => {
    const mod = defineModule({
      name: "mod",
      register(services) {
        addRoutes(services, (r) => r.get("/from-module").handle(() => "m"));
      },
    });
    app = testApp({}, { modules: [mod] });
    app.plugin(
      fp(async (instance: FastifyInstance) => {
        instance.addHook("onSend", async (_req: unknown, reply: FastifyReply, payload: unknown) => {
          reply.header("x-app", "yes");
          return payload;
        });
      }),
    );
    app.get("/own").handle(() => "own");
    expect((await app.inject("/own")).headers["x-app"]).toBe("yes");
    expect((await app.inject("/from-module")).headers["x-app"]).toBe("yes");
  });
});

describe("result helpers", () => {
  it("sends each helper with its status, headers and body", async () => {
    app = testApp();
    app.get("/plain").handle(() => ({ a: 1 }));
    app.get("/string").handle(() => "text");
    app.get("/ok").handle(() => ok([1, 2]));
    app.post("/created").handle(() => created({ id: 7 }, "/things/7"));
    app.post("/accepted").handle(() => accepted({ job: 1 }, "/jobs/1"));
    app.post("/accepted-empty").handle(() => accepted());
    app.delete("/gone").handle(() => noContent());
    app.get("/nothing").handle(() => undefined);
    app.get("/redirect").handle(() => redirect("/plain", 303));
    app.get("/conflict").handle(() =>
      problem({
        status: 409,
        type: "thread-locked",
        title: "Locked",
        extensions: { threadId: 3 },
      }),
    );
    expect((await app.inject("/plain")).json()).toEqual({ a: 1 });
    const s = await app.inject("/string");
    expect(s.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(s.json()).toBe("text");
    expect((await app.inject("/ok")).json()).toEqual([1, 2]);
    const c = await app.inject({ method: "POST", url: "/created" });
    expect([c.statusCode, c.headers.location, c.json()]).toEqual([201, "/things/7", { id: 7 }]);
    const a = await app.inject({ method: "POST", url: "/accepted" });
    expect([a.statusCode, a.headers.location]).toEqual([202, "/jobs/1"]);
    const ae = await app.inject({ method: "POST", url: "/accepted-empty" });
    expect([ae.statusCode, ae.body]).toEqual([202, ""]);
    const g = await app.inject({ method: "DELETE", url: "/gone" });
    expect([g.statusCode, g.body]).toEqual([204, ""]);
    expect((await app.inject("/nothing")).statusCode).toBe(204);
    const r = await app.inject("/redirect");
    expect([r.statusCode, r.headers.location]).toEqual([303, "/plain"]);
    const p = await app.inject("/conflict");
    expect(p.statusCode).toBe(409);
    expect(p.json()).toMatchObject({
      type: "https://dext.dev/problems/thread-locked",
      title: "Locked",
      status: 409,
      threadId: 3,
      instance: "/conflict",
    });
  });

  it("pages with Link headers that keep the other query parameters", async () => {
    app = testApp();
    app
      .get("/items")
      .query(
        z.object({
          page: z.coerce.number().default(1),
          size: z.coerce.number().default(10),
          q: z.string().optional(),
        }),
      )
      .handle((_ctx, { query }) => page(["x"], { total: 95, page: query.page, size: query.size }));
    const r = await app.inject("/items?q=cats&page=2&size=10");
    expect(r.json()).toEqual({ items: ["x"], total: 95, page: 2, size: 10, pages: 10 });
    expect(r.headers["x-total-count"]).toBe("95");
    expect(r.headers.link).toBe(
      '</items?q=cats&page=1&size=10>; rel="first", </items?q=cats&page=1&size=10>; rel="prev", </items?q=cats&page=3&size=10>; rel="next", </items?q=cats&page=10&size=10>; rel="last"',
    );
    const first = await app.inject("/items");
    expect(first.headers.link).not.toContain('rel="prev"');
  });

  it("streams and sends files with their media type", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dext-web-"));
    const path = join(dir, "report.csv");
    await writeFile(path, "a,b\n1,2\n");
    app = testApp();
    app
      .get("/stream")
      .handle(() => stream(Readable.from(["one\n", "two\n"]), "text/plain; charset=utf-8"));
    app.get("/file").handle(() => file(path, { downloadAs: "report 2026.csv" }));
    app.get("/missing").handle(() => file(join(dir, "nope.txt")));
    const s = await app.inject("/stream");
    expect([s.statusCode, s.headers["content-type"], s.body]).toEqual([
      200,
      "text/plain; charset=utf-8",
      "one\ntwo\n",
    ]);
    const f = await app.inject("/file");
    expect(f.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(f.headers["content-disposition"]).toBe('attachment; filename="report 2026.csv"');
    expect(f.body).toBe("a,b\n1,2\n");
    const m = await app.inject("/missing");
    expect(m.statusCode).toBe(404);
    expect(m.headers["content-type"]).toContain("application/problem+json");
  });

  it("reports a handler that sends through the raw reply and also returns a value, instead of fastify's 'Reply was already sent'", async () => {
    const logger = recordingLogger();
    app = testApp({}, { logger });
    app.get("/both").handle(async (ctx) => {
      await ctx.raw.reply.code(200).send("raw");
      return { also: "returned" };
    });
    app.get("/raw-only").handle(async (ctx) => {
      await ctx.raw.reply.code(200).send("raw only");
    });
    const r = await app.inject("/both");
    expect(r.body).toBe("raw");
    const errors = logger.lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect((errors[0]!.err as WebError).code).toBe("WEB_REPLY_ALREADY_SENT");
    expect(JSON.stringify(logger.lines)).not.toContain("Reply was already sent");
    const raw = await app.inject("/raw-only");
    expect(raw.body).toBe("raw only");
    expect(logger.lines.filter((l) => l.level === "error")).toHaveLength(1);
  });
});

describe("declaration errors", () => {
  it("fails at startup listing routes without a handler and duplicates", async () => {
    app = testApp();
    app.get("/a");
    app.get("/b/:id").handle(() => 1);
    app.get("/b/:key").handle(() => 2);
    const cause = (await app.start({ listen: false }).catch((e: unknown) => e)) as WebError;
    expect(cause.code).toBe("WEB_DUPLICATE_ROUTE");
    expect(cause.message).toContain("GET /a");
    expect(cause.message).toContain("has no handler");
    expect(cause.message).toContain("routing.test.ts");
  });

  it("rejects bad declarations at once with WEB_INVALID_ROUTE", () => {
    app = testApp();
    expect(() => app!.get("threads" as "/threads")).toThrow(
      expect.objectContaining({ code: "WEB_INVALID_ROUTE" }),
    );
    expect(() => app!.get("/x").params({} as never)).toThrow(
      expect.objectContaining({ code: "WEB_INVALID_ROUTE" }),
    );
    expect(() => app!.group("/api/")).toThrow(
      expect.objectContaining({ code: "WEB_INVALID_ROUTE" }),
    );
    const b = app.get("/y");
    b.handle(() => 1);
    expect(() => b.summary("late")).toThrow(expect.objectContaining({ code: "WEB_INVALID_ROUTE" }));
  });

  it("refuses new routes once the app started", async () => {
    app = testApp();
    app.get("/x").handle(() => 1);
    await app.inject("/x");
    expect(() => app!.get("/late")).toThrow(expect.objectContaining({ code: "WEB_ROUTES_SEALED" }));
    expect(() => app!.fastify).not.toThrow();
  });

  it("says the server is not started before it is", () => {
    app = testApp();
    expect(() => app!.fastify).toThrow(expect.objectContaining({ code: "WEB_NOT_STARTED" }));
    expect(() => app!.url).toThrow(expect.objectContaining({ code: "WEB_NOT_STARTED" }));
  });
});
