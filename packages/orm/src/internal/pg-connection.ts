import type pg from "pg";
import type Cursor from "pg-cursor";
import { OrmError } from "../errors.ts";
import { connectionId, type DriverConnection, type QueryOutcome } from "./driver-connection.ts";

type PgModule = typeof pg;
let driver: Promise<PgModule> | undefined;
let cursorDriver: Promise<typeof Cursor> | undefined;

function missing(pkg: string, cause: unknown): OrmError {
  return new OrmError(
    "ORM_DRIVER_MISSING",
    `the postgres dialect needs the ${pkg} package: pnpm add ${pkg}`,
    { cause },
  );
}

/** Loads pg on first use, so SQLite-only apps never need it installed. */
export function loadPg(): Promise<PgModule> {
  driver ??= import("pg").then(
    (m) => (m.default ?? m) as PgModule,
    (cause: unknown) => {
      driver = undefined;
      throw missing("pg", cause);
    },
  );
  return driver;
}

function loadCursor(): Promise<typeof Cursor> {
  cursorDriver ??= import("pg-cursor").then(
    (m) => (m.default ?? m) as typeof Cursor,
    (cause: unknown) => {
      cursorDriver = undefined;
      throw missing("pg-cursor", cause);
    },
  );
  return cursorDriver;
}

/** Connection settings for one PostgreSQL server. */
export interface PgConnectionOptions {
  readonly connectionString: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly database: string | undefined;
  readonly ssl: boolean | Readonly<Record<string, unknown>> | undefined;
  readonly applicationName: string;
  readonly connectTimeoutMs: number;
  /** `statement_timeout` in ms; 0 leaves the server's default. */
  readonly statementTimeoutMs: number;
  readonly readOnly: boolean;
  /** Prepare statements by name on first use (one parse per connection and SQL text). */
  readonly prepare: boolean;
}

// int8 as bigint (no silent precision loss) and `date` as its YYYY-MM-DD text (no time zone).
const INT8 = 20;
const DATE = 1082;
const parseBigInt = (v: string): bigint => BigInt(v);
const keepText = (v: string): string => v;

// One name per SQL text for the whole process: pg remembers per connection which names it has
// prepared, and a name must always mean the same text.
const statementNames = new Map<string, string>();
const MAX_NAMED = 2000;
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= MAX_NAMED) return undefined;
    name = `dext_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** A pg.Client with typed results, named prepared statements and cursor streaming. */
export class PgConnection implements DriverConnection {
  readonly id: number = connectionId();
  readonly dialect = "postgres" as const;
  readonly role: "primary" | "reader";
  readonly sync = false;
  readonly client: pg.Client;
  cursorOpen = false;
  #broken = false;
  readonly #prepare: boolean;

  constructor(client: pg.Client, role: "primary" | "reader", prepare: boolean) {
    this.client = client;
    this.role = role;
    this.#prepare = prepare;
    // An idle connection the server closed emits 'error'; without a listener it would crash.
    client.on("error", () => {
      this.#broken = true;
    });
    client.on("end", () => {
      this.#broken = true;
    });
  }

  static async open(o: PgConnectionOptions): Promise<PgConnection> {
    const pgm = await loadPg();
    const options: string[] = [];
    if (o.statementTimeoutMs > 0) options.push(`-c statement_timeout=${o.statementTimeoutMs}`);
    if (o.readOnly) options.push("-c default_transaction_read_only=on");
    const client = new pgm.Client({
      ...(o.connectionString !== undefined ? { connectionString: o.connectionString } : {}),
      ...(o.host !== undefined ? { host: o.host } : {}),
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.user !== undefined ? { user: o.user } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.database !== undefined ? { database: o.database } : {}),
      ...(o.ssl !== undefined ? { ssl: o.ssl as pg.ClientConfig["ssl"] } : {}),
      application_name: o.applicationName,
      connectionTimeoutMillis: o.connectTimeoutMs,
      ...(options.length > 0 ? { options: options.join(" ") } : {}),
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === INT8
            ? parseBigInt
            : oid === DATE
              ? keepText
              : pgm.types.getTypeParser(oid, format as "text")) as never,
      },
    });
    const connection = new PgConnection(client, o.readOnly ? "reader" : "primary", o.prepare);
    try {
      await client.connect();
    } catch (cause) {
      client.end().catch(() => {});
      throw new OrmError(
        "ORM_CONNECTION_FAILED",
        `could not connect to PostgreSQL at ${describeTarget(o)}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    return connection;
  }

  get broken(): boolean {
    return this.#broken;
  }

  runSync(): QueryOutcome {
    throw new TypeError("PostgreSQL connections are asynchronous");
  }

  async run(sql: string, params: readonly unknown[], arrays: boolean): Promise<QueryOutcome> {
    const name = this.#prepare ? statementName(sql) : undefined;
    const r = await this.client.query({
      text: sql,
      values: params as unknown[],
      ...(arrays ? { rowMode: "array" as const } : {}),
      ...(name !== undefined ? { name } : {}),
    });
    return { rows: r.rows, affected: r.rowCount ?? 0, lastInsertId: undefined };
  }

  async *cursor(
    sql: string,
    params: readonly unknown[],
    arrays: boolean,
    batchSize: number,
  ): AsyncGenerator<unknown[], void, undefined> {
    const CursorCtor = await loadCursor();
    const cursor = this.client.query(
      new CursorCtor(sql, params as unknown[], arrays ? { rowMode: "array" } : {}),
    );
    this.cursorOpen = true;
    try {
      for (;;) {
        const rows = await cursor.read(batchSize);
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) return;
      }
    } finally {
      this.cursorOpen = false;
      await cursor.close().catch(() => {
        this.#broken = true;
      });
    }
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async close(): Promise<void> {
    this.#broken = true;
    await this.client.end().catch(() => {});
  }
}

/** `host:port/database` without the password, for messages. */
export function describeTarget(o: PgConnectionOptions): string {
  if (o.connectionString !== undefined) {
    try {
      const u = new URL(o.connectionString);
      return `${u.hostname}:${u.port || 5432}${u.pathname}`;
    } catch {
      return "(unparsable connection string)";
    }
  }
  return `${o.host ?? "localhost"}:${o.port ?? 5432}/${o.database ?? ""}`;
}
