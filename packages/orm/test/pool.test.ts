import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMigrator,
  type Database,
  DbContext,
  defineMigration,
  isOrmError,
  type OrmError,
  type PooledConnection,
} from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { User } from "./support/model.ts";

class AppDb extends DbContext {}
type PgLike = PooledConnection & { readonly client: pg.Client; readonly broken: boolean };

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(dialects)("connection pool (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect, "pool");
  });
  afterAll(() => t.drop());

  // On SQLite the writer is the one connection everybody must share; on PostgreSQL, a pool of one.
  // Its 100 ms timeout is for the waits a test provokes: the first acquire opens a connection,
  // which a loaded machine may not do in 100 ms, so tests take that one with no deadline.
  const first = { timeoutMs: 0 } as const;
  const single = (): Database =>
    t.open(dialect === "sqlite" ? { acquireTimeoutMs: 100 } : { max: 1, acquireTimeoutMs: 100 });

  it("times out with ORM_POOL_TIMEOUT and the pool stats in the message, never hanging", async () => {
    const db = single();
    const held = await db.pool.acquire({ intent: "write", ...first });
    const error = await db.pool.acquire({ intent: "write" }).catch((e: unknown) => e);
    expect(isOrmError(error, "ORM_POOL_TIMEOUT")).toBe(true);
    const message = (error as OrmError).message;
    expect(message).toMatch(/within 100 ms/);
    expect(message).toMatch(/in use 1/);
    expect(message).toMatch(/waiting 1/);
    expect((error as OrmError).details).toMatchObject({ inUse: 1, timeoutMs: 100 });
    db.pool.release(held);
    expect(db.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    await db.close();
  });

  it("a per-acquire timeout overrides the pool's", async () => {
    const db = single();
    const held = await db.pool.acquire(first);
    await expect(db.pool.acquire({ timeoutMs: 1 })).rejects.toThrow(/within 1 ms/);
    db.pool.release(held);
    await db.close();
  });

  it("stops waiting when the AbortSignal fires: ORM_ACQUIRE_ABORTED, and the queue is clean", async () => {
    const db = t.open(
      dialect === "sqlite" ? { acquireTimeoutMs: 0 } : { max: 1, acquireTimeoutMs: 0 },
    );
    const held = await db.pool.acquire();
    const controller = new AbortController();
    const waiting = db.pool.acquire({ signal: controller.signal });
    expect(db.stats().waiting).toBe(1);
    controller.abort(new Error("client went away"));
    await expect(waiting).rejects.toEqual(code("ORM_ACQUIRE_ABORTED"));
    expect(db.stats().waiting).toBe(0);
    const already = new AbortController();
    already.abort();
    await expect(db.pool.acquire({ signal: already.signal })).rejects.toEqual(
      code("ORM_ACQUIRE_ABORTED"),
    );
    db.pool.release(held);
    await db.close();
  });

  it("hands a released connection to the first waiter (FIFO)", async () => {
    const db = single();
    const held = await db.pool.acquire(first);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) =>
      db.pool.acquire({ timeoutMs: 10_000 }).then((c) => {
        order.push(n);
        db.pool.release(c);
      }),
    );
    db.pool.release(held);
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    await db.close();
  });

  it("reports size, idle, in use and waiting", async () => {
    const db = t.open();
    expect(db.stats()).toMatchObject({ size: 0, idle: 0, inUse: 0, waiting: 0 });
    const a = await db.pool.acquire({ intent: "read" });
    const b = await db.pool.acquire({ intent: "write" });
    expect(db.stats()).toMatchObject({ size: 2, inUse: 2, idle: 0 });
    db.pool.release(a);
    db.pool.release(b);
    expect(db.stats()).toMatchObject({ size: 2, inUse: 0, idle: 2 });
    if (dialect === "sqlite") {
      expect(db.stats().roles).toMatchObject({ writer: { max: 1 }, readers: { max: 4 } });
    }
    await db.close();
  });

  it("drain waits for lent connections, then refuses new acquires (ORM_POOL_CLOSED)", async () => {
    const db = t.open();
    const held = await db.pool.acquire();
    let drained = false;
    const draining = db.pool.drain().then(() => {
      drained = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(drained).toBe(false);
    await expect(db.pool.acquire()).rejects.toEqual(code("ORM_POOL_CLOSED"));
    db.pool.release(held);
    await draining;
    expect(drained).toBe(true);
    expect(db.stats()).toMatchObject({ size: 0, inUse: 0 });
  });

  it("close() fails the waiters instead of leaving them hanging", async () => {
    const db = single();
    const held = await db.pool.acquire(first);
    const waiting = db.pool.acquire({ timeoutMs: 0 });
    const closing = db.close();
    await expect(waiting).rejects.toEqual(code("ORM_POOL_CLOSED"));
    db.pool.release(held);
    await closing;
  });

  it("evicts idle connections past idleTimeoutMs down to min (PostgreSQL); SQLite keeps its few", async () => {
    const db = t.open(dialect === "postgres" ? { idleTimeoutMs: 60_000, min: 1, max: 3 } : {});
    const conns = await Promise.all(
      dialect === "postgres"
        ? [db.pool.acquire(), db.pool.acquire(), db.pool.acquire({ intent: "read" })]
        : [db.pool.acquire(), db.pool.acquire({ intent: "read" })],
    );
    for (const c of conns) db.pool.release(c);
    const open = db.stats().size;
    const pool = db.pool as unknown as { evictIdle(now?: number): number };
    // What the pool's timer calls; "now" is an argument so the test needs no waiting.
    expect(pool.evictIdle(performance.now())).toBe(0);
    const later = performance.now() + 120_000;
    if (dialect === "postgres") {
      expect(open).toBe(3);
      // Two primaries idle past the timeout go, down to min 1; the reader pool has min 0.
      expect(pool.evictIdle(later)).toBe(2);
      expect(db.stats()).toMatchObject({
        size: 1,
        roles: { primary: { size: 1 }, readers: { size: 0 } },
      });
    } else {
      expect(pool.evictIdle(later)).toBe(0);
      expect(db.stats().size).toBe(open);
    }
    await db.close();
  });

  it("non-pooled mode: each context opens its own connection and closes it on dispose", async () => {
    const db = t.open({ pool: false });
    expect(db.pool.pooled).toBe(false);
    const a = new AppDb(db);
    const b = new AppDb(db);
    expect(db.stats().size).toBe(0);
    await a.find(User, 1);
    await b.from(User).count();
    expect(db.stats()).toMatchObject({ size: 2, inUse: 2 });
    await a.dispose();
    expect(db.stats()).toMatchObject({ size: 1, inUse: 1 });
    await b.dispose();
    expect(db.stats()).toMatchObject({ size: 0, inUse: 0 });
    // And writes work through it.
    {
      await using c = new AppDb(db);
      c.add(User, { email: `np-${dialect}@x.test`, name: "NP" });
      await c.saveChanges();
    }
    await using d = new AppDb(db);
    expect(
      await d
        .from(User)
        .where(User.email.eq(`np-${dialect}@x.test`))
        .count(),
    ).toBe(1);
  });

  it("reports a database it cannot reach as ORM_CONNECTION_FAILED", async () => {
    const bad =
      dialect === "sqlite"
        ? t.open({ filename: "/nonexistent-dir/deeper/x.db" })
        : t.open({ url: "postgres://postgres@127.0.0.1:1/none", connectTimeoutMs: 2000 });
    await using db = new AppDb(bad);
    await expect(db.find(User, 1)).rejects.toEqual(code("ORM_CONNECTION_FAILED"));
    expect(bad.stats()).toMatchObject({ size: 0, inUse: 0, pending: 0 });
  });

  it("ping() answers with latency and stats", async () => {
    const r = await t.database.ping();
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.stats.inUse).toBe(0);
  });

  it("ping() answers while a migration holds the writer (regression: readiness waited for the writer)", async () => {
    const db = t.open({ acquireTimeoutMs: 1000 });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const migrator = createMigrator(db, {
      table: "ping_migrations",
      migrations: [
        defineMigration({
          name: "0001_hold_the_writer",
          up: async () => {
            entered();
            await gate; // the migration's transaction stays open until the test lets it go
          },
        }),
      ],
    });
    const migrating = migrator.up();
    await inside;
    const r = await db.ping();
    // The migrator's connection is the one in use; the ping did not wait for it.
    expect(r.stats.inUse).toBe(1);
    if (dialect === "sqlite") expect(r.stats.roles).toMatchObject({ writer: { inUse: 1 } });
    release();
    expect(await migrating).toMatchObject([{ name: "0001_hold_the_writer", status: "applied" }]);
    await db.close();
  });
});

describe("PostgreSQL health check on borrow", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb("postgres", "pool_health");
  });
  afterAll(() => t.drop());

  it("replaces a connection the server killed instead of lending it", async () => {
    const db = t.open({ max: 1, healthCheckAfterIdleMs: 0, applicationName: "dext-health-test" });
    const first = await db.pool.acquire();
    db.pool.release(first);
    const admin = new pg.Client({ connectionString: (t.options as { url: string }).url });
    await admin.connect();
    const killed = await admin.query(
      "select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = 'dext-health-test'",
    );
    await admin.end();
    expect(killed.rowCount).toBe(1);
    await using ctx = new AppDb(db);
    // The idle connection is dead; the borrow-time ping notices and a fresh one answers.
    expect(await ctx.from(User).count()).toBeGreaterThanOrEqual(0);
    await ctx.dispose();
    expect(db.stats()).toMatchObject({ size: 1, inUse: 0 });
    await db.close();
  });

  /** A connection whose socket is fine but whose every statement fails: a failed transaction. */
  async function poison(db: Database): Promise<PgLike> {
    const c = (await db.pool.acquire()) as PgLike;
    await c.client.query("begin");
    await c.client.query("select 1/0").catch(() => {});
    expect(c.broken).toBe(false); // nothing but a statement can tell it is unusable
    db.pool.release(c);
    return c;
  }

  it("pings an idle connection that looks alive before lending it, and replaces it when the ping fails", async () => {
    const db = t.open({ max: 1, healthCheckAfterIdleMs: 0 });
    const bad = await poison(db);
    const next = (await db.pool.acquire()) as PgLike;
    expect(next.id).not.toBe(bad.id);
    expect(bad.broken).toBe(true); // the pool closed it after its ping failed
    expect((await next.client.query("select 1 as ok")).rows).toEqual([{ ok: 1 }]);
    db.pool.release(next);
    expect(db.stats()).toMatchObject({ size: 1, inUse: 0 });
    await db.close();
  });

  it("without the ping (idle less than healthCheckAfterIdleMs) the same connection is lent as is", async () => {
    // The contrast that shows the test above exercises the ping, not the broken-socket check.
    const db = t.open({ max: 1, healthCheckAfterIdleMs: 3_600_000 });
    const bad = await poison(db);
    const next = (await db.pool.acquire()) as PgLike;
    expect(next.id).toBe(bad.id);
    await expect(next.client.query("select 1")).rejects.toThrow(/current transaction is aborted/);
    await next.client.query("rollback");
    db.pool.release(next);
    await db.close();
  });

  it("read-only contexts use the reader pool (read-only sessions)", async () => {
    const db = t.open();
    const reader = await db.pool.acquire({ intent: "read" });
    expect(reader.role).toBe("reader");
    db.pool.release(reader);
    expect(db.stats().roles).toMatchObject({ primary: { size: 0 }, readers: { size: 1 } });
    await db.close();
  });
});

describe("SQLite connections", () => {
  type SqliteLike = PooledConnection & { readonly db: import("better-sqlite3").Database };
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb("sqlite", "sqlite_setup");
  });
  afterAll(() => t.drop());

  const pragma = (c: SqliteLike, name: string): unknown => c.db.pragma(name, { simple: true });

  it("every connection runs in WAL mode with busy_timeout, foreign keys and synchronous NORMAL", async () => {
    const db = t.open({ busyTimeoutMs: 1234 });
    const writer = (await db.pool.acquire({ intent: "write" })) as SqliteLike;
    const reader = (await db.pool.acquire({ intent: "read" })) as SqliteLike;
    expect([writer.role, reader.role]).toEqual(["writer", "reader"]);
    for (const c of [writer, reader]) {
      expect(pragma(c, "journal_mode")).toBe("wal");
      expect(pragma(c, "busy_timeout")).toBe(1234);
      expect(pragma(c, "foreign_keys")).toBe(1);
      expect(pragma(c, "synchronous")).toBe(1); // NORMAL
    }
    expect(pragma(writer, "query_only")).toBe(0);
    expect(pragma(reader, "query_only")).toBe(1);
    db.pool.release(writer);
    db.pool.release(reader);
    await db.close();
  });

  it("readers are query_only: a write on a reader fails, on the writer it works", async () => {
    const db = t.open();
    const reader = (await db.pool.acquire({ intent: "read" })) as SqliteLike;
    expect(() => reader.db.exec("insert into tags (label) values ('from a reader')")).toThrow(
      /readonly|read-only/i,
    );
    db.pool.release(reader);
    const writer = (await db.pool.acquire({ intent: "write" })) as SqliteLike;
    writer.db.exec("insert into tags (label) values ('from the writer')");
    db.pool.release(writer);
    await using ctx = new AppDb(db);
    expect(await ctx.kysely.selectFrom("tags").select("label").execute()).toEqual([
      { label: "from the writer" },
    ]);
    await db.close();
  });

  it("reads borrow a reader for one statement; saveChanges never holds the writer across I/O", async () => {
    const db = t.open();
    await db.open(); // the writer and a reader exist: no connection is opened below
    await using ctx = new AppDb(db);
    await ctx.from(User).count();
    expect(ctx.holdsConnection).toBe(false);
    expect(db.stats()).toMatchObject({ inUse: 0 });
    for (let i = 0; i < 50; i++) ctx.add(User, { email: `io-${i}@x.test`, name: "no I/O" });
    let saved = false;
    const saving = ctx.saveChanges().then((r) => {
      saved = true;
      return r;
    });
    // setImmediate runs after pending I/O callbacks: had saveChanges awaited I/O while holding
    // the writer, it would still be running (and holding it) here.
    const writerInUse = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(db.stats().roles!.writer!.inUse)),
    );
    expect(saved).toBe(true);
    expect(writerInUse).toBe(0);
    expect(await saving).toEqual({ inserted: 50, updated: 0, deleted: 0 });
    await db.close();
  });
});
