// The README's complete app, run for real (config and telemetry trimmed for a test).
import { createConfig, defineModule, HealthCheckToken, silentLogger, token } from "@dext/core-di";
import type { FastifyInstance } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  addRoutes,
  contextKey,
  createApp,
  created,
  type Middleware,
  noContent,
  ProblemError,
  page,
  problem,
  type WebApp,
  xmlFormatter,
} from "../src/index.ts";

interface Thread {
  id: number;
  title: string;
  locked: boolean;
}
class ThreadStore {
  readonly #rows = new Map<number, Thread>();
  list(): Thread[] {
    return [...this.#rows.values()];
  }
  get(id: number): Thread | undefined {
    return this.#rows.get(id);
  }
  add(title: string): Thread {
    const t = { id: this.#rows.size + 1, title, locked: false };
    this.#rows.set(t.id, t);
    return t;
  }
  remove(id: number): boolean {
    return this.#rows.delete(id);
  }
}
const Threads = token<ThreadStore>("Threads");
const Author = contextKey<string>("Author");

const requireAuthor: Middleware = (ctx, next) => {
  const name = ctx.raw.request.headers["x-author"];
  if (typeof name !== "string")
    return problem({ status: 401, title: "Say who you are (x-author)" });
  ctx.set(Author, name);
  return next();
};

const forum = defineModule({
  name: "forum",
  register(services) {
    services.addSingleton(Threads, { useFactory: () => new ThreadStore() });
    services.addSingleton(HealthCheckToken, {
      useValue: { name: "store", check: async () => ({ details: { ok: true } }) },
    });
    addRoutes(
      services,
      (r) => {
        r.get("/threads")
          .query(
            z.object({
              page: z.coerce.number().int().min(1).default(1),
              size: z.coerce.number().int().max(100).default(20),
            }),
          )
          .summary("List threads")
          .handle((ctx, { query }) => {
            const all = ctx.resolve(Threads).list();
            const start = (query.page - 1) * query.size;
            return page(all.slice(start, start + query.size), {
              total: all.length,
              page: query.page,
              size: query.size,
            });
          });
        r.group("/threads", (g) => {
          g.use(requireAuthor);
          g.post("/")
            .body(z.object({ title: z.string().min(3).max(200) }))
            .response(201, { description: "created" })
            .handle((ctx, { body }) => {
              const t = ctx.resolve(Threads).add(body.title);
              ctx.log.info({ author: ctx.get(Author), thread: t.id }, "thread created");
              return created(t, `/api/threads/${t.id}`);
            });
          g.delete("/:id")
            .params(z.object({ id: z.coerce.number().int() }))
            .handle((ctx, { params }) => {
              const t = ctx.resolve(Threads).get(params.id);
              if (t?.locked)
                throw new ProblemError({
                  status: 409,
                  type: "thread-locked",
                  title: "Thread is locked",
                });
              ctx.resolve(Threads).remove(params.id);
              return noContent();
            });
        });
      },
      { prefix: "/api" },
    );
  },
});

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("the README's complete app", () => {
  it("works as documented", async () => {
    app = createApp({
      modules: [forum],
      logger: silentLogger,
      config: createConfig({}, { env: "test" }),
      web: { port: 0, formatters: [xmlFormatter()], cors: { origin: ["https://forum.example"] } },
      onStartupFailure: "maintenance",
    });
    app.host.addStartupTask("Migrating", async ({ progress }) => {
      progress("migration 1/1: create threads");
    });
    expect(
      (await app.inject({ method: "POST", url: "/api/threads", payload: { title: "Hello" } }))
        .statusCode,
    ).toBe(401);
    const c = await app.inject({
      method: "POST",
      url: "/api/threads",
      payload: { title: "Hello" },
      headers: { "x-author": "ada" },
    });
    expect([c.statusCode, c.headers.location]).toEqual([201, "/api/threads/1"]);
    const list = await app.inject({ url: "/api/threads", headers: { accept: "application/xml" } });
    expect(list.headers["content-type"]).toContain("application/xml");
    expect(list.headers.link).toContain('rel="last"');
    const del = await app.inject({
      method: "DELETE",
      url: "/api/threads/1",
      headers: { "x-author": "ada" },
    });
    expect(del.statusCode).toBe(204);
    expect((await app.inject("/health/ready")).json().checks[0]).toMatchObject({
      name: "store",
      status: "pass",
    });
  });

  it("runs the encapsulation example", async () => {
    app = createApp({ logger: silentLogger, web: { port: 0 } });
    app.plugin(
      fastifyPlugin(async (f: FastifyInstance) => {
        f.addHook("onSend", async (_request, reply, payload) => {
          reply.header("server-timing", `app;dur=${reply.elapsedTime.toFixed(1)}`);
          return payload;
        });
      }),
    );
    app.group("/admin", (admin) => {
      admin.plugin(async (f: FastifyInstance) => {
        f.addHook("onSend", async (_request, reply, payload) => {
          reply.header("cache-control", "no-store");
          return payload;
        });
      });
      admin.get("/stats").handle(() => ({ uptime: process.uptime() }));
    });
    app.get("/").handle(() => "home");
    const stats = await app.inject("/admin/stats");
    expect(stats.headers["server-timing"]).toMatch(/^app;dur=/);
    expect(stats.headers["cache-control"]).toBe("no-store");
    const home = await app.inject("/");
    expect(home.headers["server-timing"]).toMatch(/^app;dur=/);
    expect(home.headers["cache-control"]).toBeUndefined();
  });

  it("runs the ten-line example", async () => {
    app = createApp({ logger: silentLogger, web: { port: 0 } });
    const threads = new Map<number, { id: number; title: string }>();
    app
      .get("/threads/:id")
      .params(z.object({ id: z.coerce.number().int() }))
      .handle(
        (_ctx, { params }) =>
          threads.get(params.id) ?? problem({ status: 404, detail: `no thread ${params.id}` }),
      );
    app
      .post("/threads")
      .body(z.object({ title: z.string().min(3) }))
      .handle((_ctx, { body }) => {
        const thread = { id: threads.size + 1, title: body.title };
        threads.set(thread.id, thread);
        return created(thread, `/threads/${thread.id}`);
      });
    expect((await app.inject("/threads/1")).statusCode).toBe(404);
    await app.inject({ method: "POST", url: "/threads", payload: { title: "First" } });
    expect((await app.inject("/threads/1")).json()).toEqual({ id: 1, title: "First" });
  });
});
