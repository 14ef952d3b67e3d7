import { z } from "zod";

/** Options both dialects share. */
export interface CommonOptions {
  /** Names the database in health checks and logs (default `default`). */
  readonly name?: string | undefined;
  /** `false`: non-pooled mode, each context opens and closes its own connection (default true). */
  readonly pool?: boolean | undefined;
  /** How long an acquire waits before `ORM_POOL_TIMEOUT`, in ms (default 10000). */
  readonly acquireTimeoutMs?: number | undefined;
  /** Statements at least this slow are logged as warnings, in ms; 0 (default) turns it off. */
  readonly slowQueryMs?: number | undefined;
  /** Compiled query shapes kept per database (default 5000). */
  readonly shapeCacheSize?: number | undefined;
  /** Rows per INSERT statement when saving many new entities, on both databases (default 1000). */
  readonly insertBatchSize?: number | undefined;
  /** How long `close()` waits for lent connections before closing them anyway, in ms (default 5000). */
  readonly drainTimeoutMs?: number | undefined;
}

/** SQLite options: one writer and `readers` reader connections on a WAL database file. */
export interface SqliteOptions extends CommonOptions {
  readonly dialect: "sqlite";
  /** The database file (`:memory:` for a private in-memory database). */
  readonly filename: string;
  /** Reader connections beside the single writer (default 4). */
  readonly readers?: number | undefined;
  /** How long SQLite waits on a lock held by another process, in ms (default 5000). */
  readonly busyTimeoutMs?: number | undefined;
  /** Prepared statements cached per connection (default 500). */
  readonly statementCacheSize?: number | undefined;
  /** Extra `PRAGMA name = value` run on every connection. */
  readonly pragmas?: Readonly<Record<string, string | number>> | undefined;
}

/** PostgreSQL options: a primary pool, and a reader pool for read-only contexts. */
export interface PostgresOptions extends CommonOptions {
  readonly dialect: "postgres";
  /** `postgres://user:password@host:port/database`, or the separate fields below. */
  readonly url?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly database?: string | undefined;
  readonly ssl?: boolean | Readonly<Record<string, unknown>> | undefined;
  /** Largest number of primary connections (default 10). */
  readonly max?: number | undefined;
  /** Connections kept open even when idle (default 0). */
  readonly min?: number | undefined;
  /** Idle connections above `min` close after this long, in ms; 0 keeps them (default 30000). */
  readonly idleTimeoutMs?: number | undefined;
  /** A connection idle this long is pinged before it is lent, in ms; 0 pings every time (default 5000). */
  readonly healthCheckAfterIdleMs?: number | undefined;
  /** Connect timeout, in ms (default 10000). */
  readonly connectTimeoutMs?: number | undefined;
  /** Server-side `statement_timeout`, in ms; 0 (default) keeps the server's. */
  readonly statementTimeoutMs?: number | undefined;
  /** Where read-only contexts connect (a replica); default the primary, in read-only sessions. */
  readonly readerUrl?: string | undefined;
  /** Largest number of reader connections (default `max`). */
  readonly readerMax?: number | undefined;
  /** Name statements so each connection parses a query shape once (default true); turn off behind PgBouncer older than 1.21 in transaction mode. */
  readonly prepareStatements?: boolean | undefined;
  /** `application_name` shown in `pg_stat_activity` (default `dext`). */
  readonly applicationName?: string | undefined;
}

/**
 * The options of `createDatabase`: `dialect` picks the rest.
 *
 * @example
 * ```ts
 * const options: DatabaseOptions = { dialect: "postgres", url: process.env.DATABASE_URL, max: 20 };
 * ```
 */
export type DatabaseOptions = SqliteOptions | PostgresOptions;

type Required2<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** @internal SQLite options after defaults. */
export type ResolvedSqliteOptions = Required2<SqliteOptions>;
/** @internal PostgreSQL options after defaults (connection fields stay optional). */
export type ResolvedPostgresOptions = Required2<
  Omit<
    PostgresOptions,
    "url" | "host" | "port" | "user" | "password" | "database" | "ssl" | "readerUrl" | "readerMax"
  >
> &
  Pick<
    PostgresOptions,
    "url" | "host" | "port" | "user" | "password" | "database" | "ssl" | "readerUrl" | "readerMax"
  >;
/** @internal */
export type ResolvedOptions = ResolvedSqliteOptions | ResolvedPostgresOptions;

const common = {
  name: z.string().min(1).default("default"),
  pool: z.boolean().default(true),
  acquireTimeoutMs: z.number().int().nonnegative().default(10_000),
  slowQueryMs: z.number().nonnegative().default(0),
  shapeCacheSize: z.number().int().positive().default(5000),
  insertBatchSize: z.number().int().positive().default(1000),
  drainTimeoutMs: z.number().int().nonnegative().default(5000),
};

/** The zod schema of {@link SqliteOptions} (the `orm` config section uses it too). */
export const sqliteOptionsSchema: z.ZodType<ResolvedSqliteOptions, SqliteOptions> = z
  .object({
    dialect: z.literal("sqlite"),
    filename: z.string(),
    readers: z.number().int().positive().default(4),
    busyTimeoutMs: z.number().int().nonnegative().default(5000),
    statementCacheSize: z.number().int().positive().default(500),
    pragmas: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    ...common,
  })
  .strict();

/** The zod schema of {@link PostgresOptions}. */
export const postgresOptionsSchema: z.ZodType<ResolvedPostgresOptions, PostgresOptions> = z
  .object({
    dialect: z.literal("postgres"),
    url: z.string().optional(),
    host: z.string().optional(),
    port: z.number().int().positive().optional(),
    user: z.string().optional(),
    password: z.string().optional(),
    database: z.string().optional(),
    ssl: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
    max: z.number().int().positive().default(10),
    min: z.number().int().nonnegative().default(0),
    idleTimeoutMs: z.number().int().nonnegative().default(30_000),
    healthCheckAfterIdleMs: z.number().int().nonnegative().default(5000),
    connectTimeoutMs: z.number().int().positive().default(10_000),
    statementTimeoutMs: z.number().int().nonnegative().default(0),
    readerUrl: z.string().optional(),
    readerMax: z.number().int().positive().optional(),
    prepareStatements: z.boolean().default(true),
    applicationName: z.string().default("dext"),
    ...common,
  })
  .strict();
