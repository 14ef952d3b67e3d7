import { OrmError } from "../errors.ts";
import type { DriverConnection } from "../internal/driver-connection.ts";
import { DriverPool } from "../internal/driver-pool.ts";
import type { ConnectionIntent, Dialect, PoolStats } from "./connection-pool.ts";

/**
 * Non-pooled mode: every acquire opens a connection and every release closes it. For scripts,
 * CLIs, serverless functions, and servers behind an external pooler (PgBouncer).
 */
export class UnpooledConnections extends DriverPool {
  readonly dialect: Dialect;
  readonly pooled = false;
  readonly perStatementReads = false;
  readonly #open: (intent: ConnectionIntent) => Promise<DriverConnection>;
  readonly #inUse = new Set<DriverConnection>();
  #pending = 0;
  #closed = false;
  #onEmpty: (() => void) | undefined;
  #drained: Promise<void> | undefined;

  constructor(dialect: Dialect, open: (intent: ConnectionIntent) => Promise<DriverConnection>) {
    super();
    this.dialect = dialect;
    this.#open = open;
  }

  async acquireDriver(intent: ConnectionIntent, signal?: AbortSignal): Promise<DriverConnection> {
    if (this.#closed) {
      throw new OrmError(
        "ORM_POOL_CLOSED",
        "the database is closed; no new connections are opened",
      );
    }
    if (signal?.aborted) {
      throw new OrmError("ORM_ACQUIRE_ABORTED", "opening a connection was aborted", {
        cause: signal.reason,
      });
    }
    this.#pending++;
    try {
      const c = await this.#open(intent);
      this.#inUse.add(c);
      return c;
    } finally {
      this.#pending--;
    }
  }

  releaseDriver(connection: DriverConnection): void {
    if (!this.#inUse.delete(connection)) return;
    void connection.close().finally(() => {
      if (this.#closed && this.#inUse.size === 0) this.#onEmpty?.();
    });
  }

  tryAcquireReader(): undefined {
    return undefined;
  }

  stats(): PoolStats {
    const n = this.#inUse.size;
    return { size: n, idle: 0, inUse: n, waiting: 0, pending: this.#pending, max: Infinity };
  }

  describe(): string {
    return `non-pooled ${this.dialect} connections: ${this.#inUse.size} open`;
  }

  drain(): Promise<void> {
    this.#closed = true;
    this.#drained ??=
      this.#inUse.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.#onEmpty = resolve;
          });
    return this.#drained;
  }

  async destroyInUse(): Promise<number> {
    const all = [...this.#inUse];
    this.#inUse.clear();
    await Promise.all(all.map((c) => c.close()));
    this.#onEmpty?.();
    return all.length;
  }

  warm(): Promise<void> {
    return Promise.resolve();
  }

  evictIdle(): number {
    return 0;
  }
}
