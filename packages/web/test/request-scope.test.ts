import { request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import { currentScope, defineModule, token } from "@dext/core-di";
import { type Database, DatabaseToken, DbContext, orm, sql } from "@dext/orm";
import { createTestDatabase, type TestDatabase } from "@dext/test-kit";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stream, type WebApp } from "../src/index.ts";
import { deferred, recordingLogger, testApp, until } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const openConnections = (server: import("node:net").Server): Promise<number> =>
  new Promise((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));

class Probe {
  static created = 0;
  static disposed = 0;
  readonly n = ++Probe.created;
  [Symbol.asyncDispose](): Promise<void> {
    Probe.disposed++;
    return Promise.resolve();
  }
}
const ProbeToken = token<Probe>("Probe");
const probes = defineModule({
  name: "probes",
  register(services) {
    services.addScoped(ProbeToken, { useFactory: () => new Probe() });
  },
});

// Resolved deep in the call tree without passing anything down.
async function deepRead(): Promise<number> {
  await Promise.resolve();
  return currentScope().resolve(ProbeToken).n;
}

describe("the request scope", () => {
  it("gives each request its own scope, bound to AsyncLocalStorage for the whole call tree", async () => {
    app = testApp({}, { modules: [probes] });
    const gate = deferred();
    app.get("/probe").handle(async (ctx) => {
      const mine = ctx.resolve(ProbeToken).n;
      await gate.promise;
      return {
        mine,
        deep: await deepRead(),
        same: ctx.resolve(ProbeToken) === currentScope().resolve(ProbeToken),
      };
    });
    const a = app.inject("/probe");
    const b = app.inject("/probe");
    await until(() => Probe.created >= 2);
    gate.resolve();
    const [ra, rb] = [(await a).json(), (await b).json()];
    expect(ra.mine).toBe(ra.deep);
    expect(rb.mine).toBe(rb.deep);
    expect(ra.mine).not.toBe(rb.mine);
    expect(ra.same && rb.same).toBe(true);
  });

  it("disposes the scope after the response, also when the handler throws", async () => {
    app = testApp({}, { modules: [probes] });
    app.get("/ok").handle((ctx) => ctx.resolve(ProbeToken).n);
    app.get("/throws").handle((ctx) => {
      ctx.resolve(ProbeToken);
      throw new Error("boom");
    });
    const before = Probe.disposed;
    await app.inject("/ok");
    await app.inject("/throws");
    await until(() => Probe.disposed === before + 2);
    expect(Probe.disposed).toBe(before + 2);
  });

  it("disposes a synchronous handler's scope as soon as it answered, without a listener on the response", async () => {
    app = testApp({}, { modules: [probes] });
    const closeListeners: Record<string, number> = {};
    app.get("/sync").handle((ctx) => {
      ctx.resolve(ProbeToken);
      return { ok: true };
    });
    app.plugin(async (f: FastifyInstance) => {
      f.get("/plain", async () => ({ ok: true }));
      f.addHook("onResponse", (request, reply, done) => {
        closeListeners[request.url] = reply.raw.listenerCount("close");
        done();
      });
    });
    const before = Probe.disposed;
    expect((await app.inject("/sync")).statusCode).toBe(200);
    await until(() => Probe.disposed === before + 1);
    // No more listeners than fastify's own route has.
    expect((await app.inject("/plain")).statusCode).toBe(200);
    expect(closeListeners["/sync"]).toBe(closeListeners["/plain"]);
  });

  it("keeps a synchronous handler's scope while its stream is read, and disposes it after", async () => {
    app = testApp({}, { modules: [probes] });
    let disposedWhileStreaming: boolean | undefined;
    const before = Probe.disposed;
    app.get("/stream").handle((ctx) => {
      ctx.resolve(ProbeToken);
      async function* rows() {
        yield "a\n";
        await new Promise((r) => setImmediate(r));
        disposedWhileStreaming = Probe.disposed !== before;
        yield "b\n";
      }
      return stream(Readable.from(rows()), "text/plain");
    });
    const r = await app.inject("/stream");
    expect(r.body).toBe("a\nb\n");
    expect(disposedWhileStreaming).toBe(false);
    await until(() => Probe.disposed === before + 1);
  });
});

/** A scoped service that knows whether its scope disposed it. */
class Connection {
  disposed = false;
  query(): string {
    if (this.disposed) throw new Error("the connection was returned to the pool");
    return "row";
  }
  [Symbol.asyncDispose](): Promise<void> {
    this.disposed = true;
    return Promise.resolve();
  }
}
const ConnectionToken = token<Connection>("Connection");
const connections = defineModule({
  name: "connections",
  register(services) {
    services.addScoped(ConnectionToken, { useFactory: () => new Connection() });
  },
});

describe("a timed-out handler's scope", () => {
  it("is disposed only after the handler settles, not at the deadline (regression: the scope was disposed under a running handler)", async () => {
    app = testApp(
      { handlerTimeoutMs: 20, handlerTimeoutGraceMs: 600_000 },
      { modules: [connections] },
    );
    const release = deferred();
    let connection: Connection | undefined;
    let lateQuery: string | undefined;
    app.get("/slow").handle(async (ctx) => {
      connection = ctx.resolve(ConnectionToken);
      await release.promise;
      // Still usable after the deadline: the scope waits for the handler.
      lateQuery = connection.query();
      return "too late";
    });
    const r = await app.inject("/slow");
    expect(r.statusCode).toBe(504);
    expect(connection!.disposed).toBe(false);
    release.resolve();
    await until(() => connection!.disposed);
    expect(lateQuery).toBe("row");
  });

  it("is disposed anyway, with an error logged, when the handler outlives handlerTimeoutGraceMs", async () => {
    const logger = recordingLogger();
    app = testApp(
      { handlerTimeoutMs: 20, handlerTimeoutGraceMs: 20 },
      { modules: [connections], logger },
    );
    let connection: Connection | undefined;
    app.get("/stuck").handle((ctx) => {
      connection = ctx.resolve(ConnectionToken);
      return new Promise(() => {});
    });
    const r = await app.inject("/stuck");
    expect(r.statusCode).toBe(504);
    await until(() => connection!.disposed);
    const line = logger.lines.find((l) => l.level === "error" && l.route === "/stuck");
    expect(line).toMatchObject({
      reqId: r.json().requestId,
      handlerTimeoutMs: 20,
      handlerTimeoutGraceMs: 20,
    });
    expect(line!.msg).toContain("grace period");
  });
});

describe("aborted requests", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("web-abort");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("leaks no scope and no database connection after 1,000 aborted requests (a real scoped DbContext)", async () => {
    const counts = {
      started: 0,
      scopesDisposed: 0,
      contexts: 0,
      contextsDisposed: 0,
      entered: 0,
      holding: 0,
      finished: 0,
    };
    // A real @dext/orm context, one per request scope, holding its connection once it queried.
    class AppDb extends DbContext {
      constructor(database: Database) {
        super(database);
        counts.contexts++;
      }
      override async dispose(): Promise<void> {
        await super.dispose();
        counts.contextsDisposed++;
      }
    }
    const ScopeProbe = token<AsyncDisposable>("ScopeProbe");
    const probes = defineModule({
      name: "scope-probe",
      register(services) {
        services.addScoped(ScopeProbe, {
          useFactory: () => ({
            [Symbol.asyncDispose]: async () => {
              counts.scopesDisposed++;
            },
          }),
        });
      },
    });
    app = testApp(
      {},
      {
        modules: [orm({ database: { dialect: "postgres", url: db.url, max: 10 } }), probes],
        services: (s) => s.addDbContext(AppDb, { lifetime: "scoped" }),
      },
    );
    app.use(async (ctx, next) => {
      counts.started++;
      // Disposed with the request scope: counts scope disposals.
      ctx.resolve(ScopeProbe);
      return next();
    });
    app.get("/work").handle(async (ctx) => {
      const context = ctx.resolve(AppDb);
      await sql`select 1`.execute(context.kysely);
      if (context.holdsConnection) counts.holding++;
      counts.entered++;
      // Hold the connection until the client goes away.
      if (!ctx.signal.aborted) {
        await new Promise((resolve) =>
          ctx.signal.addEventListener("abort", resolve, { once: true }),
        );
      }
      counts.finished++;
      return "unreachable";
    });
    const url = new URL(await app.listen());
    const database = app.host.services.resolve(DatabaseToken);

    const total = 1000;
    const batch = 20;
    let responses = 0;
    for (let sent = 0; sent < total; sent += batch) {
      const enteredBefore = counts.entered;
      const requests = Array.from({ length: batch }, () => {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          path: "/work",
          agent: false,
        });
        req.on("response", () => responses++);
        req.on("error", () => {});
        req.end();
        return req;
      });
      // Half the batch holds every pooled connection; the other half waits in the pool's queue.
      await until(() => counts.entered - enteredBefore >= 10);
      for (const req of requests) req.destroy();
    }
    // Once every socket is gone no request can start; then every scope must be disposed.
    const server = app.fastify.server;
    while ((await openConnections(server)) > 0) await new Promise((r) => setTimeout(r, 5));
    await until(
      () =>
        counts.scopesDisposed === counts.started &&
        counts.contextsDisposed === counts.contexts &&
        database.stats().inUse === 0,
    );
    expect(responses).toBe(0);
    expect(counts.started).toBeGreaterThanOrEqual(total / 2);
    expect(counts.scopesDisposed).toBe(counts.started);
    expect(counts.contexts).toBe(counts.started);
    expect(counts.contextsDisposed).toBe(counts.contexts);
    expect(counts.finished).toBe(counts.entered);
    expect(counts.holding).toBe(counts.entered);
    const stats = database.stats();
    expect(stats).toMatchObject({ inUse: 0, waiting: 0, pending: 0 });
    expect(stats.idle).toBe(stats.size);
    expect(stats.size).toBeLessThanOrEqual(10);
    // The app still serves, and its readiness ping gets a connection.
    const ready = await fetch(new URL("/health/ready", url));
    expect(ready.status).toBe(200);
  });
});
