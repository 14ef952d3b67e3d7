import type { Dialect, PoolStats } from "../../pool/connection-pool.ts";
import type { DriverConnection } from "../driver-connection.ts";
import { DriverPool } from "../driver-pool.ts";

/**
 * A "pool" of one connection the migrator already holds, so a Session (and Kysely over it) runs
 * every statement, and every transaction, on exactly that connection.
 */
export class PinnedPool extends DriverPool {
  readonly dialect: Dialect;
  readonly pooled = true;
  readonly perStatementReads = false;
  readonly connection: DriverConnection;

  constructor(connection: DriverConnection) {
    super();
    this.connection = connection;
    this.dialect = connection.dialect;
  }

  acquireDriver(): Promise<DriverConnection> {
    return Promise.resolve(this.connection);
  }

  releaseDriver(): void {
    // The owner returns the connection to the real pool.
  }

  tryAcquireReader(): undefined {
    return undefined;
  }

  stats(): PoolStats {
    return { size: 1, idle: 0, inUse: 1, waiting: 0, pending: 0, max: 1 };
  }

  describe(): string {
    return `the migrator's ${this.dialect} connection`;
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  destroyInUse(): Promise<number> {
    return Promise.resolve(0);
  }

  warm(): Promise<void> {
    return Promise.resolve();
  }

  evictIdle(): number {
    return 0;
  }
}
