import type { Dialect, PooledConnection } from "../pool/connection-pool.ts";

/** What one statement returned. */
export interface QueryOutcome {
  /** Arrays (ORM path) or objects (Kysely path), as asked. */
  readonly rows: unknown[];
  readonly affected: number;
  readonly lastInsertId: number | bigint | undefined;
}

let nextId = 1;
/** A process-unique connection id, for logs. */
export function connectionId(): number {
  return nextId++;
}

/**
 * The driver-neutral connection every pool lends. SQLite runs synchronously (`runSync`), so a
 * caller can borrow, run and return a connection without an await in between.
 */
export interface DriverConnection extends PooledConnection {
  readonly sync: boolean;
  /** Set when the server closed the connection or a protocol error left it unusable. */
  readonly broken: boolean;
  /** A cursor is open on it: other statements must wait (`ORM_CONNECTION_BUSY`). */
  cursorOpen: boolean;
  /** SQLite only. */
  runSync(sql: string, params: readonly unknown[], arrays: boolean): QueryOutcome;
  run(sql: string, params: readonly unknown[], arrays: boolean): Promise<QueryOutcome>;
  /** Streams rows in batches; the connection is busy until the iterator finishes or returns. */
  cursor(
    sql: string,
    params: readonly unknown[],
    arrays: boolean,
    batchSize: number,
  ): AsyncGenerator<unknown[], void, undefined>;
  /** A statement with no result (`BEGIN`, `SAVEPOINT a`). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export type { Dialect };
