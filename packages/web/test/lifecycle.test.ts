import { request as httpRequest } from "node:http";
import { createConfig, defineModule, HealthCheckToken, silentLogger } from "@dext/core-di";
import { createTestDatabase, redisTestUrl, type TestDatabase } from "@dext/test-kit";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp, type WebApp, web } from "../src/index.ts";
import { deferred, testApp, until } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close().catch(() => {});
  app = undefined;
});

describe("the lifecycle gate", () => {
  it("answers 503 with Retry-After and the state while migrating; nothing reaches a handler", async () => {
    app = testApp({ retryAfterSeconds: 3 });
    const migrated = deferred();
    app.host.addStartupTask("Migrating", async ({ progress }) => {
      progress("migration 2/5: add_index");
      await migrated.promise;
    });
    let calls = 0;
    app.get("/threads").handle(() => ++calls);
    const starting = app.start({ listen: false });
    await app.host.waitFor("Migrating");
    for (const url of ["/threads", "/nope"]) {
      const r = await app.fastify.inject(url);
      expect(r.statusCode).toBe(503);
      expect(r.headers["retry-after"]).toBe("3");
      expect(r.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(r.json()).toMatchObject({
        type: "https://dext.dev/problems/unavailable",
        status: 503,
        state: "Migrating",
        detail: "the service is Migrating (migration 2/5: add_index); retry later",
      });
    }
    expect(calls).toBe(0);
    expect((await app.fastify.inject("/health/live")).json()).toMatchObject({
      status: "live",
      state: "Migrating",
    });
    const ready = await app.fastify.inject("/health/ready");
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      type: "https://dext.dev/problems/not-ready",
      state: "Migrating",
    });
    migrated.resolve();
    await starting;
    expect((await app.inject("/threads")).json()).toBe(1);
    expect((await app.inject("/health/ready")).statusCode).toBe(200);
  });

  it("answers /health/ready's 503 with the configured Retry-After (regression: always 5)", async () => {
    app = testApp({ retryAfterSeconds: 12 });
    const migrated = deferred();
    app.host.addStartupTask("Migrating", () => migrated.promise);
    const starting = app.start({ listen: false });
    await app.host.waitFor("Migrating");
    const ready = await app.fastify.inject("/health/ready");
    expect([ready.statusCode, ready.headers["retry-after"]]).toEqual([503, "12"]);
    migrated.resolve();
    await starting;
  });

  it("keeps answering 503 in maintenance mode without leaking the failure outside development", async () => {
    app = testApp({}, { onStartupFailure: "maintenance" });
    app.host.addStartupTask("Migrating", () => {
      throw new Error('migration 3 failed: ALTER TABLE "users" at /srv/app/migrations/003.sql');
    });
    app.get("/x").handle(() => 1);
    await app.start({ listen: false });
    expect(app.host.state).toBe("Failed");
    const r = await app.inject("/x");
    expect(r.statusCode).toBe(503);
    expect(r.json().state).toBe("Failed");
    expect(r.body).not.toContain("ALTER");
    expect(r.body).not.toContain("/srv/app");
    expect((await app.inject("/health/ready")).statusCode).toBe(503);
    expect((await app.inject("/health/live")).statusCode).toBe(200);
  });

  it("fails readiness and gates routes as soon as the host is Stopping", async () => {
    const held = deferred();
    const entered = deferred();
    const lastToStop = defineModule({
      name: "drainer",
      register() {},
      async stop() {
        entered.resolve();
        await held.promise;
      },
    });
    // web() first in the list, so it stops last and keeps answering while "drainer" stops.
    app = createApp({
      logger: silentLogger,
      config: createConfig({}, { env: "test" }),
      modules: [web({ port: 0, requestLog: false }), lastToStop],
    });
    app.get("/x").handle(() => 1);
    await app.start({ listen: false });
    expect((await app.inject("/health/ready")).statusCode).toBe(200);
    const closing = app.close();
    await entered.promise;
    expect(app.host.state).toBe("Stopping");
    const ready = await app.fastify.inject("/health/ready");
    expect(ready.statusCode).toBe(503);
    const gated = await app.fastify.inject("/x");
    expect(gated.statusCode).toBe(503);
    expect(gated.headers.connection).toBe("close");
    held.resolve();
    await closing;
    app = undefined;
  });
});

/** A GET on a fresh connection (so it proves the server still accepts connections). */
function getFresh(
  base: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(new URL(path, base), { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

describe("shutdown.delayMs", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps accepting connections during the delay, answering 503 with Connection: close, then closes the port", async () => {
    const delayMs = 2000;
    app = testApp({ shutdown: { delayMs }, retryAfterSeconds: 9 });
    let calls = 0;
    app.get("/x").handle(() => ++calls);
    const base = await app.listen();
    const server = app.fastify.server;
    // The delay is a timer: fake it, so the test decides when it has passed.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const closing = app.close();
    while (app.host.state !== "Stopping") await new Promise((r) => setImmediate(r));

    const gated = await getFresh(base, "/x");
    expect(gated).toMatchObject({
      status: 503,
      headers: { connection: "close", "retry-after": "9" },
    });
    expect(JSON.parse((gated as { body: string }).body)).toMatchObject({
      type: "https://dext.dev/problems/unavailable",
      state: "Stopping",
    });
    expect(calls).toBe(0);
    const ready = await getFresh(base, "/health/ready");
    expect(ready).toMatchObject({ status: 503, headers: { "retry-after": "9" } });
    expect(await getFresh(base, "/health/live")).toMatchObject({ status: 200 });
    expect(server.listening).toBe(true);

    vi.advanceTimersByTime(delayMs);
    vi.useRealTimers();
    await closing;
    expect(server.listening).toBe(false);
    expect(await getFresh(base, "/health/live")).toEqual({ error: "ECONNREFUSED" });
    app = undefined;
  });
});

describe("the drain deadline", () => {
  it("closes connections whose requests are still running when drainTimeoutMs passes", async () => {
    app = testApp({ handlerTimeoutMs: 0, shutdown: { drainTimeoutMs: 50 } });
    const entered = deferred();
    let aborted = false;
    app.get("/forever").handle(
      (ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
          });
          entered.resolve();
        }),
    );
    const base = await app.listen();
    const pending = fetch(`${base}/forever`).then(
      () => "answered",
      () => "connection closed",
    );
    await entered.promise;
    await app.close();
    expect(await pending).toBe("connection closed");
    // The handler hears about it through its signal.
    await until(() => aborted);
    app = undefined;
  });
});

describe("invalid options", () => {
  it("rejects web options given twice with WEB_INVALID_OPTIONS", () => {
    expect(() => createApp({ modules: [web({ port: 1 })], web: { port: 2 } })).toThrow(
      expect.objectContaining({
        code: "WEB_INVALID_OPTIONS",
        message: expect.stringContaining("not both"),
      }),
    );
  });

  it("fails startup on invalid securityHeaders with WEB_INVALID_OPTIONS as the cause", async () => {
    app = testApp({ securityHeaders: { strictTransportSecurity: { maxAge: -1 } } });
    app.get("/x").handle(() => 1);
    const error = (await app.inject("/x").catch((e: unknown) => e)) as {
      code: string;
      cause: { code: string; message: string };
    };
    expect(error.code).toBe("HOST_STARTUP_FAILED");
    expect(error.cause.code).toBe("WEB_INVALID_OPTIONS");
    expect(error.cause.message).toContain("maxAge");
  });
});

describe("/health/ready with real dependency checks", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let redis: Redis;
  beforeAll(async () => {
    db = await createTestDatabase("web-health");
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // pool.end() resolves before its clients' connections have closed; the forced drop in
    // afterAll may then terminate one (57P01), which is expected there and nowhere else.
    pool.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "57P01") throw error;
    });
    redis = new Redis(redisTestUrl, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await pool.end();
    redis.disconnect();
    await db.drop();
  });

  const checks = defineModule({
    name: "checks",
    register(services) {
      services.addSingleton(HealthCheckToken, {
        useValue: {
          name: "postgres",
          check: async () => {
            const r = await pool.query("select 1 as ok");
            return { details: { ok: r.rows[0].ok, total: pool.totalCount } };
          },
        },
      });
      services.addSingleton(HealthCheckToken, {
        useValue: { name: "redis", check: async () => void (await redis.ping()) },
      });
    },
  });

  it("runs every registered check and reports each one's status and latency", async () => {
    app = testApp({}, { modules: [checks] });
    const r = await app.inject("/health/ready");
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.status).toBe("ready");
    expect(body.checks).toHaveLength(2);
    expect(body.checks[0]).toMatchObject({ name: "postgres", status: "pass", details: { ok: 1 } });
    expect(body.checks[1]).toMatchObject({ name: "redis", status: "pass" });
    for (const c of body.checks) expect(c.latencyMs).toEqual(expect.any(Number));
    expect(r.headers["cache-control"]).toBe("no-store");
  });

  it("answers 503 naming the failing check (a Redis nobody listens on)", async () => {
    const dead = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    dead.on("error", () => {});
    const broken = defineModule({
      name: "broken",
      register(services) {
        services.addSingleton(HealthCheckToken, {
          useValue: {
            name: "redis-cache",
            check: async () => {
              await dead.connect();
              await dead.ping();
            },
          },
        });
      },
    });
    app = testApp({}, { modules: [checks, broken] });
    const r = await app.inject("/health/ready");
    expect(r.statusCode).toBe(503);
    const body = r.json();
    expect(body.detail).toBe("failing checks: redis-cache");
    expect(body.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ["postgres", "pass"],
      ["redis", "pass"],
      ["redis-cache", "fail"],
    ]);
    expect(body.checks[2].error).toBe("failed; see the server log");
    expect(r.body).not.toContain("127.0.0.1:1");
    dead.disconnect();
  });

  it("aborts a check that does not answer within checkTimeoutMs", async () => {
    let signalled = false;
    const stuck = defineModule({
      name: "stuck",
      register(services) {
        services.addSingleton(HealthCheckToken, {
          useValue: {
            name: "stuck",
            check: (signal: AbortSignal) =>
              new Promise<void>((_, reject) =>
                signal.addEventListener("abort", () => {
                  signalled = true;
                  reject(signal.reason);
                }),
              ),
          },
        });
      },
    });
    app = testApp({ health: { checkTimeoutMs: 20 } }, { modules: [stuck] });
    const r = await app.inject("/health/ready");
    expect(r.statusCode).toBe(503);
    expect(signalled).toBe(true);
  });
});
