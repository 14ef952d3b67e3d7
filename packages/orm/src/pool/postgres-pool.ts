import type { DriverConnection } from "../internal/driver-connection.ts";
import { DriverPool, sumStats } from "../internal/driver-pool.ts";
import { PgConnection, type PgConnectionOptions } from "../internal/pg-connection.ts";
import { ResourcePool } from "../internal/resource-pool.ts";
import type { ConnectionIntent, PoolStats } from "./connection-pool.ts";

/** Options of the PostgreSQL pool (see `createDatabase`). */
export interface PostgresPoolOptions {
  readonly connection: PgConnectionOptions;
  /** Where read-only contexts connect (a replica); default the primary, in read-only sessions. */
  readonly readerConnection: PgConnectionOptions | undefined;
  readonly max: number;
  readonly min: number;
  readonly readerMax: number;
  readonly acquireTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** A connection idle at least this long is pinged (`select 1`) before it is lent; 0 always. */
  readonly healthCheckAfterIdleMs: number;
}

/**
 * PostgreSQL connections over `pg.Client`: a primary pool, and a reader pool (read-only
 * sessions, or a replica) created on the first read-only context. Borrowed connections that
 * sat idle are pinged first; broken ones are replaced, never lent.
 */
export class PostgresPool extends DriverPool {
  readonly dialect = "postgres" as const;
  readonly pooled = true;
  readonly perStatementReads = false;
  readonly #o: PostgresPoolOptions;
  readonly #primary: ResourcePool<PgConnection>;
  #readers: ResourcePool<PgConnection> | undefined;
  #closed = false;

  constructor(o: PostgresPoolOptions) {
    super();
    this.#o = o;
    this.#primary = this.#make("postgres pool", o.connection, o.max, o.min);
  }

  #make(
    name: string,
    c: PgConnectionOptions,
    max: number,
    min: number,
  ): ResourcePool<PgConnection> {
    const after = this.#o.healthCheckAfterIdleMs;
    return new ResourcePool({
      name,
      max,
      min,
      acquireTimeoutMs: this.#o.acquireTimeoutMs,
      idleTimeoutMs: this.#o.idleTimeoutMs,
      create: () => PgConnection.open(c),
      destroy: (conn) => conn.close(),
      isBroken: (conn) => conn.broken,
      validate: async (conn, idleMs) => {
        if (conn.broken) return false;
        if (idleMs < after) return true;
        await conn.client.query("select 1");
        return true;
      },
    });
  }

  #readerPool(): ResourcePool<PgConnection> {
    this.#readers ??= this.#make(
      "postgres readers",
      { ...(this.#o.readerConnection ?? this.#o.connection), readOnly: true },
      this.#o.readerMax,
      0,
    );
    if (this.#closed) void this.#readers.drain();
    return this.#readers;
  }

  acquireDriver(
    intent: ConnectionIntent,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<DriverConnection> {
    const pool = intent === "read" ? this.#readerPool() : this.#primary;
    return pool.acquire(signal, timeoutMs);
  }

  releaseDriver(connection: DriverConnection, broken = false): void {
    const c = connection as PgConnection;
    (c.role === "reader" ? this.#readerPool() : this.#primary).release(c, broken);
  }

  tryAcquireReader(): DriverConnection | undefined {
    return undefined;
  }

  stats(): PoolStats {
    const roles: Record<string, PoolStats> = { primary: this.#primary.stats() };
    if (this.#readers) roles.readers = this.#readers.stats();
    return sumStats(roles);
  }

  describe(): string {
    return this.#readers
      ? `${this.#primary.describe()}; ${this.#readers.describe()}`
      : this.#primary.describe();
  }

  async drain(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#primary.drain(), this.#readers?.drain()]);
  }

  async destroyInUse(): Promise<number> {
    const n = await Promise.all([this.#primary.destroyInUse(), this.#readers?.destroyInUse()]);
    return n[0] + (n[1] ?? 0);
  }

  warm(): Promise<void> {
    return this.#primary.warm();
  }

  evictIdle(now?: number): number {
    return this.#primary.evictIdle(now) + (this.#readers?.evictIdle(now) ?? 0);
  }
}
