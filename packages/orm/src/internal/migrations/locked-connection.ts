import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { Kysely } from "kysely";
import type { DatabaseImpl } from "../../database.ts";
import { isOrmError, OrmError } from "../../errors.ts";
import type { Dialect } from "../../pool/connection-pool.ts";
import type { DriverConnection } from "../driver-connection.ts";
import { sessionDialect } from "../kysely-dialect.ts";
import { Session } from "../session.ts";
import { translateError } from "../translate-error.ts";
import { PinnedPool } from "./pinned-pool.ts";

/** What a locked transaction does and how long it may wait for the lock. */
export interface LockOptions {
  /** Names the lock (the tracking table): one lock per table. */
  readonly name: string;
  readonly timeoutMs: number;
  /** SQLite: run with foreign-key enforcement off and check foreign keys before committing. */
  readonly deferForeignKeys: boolean;
  /** For messages: `migration 0003_add_index`. */
  readonly what: string;
}

/** The PostgreSQL advisory-lock key of a name: 64 bits of its hash. */
export function advisoryKey(name: string): string {
  const hex = createHash("sha256").update(`dext:${name}`).digest("hex").slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
}

const SQLITE_ATTEMPT_MS = 50;

/**
 * One connection held for a migrator or seeder run, with a Session and Kysely bound to it, and
 * transactions that first take the run's lock: `pg_advisory_xact_lock` on PostgreSQL (released
 * at commit or rollback, and by the server if the process dies), SQLite's write lock through
 * `BEGIN IMMEDIATE` (retried without blocking the event loop while another process holds it).
 */
export class LockedConnection {
  readonly dialect: Dialect;
  readonly session: Session;
  readonly kysely: Kysely<any>;
  readonly #db: DatabaseImpl;
  readonly #conn: DriverConnection;
  readonly #signal: AbortSignal | undefined;

  private constructor(
    db: DatabaseImpl,
    conn: DriverConnection,
    signal: AbortSignal | undefined,
    what: string,
  ) {
    this.#db = db;
    this.#conn = conn;
    this.#signal = signal;
    this.dialect = db.dialect;
    const pool = new PinnedPool(conn);
    this.session = new Session(
      { pool, instrumentation: db.instrumentation, acquireTimeoutMs: db.acquireTimeoutMs },
      false,
      signal,
      what,
    );
    this.kysely = new Kysely({ dialect: sessionDialect(db.dialect, () => this.session, false) });
  }

  static async open(
    db: DatabaseImpl,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<LockedConnection> {
    const conn = await db.pool.acquireDriver("write", signal, db.acquireTimeoutMs);
    return new LockedConnection(db, conn, signal, what);
  }

  /** Rows of a statement, as objects. */
  async rows(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    const r = await this.session.query(sql, params, "other", false);
    return r.rows as Record<string, unknown>[];
  }

  /** Runs SQL text that may hold several statements (a SQL migration's section). */
  async exec(sql: string, what: string): Promise<void> {
    const inst = this.#db.instrumentation;
    try {
      if (inst.active) {
        await inst.wrap("other", sql, async () => {
          await this.#conn.exec(sql);
          return { rows: [], affected: 0, lastInsertId: undefined };
        });
      } else {
        await this.#conn.exec(sql);
      }
    } catch (error) {
      throw translateError(error, this.dialect, what);
    }
  }

  async #pragma(sql: string): Promise<unknown> {
    const r = await this.#conn.run(`pragma ${sql}`, [], false);
    const row = r.rows[0] as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }

  async #beginSqlite(lock: LockOptions): Promise<void> {
    const started = performance.now();
    const busy = Number(await this.#pragma("busy_timeout"));
    // better-sqlite3 waits for a lock synchronously: wait in short slices and sleep in between,
    // so a process waiting for another one's migration still answers requests (503s).
    await this.#pragma(`busy_timeout = ${SQLITE_ATTEMPT_MS}`);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.session.begin();
          return;
        } catch (e) {
          if (!isOrmError(e, "ORM_SERIALIZATION_FAILURE")) throw e;
          if (performance.now() - started >= lock.timeoutMs) throw this.#locked(lock, e);
        }
        await delay(Math.min(SQLITE_ATTEMPT_MS * 2 ** Math.min(attempt, 3), 400), undefined, {
          ...(this.#signal ? { signal: this.#signal } : {}),
        });
      }
    } finally {
      await this.#pragma(`busy_timeout = ${busy}`);
    }
  }

  async #beginPostgres(lock: LockOptions): Promise<void> {
    await this.session.begin();
    // One round trip: the key is a number this module computed, so it is inlined safely. A
    // migration may legitimately run longer than the pool's statementTimeoutMs for requests.
    const take = `set local statement_timeout = 0; select pg_advisory_xact_lock(${advisoryKey(lock.name)})`;
    try {
      await this.exec(
        lock.timeoutMs > 0
          ? `set local lock_timeout = ${Math.ceil(lock.timeoutMs)}; ${take}; set local lock_timeout to default`
          : take,
        lock.what,
      );
    } catch (e) {
      await this.session.rollback().catch(() => {});
      if (isOrmError(e) && e.details?.driverCode === "55P03") throw this.#locked(lock, e);
      throw e;
    }
  }

  #locked(lock: LockOptions, cause: unknown): OrmError {
    return new OrmError(
      "ORM_MIGRATION_LOCKED",
      `${lock.what}: another process held the ${lock.name} lock for more than ${lock.timeoutMs} ms (lockTimeoutMs); it is probably still migrating or seeding: wait for it, or raise lockTimeoutMs`,
      { cause, details: { lock: lock.name, timeoutMs: lock.timeoutMs } },
    );
  }

  async #checkForeignKeys(what: string): Promise<void> {
    const bad = await this.rows("select * from pragma_foreign_key_check limit 20");
    if (bad.length === 0) return;
    const list = bad.map(
      (r) => `${String(r.table)} rowid ${String(r.rowid)} -> ${String(r.parent)}`,
    );
    throw new OrmError(
      "ORM_FOREIGN_KEY_VIOLATION",
      `${what} left rows whose foreign keys point at missing rows (${list.join("; ")}); fix the data in the migration`,
      { details: { violations: list } },
    );
  }

  /**
   * Runs `fn` in a transaction that holds the lock: commit when it resolves, roll back (leaving
   * everything as it was) when it throws.
   */
  async transaction<T>(lock: LockOptions, fn: () => Promise<T>): Promise<T> {
    this.#signal?.throwIfAborted();
    const sqlite = this.dialect === "sqlite";
    let foreignKeys: unknown;
    if (sqlite && lock.deferForeignKeys) {
      // Foreign-key enforcement can only change outside a transaction (SQLite's procedure for
      // schema changes): off while the migration runs, checked before it commits.
      foreignKeys = await this.#pragma("foreign_keys");
      await this.#pragma("foreign_keys = off");
    }
    try {
      if (sqlite) await this.#beginSqlite(lock);
      else await this.#beginPostgres(lock);
      let result: T;
      try {
        result = await fn();
        if (sqlite && lock.deferForeignKeys) await this.#checkForeignKeys(lock.what);
      } catch (e) {
        await this.session.rollback().catch(() => {});
        throw e;
      }
      await this.session.commit();
      return result;
    } finally {
      if (foreignKeys !== undefined)
        await this.#pragma(`foreign_keys = ${Number(foreignKeys) ? "on" : "off"}`);
    }
  }

  /** Ends the run: rolls back anything open and returns the connection to the pool. */
  async close(): Promise<void> {
    await this.session.dispose().catch(() => {});
    this.#db.pool.releaseDriver(this.#conn, this.#conn.broken);
  }
}
