import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type Dialect as KyselyDialect,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type TransactionSettings,
} from "kysely";
import { OrmError } from "../errors.ts";
import type { Dialect } from "../pool/connection-pool.ts";
import { operationOf, type QueryOperation } from "./instrumentation.ts";
import type { Session, TransactionOptions } from "./session.ts";

const nodeOperations: Readonly<Record<string, QueryOperation>> = {
  SelectQueryNode: "select",
  InsertQueryNode: "insert",
  UpdateQueryNode: "update",
  DeleteQueryNode: "delete",
  MergeQueryNode: "update",
};

function operation(cq: CompiledQuery): QueryOperation {
  return nodeOperations[cq.query.kind] ?? operationOf(cq.sql);
}

function sqliteParams(params: readonly unknown[]): readonly unknown[] {
  // better-sqlite3 binds no booleans or dates; store them as the ORM does (1/0, ISO-8601).
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (typeof v === "boolean" || v instanceof Date) {
      out ??= params.slice();
      out[i] = typeof v === "boolean" ? (v ? 1 : 0) : v.toISOString();
    }
  }
  return out ?? params;
}

/** A Kysely connection that runs every statement through a {@link Session}. */
class SessionConnection implements DatabaseConnection {
  readonly session: Session;
  readonly #dialect: Dialect;

  constructor(session: Session, dialect: Dialect) {
    this.session = session;
    this.#dialect = dialect;
  }

  #params(cq: CompiledQuery): readonly unknown[] {
    return this.#dialect === "sqlite" ? sqliteParams(cq.parameters) : cq.parameters;
  }

  async executeQuery<R>(cq: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.session.query(cq.sql, this.#params(cq), operation(cq), false);
    return {
      rows: r.rows as R[],
      numAffectedRows: BigInt(r.affected),
      ...(r.lastInsertId !== undefined ? { insertId: BigInt(r.lastInsertId) } : {}),
    };
  }

  async *streamQuery<R>(cq: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    for await (const rows of this.session.stream(cq.sql, this.#params(cq), false, chunkSize)) {
      yield { rows: rows as R[] };
    }
  }
}

function txOptions(settings: TransactionSettings): TransactionOptions {
  const level = settings.isolationLevel;
  if (
    level !== undefined &&
    level !== "read committed" &&
    level !== "repeatable read" &&
    level !== "serializable"
  ) {
    throw new OrmError(
      "ORM_INVALID_QUERY",
      `isolation level "${level}" is not supported; use read committed, repeatable read or serializable`,
    );
  }
  return {
    ...(level !== undefined ? { isolationLevel: level } : {}),
    ...(settings.accessMode !== undefined ? { accessMode: settings.accessMode } : {}),
  };
}

/**
 * A Kysely driver over sessions: `owned` makes a session per borrowed connection (the
 * database-wide `database.kysely`), otherwise every query runs on one context's session.
 */
class SessionDriver implements Driver {
  readonly #session: () => Session;
  readonly #owned: boolean;
  readonly #dialect: Dialect;

  constructor(session: () => Session, owned: boolean, dialect: Dialect) {
    this.#session = session;
    this.#owned = owned;
    this.#dialect = dialect;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SessionConnection(this.#session(), this.#dialect);
  }

  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (c as SessionConnection).session.begin(txOptions(settings));
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await (c as SessionConnection).session.commit();
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await (c as SessionConnection).session.rollback();
  }

  async savepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#raw(c, compile, "savepoint", name);
  }

  async rollbackToSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#raw(c, compile, "rollback to", name);
  }

  async releaseSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#raw(c, compile, "release", name);
  }

  async #raw(
    c: DatabaseConnection,
    _compile: unknown,
    command: string,
    name: string,
  ): Promise<void> {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new OrmError("ORM_INVALID_QUERY", `savepoint name "${name}" must be an identifier`);
    }
    const sql =
      command === "release"
        ? `release savepoint ${name}`
        : command === "rollback to"
          ? `rollback to savepoint ${name}`
          : `savepoint ${name}`;
    await (c as SessionConnection).session.query(sql, [], "transaction", false);
  }

  async releaseConnection(c: DatabaseConnection): Promise<void> {
    if (this.#owned) await (c as SessionConnection).session.dispose();
  }

  async destroy(): Promise<void> {
    // The pools belong to the Database: close them with database.close().
  }
}

/** Kysely's dialect pieces for `dialect`, with statements going through sessions. */
export function sessionDialect(
  dialect: Dialect,
  session: () => Session,
  owned: boolean,
): KyselyDialect {
  const sqlite = dialect === "sqlite";
  return {
    createDriver: (): Driver => new SessionDriver(session, owned, dialect),
    createQueryCompiler: (): QueryCompiler =>
      sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler(),
    createAdapter: (): DialectAdapter => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector =>
      sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db),
  };
}
