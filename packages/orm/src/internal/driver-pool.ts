import type {
  AcquireOptions,
  ConnectionIntent,
  ConnectionPool,
  Dialect,
  PooledConnection,
  PoolStats,
} from "../pool/connection-pool.ts";
import type { DriverConnection } from "./driver-connection.ts";

/**
 * The pools @dext/orm ships implement this: the public {@link ConnectionPool} plus what
 * contexts need internally (a synchronous reader lease for SQLite, typed connections).
 */
export abstract class DriverPool implements ConnectionPool {
  abstract readonly dialect: Dialect;
  abstract readonly pooled: boolean;
  /**
   * SQLite with a pool: reads borrow a reader for one synchronous statement and return it at
   * once, so a context never holds a connection across an await.
   */
  abstract readonly perStatementReads: boolean;

  abstract acquireDriver(
    intent: ConnectionIntent,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<DriverConnection>;
  abstract releaseDriver(connection: DriverConnection, broken?: boolean): void;
  /** An idle reader without waiting (SQLite), or `undefined`. */
  abstract tryAcquireReader(): DriverConnection | undefined;
  abstract stats(): PoolStats;
  abstract drain(): Promise<void>;
  /** Closes connections still lent (after a drain deadline). */
  abstract destroyInUse(): Promise<number>;
  /** Opens the configured minimum of connections. */
  abstract warm(): Promise<void>;
  /** Closes idle connections past `idleTimeoutMs` (as of `now`); returns how many. */
  abstract evictIdle(now?: number): number;
  /** A short description with the counters, for messages. */
  abstract describe(): string;

  acquire(options: AcquireOptions = {}): Promise<PooledConnection> {
    return this.acquireDriver(options.intent ?? "write", options.signal, options.timeoutMs);
  }

  release(connection: PooledConnection, options: { readonly broken?: boolean } = {}): void {
    this.releaseDriver(connection as DriverConnection, options.broken ?? false);
  }
}

/** Adds up the counters of several role pools. */
export function sumStats(roles: Readonly<Record<string, PoolStats>>): PoolStats {
  const all = Object.values(roles);
  const sum = (k: "size" | "idle" | "inUse" | "waiting" | "pending" | "max"): number =>
    all.reduce((n, s) => n + s[k], 0);
  return {
    size: sum("size"),
    idle: sum("idle"),
    inUse: sum("inUse"),
    waiting: sum("waiting"),
    pending: sum("pending"),
    max: sum("max"),
    roles,
  };
}
