import { OrmError } from "../errors.ts";
import type { ConnectionIntent } from "../pool/connection-pool.ts";
import type { DriverConnection, QueryOutcome } from "./driver-connection.ts";
import type { DriverPool } from "./driver-pool.ts";
import type { Instrumentation, QueryOperation } from "./instrumentation.ts";
import { beginSql, type TransactionOptions } from "./transaction-sql.ts";
import { translateError } from "./translate-error.ts";

export type { TransactionOptions };

/** What a session needs from its database. */
export interface SessionHost {
  readonly pool: DriverPool;
  readonly instrumentation: Instrumentation;
  readonly acquireTimeoutMs: number;
}

/**
 * The connection side of a context: borrows lazily, routes reads and writes (per statement on
 * pooled SQLite, one held connection otherwise), runs transactions with savepoints for nesting,
 * and gives everything back on dispose.
 */
export class Session {
  readonly #host: SessionHost;
  readonly #pool: DriverPool;
  readonly readOnly: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #what: string;
  #held: DriverConnection | undefined;
  #acquiring: Promise<DriverConnection> | undefined;
  #tx: DriverConnection | undefined;
  #txDepth = 0;
  #txReleases = false;
  #disposed = false;
  // Created on the first stream: most contexts never stream.
  #streams: Set<AsyncGenerator<unknown[], void, undefined>> | undefined;

  constructor(host: SessionHost, readOnly: boolean, signal: AbortSignal | undefined, what: string) {
    this.#host = host;
    this.#pool = host.pool;
    this.readOnly = readOnly;
    this.#signal = signal;
    this.#what = what;
  }

  get disposed(): boolean {
    return this.#disposed;
  }
  get inTransaction(): boolean {
    return this.#txDepth > 0;
  }
  get transactionDepth(): number {
    return this.#txDepth;
  }
  /** Whether a connection is borrowed right now (lazy acquire: false until the first query). */
  get holdsConnection(): boolean {
    return this.#held !== undefined || this.#tx !== undefined;
  }

  assertUsable(): void {
    if (this.#disposed) {
      throw new OrmError(
        "ORM_CONTEXT_DISPOSED",
        `${this.#what} was disposed; create a new context (or resolve one from the current scope)`,
      );
    }
  }

  #busy(): OrmError {
    return new OrmError(
      "ORM_CONNECTION_BUSY",
      `${this.#what}: a stream is still reading rows on this transaction's connection; finish (or break out of) the for-await loop before running another query in the transaction`,
    );
  }

  #runSync(
    c: DriverConnection,
    sql: string,
    params: readonly unknown[],
    op: QueryOperation,
    arrays: boolean,
  ): QueryOutcome {
    const inst = this.#host.instrumentation;
    try {
      return inst.active
        ? inst.wrap(op, sql, () => c.runSync(sql, params, arrays))
        : c.runSync(sql, params, arrays);
    } catch (error) {
      throw translateError(error, c.dialect, `${op} on ${this.#what}`, sql);
    }
  }

  async #runAsync(
    c: DriverConnection,
    sql: string,
    params: readonly unknown[],
    op: QueryOperation,
    arrays: boolean,
  ): Promise<QueryOutcome> {
    const inst = this.#host.instrumentation;
    try {
      return await (inst.active
        ? inst.wrap(op, sql, () => c.run(sql, params, arrays))
        : c.run(sql, params, arrays));
    } catch (error) {
      throw translateError(error, c.dialect, `${op} on ${this.#what}`, sql);
    }
  }

  #run(
    c: DriverConnection,
    sql: string,
    params: readonly unknown[],
    op: QueryOperation,
    arrays: boolean,
  ): QueryOutcome | Promise<QueryOutcome> {
    if (c.cursorOpen) throw this.#busy();
    return c.sync
      ? this.#runSync(c, sql, params, op, arrays)
      : this.#runAsync(c, sql, params, op, arrays);
  }

  #intent(op: QueryOperation): ConnectionIntent {
    return this.readOnly || op === "select" ? "read" : "write";
  }

  #acquireHeld(): Promise<DriverConnection> {
    this.#acquiring ??= this.#pool
      .acquireDriver(this.readOnly ? "read" : "write", this.#signal, this.#host.acquireTimeoutMs)
      .then(
        (c) => {
          this.#acquiring = undefined;
          if (this.#disposed) {
            this.#pool.releaseDriver(c);
            throw new OrmError(
              "ORM_CONTEXT_DISPOSED",
              `${this.#what} was disposed while it waited for a connection`,
            );
          }
          this.#held = c;
          return c;
        },
        (e: unknown) => {
          this.#acquiring = undefined;
          throw e;
        },
      );
    return this.#acquiring;
  }

  /**
   * Runs one statement. Synchronous (no promise) when SQLite can answer at once, which keeps the
   * primary-key lookup path free of extra awaits.
   */
  query(
    sql: string,
    params: readonly unknown[],
    op: QueryOperation,
    arrays: boolean,
  ): QueryOutcome | Promise<QueryOutcome> {
    this.assertUsable();
    const c = this.#tx ?? this.#held;
    if (c !== undefined) return this.#run(c, sql, params, op, arrays);
    const pool = this.#pool;
    if (pool.perStatementReads) {
      const intent = this.#intent(op);
      if (intent === "read") {
        const r = pool.tryAcquireReader();
        if (r !== undefined) {
          try {
            return this.#runSync(r, sql, params, op, arrays);
          } finally {
            pool.releaseDriver(r);
          }
        }
      }
      // A statement-long lease: waiting happens before the connection is held, and the
      // statement itself runs synchronously, so no await holds a SQLite connection.
      return pool.acquireDriver(intent, this.#signal, this.#host.acquireTimeoutMs).then((conn) => {
        try {
          return this.#runSync(conn, sql, params, op, arrays);
        } finally {
          pool.releaseDriver(conn);
        }
      });
    }
    return this.#acquireHeld().then((conn) => this.#run(conn, sql, params, op, arrays));
  }

  async begin(options: TransactionOptions = {}): Promise<void> {
    this.assertUsable();
    if (this.#txDepth > 0) {
      if (options.isolationLevel !== undefined || options.accessMode !== undefined) {
        // A savepoint cannot change either: ignoring them would run the inner work with the
        // outer transaction's guarantees while the caller believes otherwise.
        const given = [
          options.isolationLevel !== undefined ? `isolationLevel "${options.isolationLevel}"` : "",
          options.accessMode !== undefined ? `accessMode "${options.accessMode}"` : "",
        ].filter((x) => x !== "");
        throw new OrmError(
          "ORM_TRANSACTION_STATE",
          `${this.#what}: a nested transaction is a savepoint of the open one and cannot set ${given.join(" or ")}; pass the options to the outermost transaction(), or run this work in its own context`,
        );
      }
      const c = this.#tx!;
      if (c.cursorOpen) throw this.#busy();
      await this.#exec(c, `savepoint dext_sp_${this.#txDepth}`);
      this.#txDepth++;
      return;
    }
    let conn: DriverConnection;
    if (this.#held !== undefined) {
      conn = this.#held;
      this.#txReleases = false;
    } else if (this.#pool.perStatementReads) {
      conn = await this.#pool.acquireDriver(
        this.readOnly ? "read" : "write",
        this.#signal,
        this.#host.acquireTimeoutMs,
      );
      this.#txReleases = true;
    } else {
      conn = await this.#acquireHeld();
      this.#txReleases = false;
    }
    try {
      await this.#exec(conn, beginSql(conn, this.readOnly, options));
    } catch (e) {
      if (this.#txReleases) this.#pool.releaseDriver(conn, conn.broken);
      throw e;
    }
    this.#tx = conn;
    this.#txDepth = 1;
  }

  async commit(): Promise<void> {
    const c = this.#requireTx("commit");
    if (this.#txDepth > 1) {
      this.#txDepth--;
      await this.#exec(c, `release savepoint dext_sp_${this.#txDepth}`);
      return;
    }
    try {
      await this.#exec(c, "commit");
    } catch (e) {
      // A failed COMMIT leaves no transaction open (PostgreSQL rolls back; SQLite too for errors
      // that matter), so the connection is no longer in one either way.
      await this.#exec(c, "rollback").catch(() => {});
      this.#endTx(c);
      throw e;
    }
    this.#endTx(c);
  }

  async rollback(): Promise<void> {
    const c = this.#requireTx("rollback");
    if (this.#txDepth > 1) {
      this.#txDepth--;
      const sp = `dext_sp_${this.#txDepth}`;
      await this.#exec(c, `rollback to savepoint ${sp}`);
      await this.#exec(c, `release savepoint ${sp}`);
      return;
    }
    try {
      await this.#exec(c, "rollback");
    } finally {
      this.#endTx(c);
    }
  }

  #requireTx(what: string): DriverConnection {
    if (this.#txDepth === 0 || this.#tx === undefined) {
      throw new OrmError(
        "ORM_TRANSACTION_STATE",
        `${this.#what}: ${what} without an open transaction`,
      );
    }
    return this.#tx;
  }

  #endTx(c: DriverConnection): void {
    this.#txDepth = 0;
    this.#tx = undefined;
    if (this.#txReleases) {
      this.#txReleases = false;
      this.#pool.releaseDriver(c, c.broken);
    }
  }

  async #exec(c: DriverConnection, sql: string): Promise<void> {
    const inst = this.#host.instrumentation;
    try {
      if (inst.active) {
        await inst.wrap("transaction", sql, async () => {
          await c.exec(sql);
          return { rows: [], affected: 0, lastInsertId: undefined };
        });
      } else {
        await c.exec(sql);
      }
    } catch (error) {
      throw translateError(error, c.dialect, `${sql} on ${this.#what}`);
    }
  }

  /**
   * Streams rows in batches. Inside a transaction it reads on the transaction's connection
   * (which is then busy until the stream ends); outside one it borrows its own connection, so
   * the loop body may run other queries on the same context.
   */
  async *stream(
    sql: string,
    params: readonly unknown[],
    arrays: boolean,
    batchSize: number,
  ): AsyncGenerator<unknown[], void, undefined> {
    this.assertUsable();
    let conn: DriverConnection;
    let own = false;
    if (this.#tx !== undefined) {
      conn = this.#tx;
      if (conn.cursorOpen) throw this.#busy();
    } else {
      conn = await this.#pool.acquireDriver(
        this.#intent("select"),
        this.#signal,
        this.#host.acquireTimeoutMs,
      );
      own = true;
    }
    const it = conn.cursor(sql, params, arrays, batchSize);
    this.#streams ??= new Set();
    this.#streams.add(it);
    const inst = this.#host.instrumentation;
    // Telemetry covers the cursor's whole life, not one statement: see Instrumentation.
    const measure = inst.active ? inst.startStream(sql) : undefined;
    let broken = false;
    let failure: unknown;
    try {
      for (;;) {
        let n: IteratorResult<unknown[], void>;
        const start = measure === undefined ? 0 : performance.now();
        try {
          n = await it.next();
        } catch (error) {
          broken = conn.broken;
          failure = translateError(error, conn.dialect, `stream on ${this.#what}`, sql);
          throw failure;
        }
        measure?.fetched(n.done ? 0 : n.value.length, performance.now() - start);
        if (n.done) return;
        yield n.value;
      }
    } finally {
      this.#streams?.delete(it);
      await it.return();
      if (own) this.#pool.releaseDriver(conn, broken || conn.broken);
      measure?.end(failure);
    }
  }

  /** Rolls back an open transaction, closes open streams, and returns the connection. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    if (this.#streams !== undefined) {
      for (const s of [...this.#streams]) await s.return().catch((e: unknown) => errors.push(e));
    }
    if (this.#tx !== undefined) {
      const c = this.#tx;
      this.#txDepth = 1;
      // A context disposed inside a transaction (the handler threw) must not commit anything.
      await c.exec("rollback").catch(() => {});
      this.#endTx(c);
    }
    if (this.#acquiring) {
      await this.#acquiring.catch(() => {});
    }
    const held = this.#held;
    this.#held = undefined;
    if (held !== undefined) this.#pool.releaseDriver(held, held.broken);
    if (errors.length > 0) throw errors[0];
  }
}
