import type { Logger } from "@dext/core-di";
import type { Telemetry } from "@dext/telemetry";
import { Kysely } from "kysely";
import type { z } from "zod";
import {
  type DatabaseOptions,
  postgresOptionsSchema,
  type ResolvedOptions,
  type ResolvedPostgresOptions,
  sqliteOptionsSchema,
} from "./database-options.ts";
import { OrmError } from "./errors.ts";
import type { DriverPool } from "./internal/driver-pool.ts";
import { Instrumentation, type QueryEvent } from "./internal/instrumentation.ts";
import { sessionDialect } from "./internal/kysely-dialect.ts";
import { PgConnection, type PgConnectionOptions } from "./internal/pg-connection.ts";
import { Session } from "./internal/session.ts";
import { type CompiledShape, ShapeCache } from "./internal/shape-cache.ts";
import { SqliteConnection } from "./internal/sqlite-connection.ts";
import type { ConnectionPool, Dialect, PoolStats } from "./pool/connection-pool.ts";
import { PostgresPool } from "./pool/postgres-pool.ts";
import { SqlitePool } from "./pool/sqlite-pool.ts";
import { UnpooledConnections } from "./pool/unpooled.ts";
import type { EntityMeta } from "./schema/entity-meta.ts";

/** What a database reports to: a logger (slow queries) and telemetry (spans and metrics). */
export interface DatabaseServices {
  readonly logger?: Logger | undefined;
  /** A span per statement and `db_query_duration_seconds`, from @dext/telemetry. */
  readonly telemetry?: Telemetry | undefined;
}

/** What `database.ping()` reports. */
export interface PingResult {
  readonly latencyMs: number;
  readonly stats: PoolStats;
}

/**
 * A configured database: its pool, a Kysely instance over that pool, query statistics hooks and
 * the compiled-query cache its contexts share. Contexts (`new MyDb(database)`) borrow from it.
 * `DB` types `kysely` (see `KyselyDatabase`); it is `any` unless given.
 *
 * @example
 * ```ts
 * const database = createDatabase({ dialect: "sqlite", filename: "app.db" });
 * await using db = new AppDb(database);
 * await database.close();
 * ```
 */
export interface Database<DB = any> extends AsyncDisposable {
  readonly name: string;
  readonly dialect: Dialect;
  readonly pool: ConnectionPool;
  /** Kysely over the pool, for anything the entity API does not cover (DDL, reports). */
  readonly kysely: Kysely<DB>;
  stats(): PoolStats;
  /**
   * Runs `select 1` through the pool: the readiness check. On SQLite it runs on a reader
   * connection, so it answers while a migration holds the writer.
   */
  ping(signal?: AbortSignal): Promise<PingResult>;
  /** Calls `listener` after every statement (SQL without values, rows, duration, error). */
  onQuery(listener: (event: QueryEvent) => void): () => void;
  /** Opens the minimum connections and checks the database answers. */
  open(): Promise<void>;
  /** Stops lending, waits up to `drainTimeoutMs` for lent connections, closes everything. */
  close(): Promise<void>;
  readonly closed: boolean;
}

/** @internal The parts contexts use. */
export class DatabaseImpl implements Database {
  readonly name: string;
  readonly dialect: Dialect;
  readonly pool: DriverPool;
  readonly instrumentation: Instrumentation;
  readonly shapes: ShapeCache;
  /** Compiles query shapes; never executes. */
  readonly compiler: Kysely<any>;
  readonly kysely: Kysely<any>;
  readonly options: ResolvedOptions;
  readonly acquireTimeoutMs: number;
  /** Primary-key lookup shapes per entity (the leanest path: no shape key to build). */
  readonly pkShapes: WeakMap<EntityMeta, CompiledShape> = new WeakMap();
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions, services: DatabaseServices = {}) {
    this.options = options;
    this.name = options.name;
    this.dialect = options.dialect;
    this.acquireTimeoutMs = options.acquireTimeoutMs;
    this.pool = makePool(options);
    this.instrumentation = new Instrumentation(
      options.dialect,
      services.logger,
      options.slowQueryMs,
      services.telemetry,
    );
    this.shapes = new ShapeCache(options.shapeCacheSize);
    const noSession = (): Session => {
      throw new OrmError("ORM_INVALID_QUERY", "the shape compiler never executes queries");
    };
    this.compiler = new Kysely({ dialect: sessionDialect(options.dialect, noSession, true) });
    this.kysely = new Kysely({
      dialect: sessionDialect(
        options.dialect,
        () => this.session(false, undefined, `database "${this.name}"`),
        true,
      ),
    });
  }

  /** A new session (what each context, and each Kysely connection, runs on). */
  session(readOnly: boolean, signal: AbortSignal | undefined, what: string): Session {
    return new Session(this, readOnly, signal, what);
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  async ping(signal?: AbortSignal): Promise<PingResult> {
    const start = performance.now();
    const s = this.session(false, signal, `health check of database "${this.name}"`);
    try {
      // A read: on SQLite it runs on a reader, so readiness answers while a migration or a
      // long transaction holds the single writer (PostgreSQL pings on a primary connection).
      await s.query("select 1", [], "select", true);
    } finally {
      await s.dispose();
    }
    return { latencyMs: performance.now() - start, stats: this.pool.stats() };
  }

  onQuery(listener: (event: QueryEvent) => void): () => void {
    return this.instrumentation.listen(listener);
  }

  async open(): Promise<void> {
    await this.pool.warm();
    await this.ping();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const drained = this.pool.drain();
      const ms = this.options.drainTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        drained.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), ms);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      if (late) {
        // Contexts that were never disposed still hold connections: close them anyway.
        await this.pool.destroyInUse();
        await drained;
      }
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function pgConnection(
  o: ResolvedPostgresOptions,
  url: string | undefined,
  readOnly: boolean,
): PgConnectionOptions {
  return {
    connectionString: url,
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    ssl: o.ssl,
    applicationName: o.applicationName,
    connectTimeoutMs: o.connectTimeoutMs,
    statementTimeoutMs: o.statementTimeoutMs,
    readOnly,
    prepare: o.prepareStatements,
  };
}

function makePool(o: ResolvedOptions): DriverPool {
  if (o.dialect === "sqlite") {
    if (!o.pool) {
      return new UnpooledConnections("sqlite", () =>
        SqliteConnection.open({
          filename: o.filename,
          role: "writer",
          busyTimeoutMs: o.busyTimeoutMs,
          statementCacheSize: o.statementCacheSize,
          pragmas: o.pragmas,
        }),
      );
    }
    return new SqlitePool({
      filename: o.filename,
      readers: o.readers,
      busyTimeoutMs: o.busyTimeoutMs,
      acquireTimeoutMs: o.acquireTimeoutMs,
      statementCacheSize: o.statementCacheSize,
      pragmas: o.pragmas,
    });
  }
  const primary = pgConnection(o, o.url, false);
  if (!o.pool) {
    return new UnpooledConnections("postgres", (intent) =>
      PgConnection.open(intent === "read" ? { ...primary, readOnly: true } : primary),
    );
  }
  return new PostgresPool({
    connection: primary,
    readerConnection: o.readerUrl !== undefined ? pgConnection(o, o.readerUrl, true) : undefined,
    max: o.max,
    min: o.min,
    readerMax: o.readerMax ?? o.max,
    acquireTimeoutMs: o.acquireTimeoutMs,
    idleTimeoutMs: o.idleTimeoutMs,
    healthCheckAfterIdleMs: o.healthCheckAfterIdleMs,
  });
}

/** Formats zod issues as `path: message` lines. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => `  - ${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("\n");
}

/** Validates options and applies defaults; throws `ORM_INVALID_CONFIG` listing every problem. */
export function resolveOptions(
  options: DatabaseOptions,
  where = "createDatabase",
): ResolvedOptions {
  const dialect = (options as { dialect?: unknown } | undefined)?.dialect;
  if (dialect !== "sqlite" && dialect !== "postgres") {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `${where}: dialect must be "sqlite" or "postgres", got ${JSON.stringify(dialect)}`,
    );
  }
  const schema = dialect === "sqlite" ? sqliteOptionsSchema : postgresOptionsSchema;
  const r = schema.safeParse(options);
  if (!r.success) {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `${where}: invalid ${dialect} options:\n${describeIssues(r.error.issues)}`,
    );
  }
  const o = r.data as ResolvedOptions;
  if (o.dialect === "postgres" && o.url === undefined && o.host === undefined) {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `${where}: postgres needs a url (postgres://user@host:5432/db) or a host`,
    );
  }
  return o;
}

/**
 * Creates a database from options. Nothing connects until the first query (or `open()`). The
 * type argument types `database.kysely`: `createDatabase<KyselyDatabase<typeof entities>>(...)`.
 *
 * @example
 * ```ts
 * const database = createDatabase({ dialect: "postgres", url: process.env.DATABASE_URL, max: 20 });
 * const sqlite = createDatabase({ dialect: "sqlite", filename: "data/app.db", readers: 4 });
 * const traced = createDatabase(options, { telemetry: createTelemetry({ serviceName: "app" }) });
 * const typed = createDatabase<KyselyDatabase<typeof entities>>(options);
 * ```
 */
export function createDatabase<DB = any>(
  options: DatabaseOptions,
  services: DatabaseServices = {},
): Database<DB> {
  return new DatabaseImpl(resolveOptions(options), services) as Database<DB>;
}

/** @internal The implementation behind a {@link Database}; throws for anything else. */
export function databaseImpl(database: Database, where: string): DatabaseImpl {
  if (!(database instanceof DatabaseImpl)) {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `${where} needs a Database from createDatabase() (or the orm() module), got ${database === null ? "null" : typeof database}`,
    );
  }
  return database;
}
