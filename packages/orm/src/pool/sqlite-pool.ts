import type { DriverConnection } from "../internal/driver-connection.ts";
import { DriverPool, sumStats } from "../internal/driver-pool.ts";
import { ResourcePool } from "../internal/resource-pool.ts";
import { SqliteConnection } from "../internal/sqlite-connection.ts";
import type { ConnectionIntent, PoolStats } from "./connection-pool.ts";

/** Options of the SQLite pool (see `createDatabase`). */
export interface SqlitePoolOptions {
  readonly filename: string;
  /** Reader connections (WAL lets them read while the writer writes); default 4. */
  readonly readers: number;
  readonly busyTimeoutMs: number;
  readonly acquireTimeoutMs: number;
  readonly statementCacheSize: number;
  readonly pragmas: Readonly<Record<string, string | number>>;
}

const isMemory = (f: string): boolean => f === ":memory:" || f === "";

/**
 * SQLite in WAL mode: one writer connection (writes are serialised in-process, so SQLite's
 * busy handler rarely blocks) and a pool of `query_only` readers. better-sqlite3 is
 * synchronous, so every lease of a reader lasts one statement.
 */
export class SqlitePool extends DriverPool {
  readonly dialect = "sqlite" as const;
  readonly pooled = true;
  readonly perStatementReads: boolean;
  readonly #writer: ResourcePool<SqliteConnection>;
  readonly #readers: ResourcePool<SqliteConnection> | undefined;

  constructor(o: SqlitePoolOptions) {
    super();
    const open = (role: "writer" | "reader") => () =>
      SqliteConnection.open({
        filename: o.filename,
        role,
        busyTimeoutMs: o.busyTimeoutMs,
        statementCacheSize: o.statementCacheSize,
        pragmas: o.pragmas,
      });
    const common = {
      min: 0,
      acquireTimeoutMs: o.acquireTimeoutMs,
      idleTimeoutMs: 0,
      destroy: (c: SqliteConnection) => c.close(),
      isBroken: (c: SqliteConnection) => c.broken,
    };
    this.#writer = new ResourcePool({
      ...common,
      name: "sqlite writer",
      max: 1,
      create: open("writer"),
    });
    // An in-memory database exists once per connection: everything goes through the writer.
    this.#readers = isMemory(o.filename)
      ? undefined
      : new ResourcePool({
          ...common,
          name: "sqlite readers",
          max: Math.max(1, o.readers),
          create: open("reader"),
        });
    this.perStatementReads = this.#readers !== undefined;
  }

  acquireDriver(
    intent: ConnectionIntent,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<DriverConnection> {
    const pool = intent === "read" && this.#readers ? this.#readers : this.#writer;
    return pool.acquire(signal, timeoutMs);
  }

  releaseDriver(connection: DriverConnection, broken = false): void {
    const c = connection as SqliteConnection;
    (c.role === "reader" ? this.#readers! : this.#writer).release(c, broken);
  }

  tryAcquireReader(): DriverConnection | undefined {
    return this.#readers?.tryAcquire();
  }

  stats(): PoolStats {
    const roles: Record<string, PoolStats> = { writer: this.#writer.stats() };
    if (this.#readers) roles.readers = this.#readers.stats();
    return sumStats(roles);
  }

  describe(): string {
    return this.#readers
      ? `${this.#writer.describe()}; ${this.#readers.describe()}`
      : this.#writer.describe();
  }

  async drain(): Promise<void> {
    await Promise.all([this.#writer.drain(), this.#readers?.drain()]);
  }

  async destroyInUse(): Promise<number> {
    const n = await Promise.all([this.#writer.destroyInUse(), this.#readers?.destroyInUse()]);
    return n[0] + (n[1] ?? 0);
  }

  async warm(): Promise<void> {
    // Open the writer first: it creates the file and switches it to WAL before readers attach.
    const w = await this.#writer.acquire();
    this.#writer.release(w);
    if (this.#readers) {
      const r = await this.#readers.acquire();
      this.#readers.release(r);
    }
  }

  evictIdle(now?: number): number {
    return this.#writer.evictIdle(now) + (this.#readers?.evictIdle(now) ?? 0);
  }
}
