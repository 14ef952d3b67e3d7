import type BetterSqlite3 from "better-sqlite3";
import { OrmError } from "../errors.ts";
import { connectionId, type DriverConnection, type QueryOutcome } from "./driver-connection.ts";

type SqliteCtor = typeof BetterSqlite3;
let driver: Promise<SqliteCtor> | undefined;

/** Loads better-sqlite3 on first use, so PostgreSQL-only apps never need it installed. */
export function loadSqlite(): Promise<SqliteCtor> {
  driver ??= import("better-sqlite3").then(
    (m) => (m.default ?? m) as SqliteCtor,
    (cause: unknown) => {
      driver = undefined;
      throw new OrmError(
        "ORM_DRIVER_MISSING",
        "the sqlite dialect needs the better-sqlite3 package: pnpm add better-sqlite3",
        { cause },
      );
    },
  );
  return driver;
}

export interface SqliteConnectionOptions {
  readonly filename: string;
  readonly role: "writer" | "reader";
  readonly busyTimeoutMs: number;
  readonly statementCacheSize: number;
  readonly pragmas: Readonly<Record<string, string | number>>;
}

const EMPTY: unknown[] = [];

/** A better-sqlite3 connection with a per-connection prepared-statement cache. */
export class SqliteConnection implements DriverConnection {
  readonly id: number = connectionId();
  readonly dialect = "sqlite" as const;
  readonly role: "writer" | "reader";
  readonly sync = true;
  readonly db: BetterSqlite3.Database;
  cursorOpen = false;
  #broken = false;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  readonly #cacheSize: number;

  constructor(db: BetterSqlite3.Database, role: "writer" | "reader", cacheSize: number) {
    this.db = db;
    this.role = role;
    this.#cacheSize = cacheSize;
  }

  static async open(o: SqliteConnectionOptions): Promise<SqliteConnection> {
    const Sqlite = await loadSqlite();
    let db: BetterSqlite3.Database;
    try {
      db = new Sqlite(o.filename, { timeout: o.busyTimeoutMs });
    } catch (cause) {
      throw new OrmError(
        "ORM_CONNECTION_FAILED",
        `could not open the SQLite database "${o.filename}": ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    if (o.filename !== ":memory:" && o.filename !== "") db.pragma("journal_mode = WAL");
    db.pragma(`busy_timeout = ${Math.floor(o.busyTimeoutMs)}`);
    db.pragma("foreign_keys = ON");
    // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
    db.pragma("synchronous = NORMAL");
    for (const [k, v] of Object.entries(o.pragmas)) db.pragma(`${k} = ${v}`);
    if (o.role === "reader") db.pragma("query_only = ON");
    return new SqliteConnection(db, o.role, o.statementCacheSize);
  }

  get broken(): boolean {
    return this.#broken || !this.db.open;
  }

  #statement(sql: string, arrays: boolean): BetterSqlite3.Statement {
    const key = arrays ? sql : `o:${sql}`;
    let stmt = this.#statements.get(key);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      if (arrays && stmt.reader) stmt.raw(true);
      if (this.#statements.size >= this.#cacheSize) {
        // Drop the oldest statement: a bounded cache even if an app builds SQL dynamically.
        this.#statements.delete(this.#statements.keys().next().value!);
      }
      this.#statements.set(key, stmt);
    }
    return stmt;
  }

  runSync(sql: string, params: readonly unknown[], arrays: boolean): QueryOutcome {
    const stmt = this.#statement(sql, arrays);
    if (stmt.reader) {
      return { rows: stmt.all(...(params as unknown[])), affected: 0, lastInsertId: undefined };
    }
    const r = stmt.run(...(params as unknown[]));
    return { rows: EMPTY, affected: r.changes, lastInsertId: r.lastInsertRowid };
  }

  run(sql: string, params: readonly unknown[], arrays: boolean): Promise<QueryOutcome> {
    try {
      return Promise.resolve(this.runSync(sql, params, arrays));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async *cursor(
    sql: string,
    params: readonly unknown[],
    arrays: boolean,
    batchSize: number,
  ): AsyncGenerator<unknown[], void, undefined> {
    // A fresh statement: a cached one may be needed by other code while this one iterates.
    const stmt = this.db.prepare(sql);
    if (arrays) stmt.raw(true);
    const it = stmt.iterate(...(params as unknown[])) as IterableIterator<unknown>;
    this.cursorOpen = true;
    try {
      for (;;) {
        const batch: unknown[] = [];
        let done = false;
        while (batch.length < batchSize) {
          const n = it.next();
          if (n.done) {
            done = true;
            break;
          }
          batch.push(n.value);
        }
        if (batch.length > 0) yield batch;
        if (done) return;
      }
    } finally {
      it.return?.();
      this.cursorOpen = false;
    }
  }

  exec(sql: string): Promise<void> {
    try {
      this.db.exec(sql);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  execSync(sql: string): void {
    this.db.exec(sql);
  }

  close(): Promise<void> {
    this.#broken = true;
    this.#statements.clear();
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
