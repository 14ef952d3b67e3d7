/** The databases @dext/orm speaks to. */
export type Dialect = "sqlite" | "postgres";

/** A pool's counters, as health checks and `ORM_POOL_TIMEOUT` messages show them. */
export interface PoolStats {
  /** Open connections (idle + in use). */
  readonly size: number;
  readonly idle: number;
  readonly inUse: number;
  /** Callers waiting for a connection. */
  readonly waiting: number;
  /** Connections being opened. */
  readonly pending: number;
  readonly max: number;
  /** Per role, for pools with more than one (`writer`/`readers` on SQLite, `primary`/`readers` on PostgreSQL). */
  readonly roles?: Readonly<Record<string, PoolStats>>;
}

/** What a connection is borrowed for: SQLite and read replicas route `read` elsewhere. */
export type ConnectionIntent = "read" | "write";

/** Options of {@link ConnectionPool.acquire}. */
export interface AcquireOptions {
  /** Default `write` (the primary, or SQLite's single writer). */
  readonly intent?: ConnectionIntent;
  /** Stops waiting when aborted: the caller gets `ORM_ACQUIRE_ABORTED`. */
  readonly signal?: AbortSignal;
  /** Overrides the pool's `acquireTimeoutMs`; past it the caller gets `ORM_POOL_TIMEOUT`. */
  readonly timeoutMs?: number;
}

/** A connection lent by a {@link ConnectionPool}; give it back with `release`. */
export interface PooledConnection {
  /** Unique per process, for logs. */
  readonly id: number;
  readonly dialect: Dialect;
  /** `writer` or `reader` on SQLite; `primary` or `reader` on PostgreSQL. */
  readonly role: "writer" | "reader" | "primary";
}

/**
 * Lends database connections: bounded, fair (first come, first served), never hanging (a
 * timeout and an AbortSignal on every acquire), observable (stats), and drained on shutdown.
 * DbContexts borrow from it lazily; Kysely queries through `database.kysely` use it too.
 *
 * @example
 * ```ts
 * const conn = await database.pool.acquire({ timeoutMs: 500, signal: request.signal });
 * try {
 *   // ...
 * } finally {
 *   database.pool.release(conn);
 * }
 * console.log(database.pool.stats()); // { size, idle, inUse, waiting, pending, max }
 * ```
 */
export interface ConnectionPool {
  readonly dialect: Dialect;
  /** False in non-pooled mode: every acquire opens a connection and release closes it. */
  readonly pooled: boolean;
  acquire(options?: AcquireOptions): Promise<PooledConnection>;
  /** Returns a connection; `broken: true` closes it instead of reusing it. */
  release(connection: PooledConnection, options?: { readonly broken?: boolean }): void;
  /** Refuses new acquires and resolves once every lent connection is back and closed. */
  drain(): Promise<void>;
  stats(): PoolStats;
}
