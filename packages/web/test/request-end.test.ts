import { request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import { createConfig, type Logger } from "@dext/core-di";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, stream, type WebApp } from "../src/index.ts";
import { deferred, recordingLogger, testApp, until } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type Line = Record<string, unknown>;
const requestLines = (lines: Line[]): Line[] =>
  lines.filter((l) => l.msg === "request completed" || l.msg === "request aborted by the client");

describe("every request ends once", () => {
  it("writes exactly one line per request on every path: routes, errors, 404, 405, raw fastify routes", async () => {
    const logger = recordingLogger();
    app = testApp({ requestLog: true, slowRequestMs: 0 }, { logger });
    app.get("/sync").handle(() => "sync");
    app.get("/async").handle(async () => {
      await new Promise((r) => setImmediate(r));
      return "async";
    });
    app.get("/stream").handle(() => stream(Readable.from(["a", "b", "c"]), "text/plain"));
    app.get("/throws").handle(() => {
      throw new Error("boom");
    });
    app.post("/json").handle(() => "posted");
    app.configureFastify((f) => {
      f.get("/raw", async () => ({ raw: true }));
    });
    const base = await app.listen();
    const cases: [string, RequestInit | undefined, number, string | undefined][] = [
      ["/sync", undefined, 200, "/sync"],
      ["/async", undefined, 200, "/async"],
      ["/stream", undefined, 200, "/stream"],
      ["/throws", undefined, 500, "/throws"],
      ["/nowhere", undefined, 404, undefined],
      ["/sync", { method: "DELETE" }, 405, undefined],
      [
        "/json",
        { method: "POST", body: "{not json", headers: { "content-type": "application/json" } },
        400,
        "/json",
      ],
      ["/raw", undefined, 200, "/raw"],
    ];
    for (const [path, init, status, route] of cases) {
      const before = logger.lines.length;
      const r = await fetch(`${base}${path}`, init);
      await r.arrayBuffer();
      expect(r.status, path).toBe(status);
      // A streamed or raw response ends when it closes, which may be just after the client has it.
      await until(() => requestLines(logger.lines.slice(before)).length > 0);
      const lines = requestLines(logger.lines.slice(before));
      expect(lines, `${init?.method ?? "GET"} ${path}`).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: "request completed", statusCode: status, url: path });
      if (route !== undefined) expect(lines[0]!.route).toBe(route);
      expect(lines[0]!.reqId).toBe(r.headers.get("x-request-id"));
      expect(lines[0]!.durationMs).toEqual(expect.any(Number));
    }
    // Nothing ends twice later either.
    await new Promise((r) => setImmediate(r));
    expect(requestLines(logger.lines)).toHaveLength(cases.length);
  });

  it("ends a request a plugin answered before the route handler ran (a preHandler's 401), once", async () => {
    const logger = recordingLogger();
    app = testApp({ requestLog: true, slowRequestMs: 0 }, { logger });
    app.group("/admin", (admin) => {
      admin.configureFastify((f) => {
        f.addHook("preHandler", (_request, reply, done) => {
          reply.code(401).send({ error: "who are you" });
          done();
        });
      });
      admin.get("/stats").handle(() => "secret");
    });
    const base = await app.listen();
    const r = await fetch(`${base}/admin/stats`);
    expect(r.status).toBe(401);
    await r.arrayBuffer();
    await until(() => requestLines(logger.lines).length > 0);
    await new Promise((r) => setImmediate(r));
    const lines = requestLines(logger.lines);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: "request completed",
      statusCode: 401,
      route: "/admin/stats",
      reqId: r.headers.get("x-request-id"),
    });
  });

  it("ends a request whose client left with status 499, once", async () => {
    const logger = recordingLogger();
    app = testApp({ requestLog: true, slowRequestMs: 0 }, { logger });
    const entered = deferred();
    app.get("/wait").handle(async (ctx) => {
      entered.resolve();
      await new Promise((r) => ctx.signal.addEventListener("abort", r, { once: true }));
      return "late";
    });
    const base = new URL(await app.listen());
    const req = httpRequest({ host: base.hostname, port: base.port, path: "/wait" });
    req.on("error", () => {});
    req.end();
    await entered.promise;
    req.destroy();
    await until(() => requestLines(logger.lines).length > 0);
    await new Promise((r) => setImmediate(r));
    const lines = requestLines(logger.lines);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: "request aborted by the client",
      statusCode: 499,
      aborted: true,
      route: "/wait",
    });
  });

  it("puts no per-response listener of fastify's on Dext's routes (a raw route with onResponse has one)", async () => {
    app = testApp({ requestLog: true, slowRequestMs: 1000 });
    const seen: Record<string, string[]> = {};
    app.get("/dext").handle((ctx) => {
      seen.dext = ctx.raw.reply.raw.listeners("finish").map((f) => f.name);
      return "ok";
    });
    app.configureFastify((f) => {
      f.get("/raw", (_request, reply) => {
        seen.raw = reply.raw.listeners("finish").map((f) => f.name);
        return "ok";
      });
    });
    await app.listen();
    await app.inject("/dext");
    await app.inject("/raw");
    expect(seen.raw).toContain("onResFinished");
    expect(seen.dext).not.toContain("onResFinished");
  });

  it("keeps fastify's logging on the app's logger: fastify.log, request.log with the request id, reply.elapsedTime", async () => {
    const logger = recordingLogger();
    app = testApp({}, { logger });
    let elapsed = -1;
    app.configureFastify((f) => {
      f.log.info("from a plugin");
      f.addHook("onSend", async (request, reply, payload) => {
        request.log.info({ hook: "onSend" }, "from a hook");
        elapsed = reply.elapsedTime;
        return payload;
      });
    });
    app.get("/x").handle(() => "x");
    const r = await app.inject("/x");
    expect(logger.lines).toContainEqual(expect.objectContaining({ msg: "from a plugin" }));
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: "from a hook",
        hook: "onSend",
        reqId: r.headers["x-request-id"],
      }),
    );
    expect(elapsed).toBeGreaterThan(0);
  });
});

describe("request loggers", () => {
  it("are made on first use: requests that do not log build no child logger", async () => {
    const logger = recordingLogger();
    let children = 0;
    // Counts every child made at any depth (the app's components take children of their own).
    const counting = (inner: Logger): Logger => ({
      ...inner,
      child: (bindings) => {
        children++;
        return counting(inner.child(bindings));
      },
    });
    app = testApp({}, { logger: counting(logger) });
    app.get("/quiet").handle(() => "quiet");
    app.get("/loud").handle((ctx) => {
      ctx.log.info("one");
      ctx.raw.request.log.info("two");
      ctx.raw.reply.log.info("three");
      return "loud";
    });
    expect((await app.inject("/quiet")).statusCode).toBe(200);
    children = 0; // the app's own components may take children while it starts
    for (let i = 0; i < 5; i++) expect((await app.inject("/quiet")).statusCode).toBe(200);
    expect(children).toBe(0);
    const r = await app.inject("/loud");
    // ctx.log, request.log and reply.log are one logger, made once, bound to the request id.
    expect(children).toBe(1);
    const lines = logger.lines.filter((l) => ["one", "two", "three"].includes(l.msg as string));
    expect(lines.map((l) => l.reqId)).toEqual([
      r.headers["x-request-id"],
      r.headers["x-request-id"],
      r.headers["x-request-id"],
    ]);
  });

  it("keep a logger a hook assigns to request.log (a child with more bindings)", async () => {
    const logger = recordingLogger();
    app = testApp({}, { logger });
    app.configureFastify((f) => {
      f.addHook("onRequest", async (request) => {
        request.log = request.log.child({ tenant: "acme" });
      });
    });
    app.get("/x").handle((ctx) => {
      ctx.log.info("in the handler");
      return "x";
    });
    const r = await app.inject("/x");
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: "in the handler",
        tenant: "acme",
        reqId: r.headers["x-request-id"],
      }),
    );
  });
});

describe("request ids", () => {
  it("are a per-process prefix and a counter by default: unique, and the same prefix within a process", async () => {
    app = testApp();
    app.get("/id").handle((ctx) => ctx.id);
    const ids = [];
    for (let i = 0; i < 50; i++) ids.push((await app.inject("/id")).json() as string);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(new Set(ids.map((id) => id.split("-")[0])).size).toBe(1);
    await app.close();
    app = testApp();
    app.get("/id").handle((ctx) => ctx.id);
    const other = (await app.inject("/id")).json() as string;
    expect(other.split("-")[0]).not.toBe(ids[0]!.split("-")[0]);
  });

  it("are UUIDs with requestIds: 'uuid', or whatever a function makes", async () => {
    app = testApp({ requestIds: "uuid" });
    app.get("/id").handle((ctx) => ctx.id);
    expect((await app.inject("/id")).json()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    await app.close();
    let n = 0;
    app = testApp({ requestIds: (req) => `${req.method}-${++n}` });
    app.get("/id").handle((ctx) => ctx.id);
    expect((await app.inject("/id")).json()).toBe("GET-1");
    expect((await app.inject("/id")).headers["x-request-id"]).toBe("GET-2");
  });

  it("can be chosen in configuration, and an unknown choice fails at startup", async () => {
    app = createApp({
      config: createConfig({ web: { requestIds: "uuid" } }, { env: "test" }),
      web: { port: 0, host: "127.0.0.1" },
    });
    app.get("/id").handle((ctx) => ctx.id);
    expect((await app.inject("/id")).json()).toMatch(/^[0-9a-f]{8}-/);
    await app.close();
    expect(() =>
      createApp({
        config: createConfig({ web: { requestIds: "random" } }, { env: "test" }),
        web: { port: 0, host: "127.0.0.1" },
      }),
    ).toThrow(/web\.requestIds/);
    app = undefined;
  });
});
