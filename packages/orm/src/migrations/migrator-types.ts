import type { Logger } from "@dext/core-di";
import type { Dialect } from "../pool/connection-pool.ts";
import type { AnyEntity } from "../schema/define-entity.ts";
import type { MigrationDefinition } from "./migration.ts";

/** Options of {@link createMigrator} (and of the `orm()` module's `migrations`). */
export interface MigratorOptions {
  /**
   * The migrations folder (a path relative to the working directory, or a `file:` URL such as
   * `new URL("./migrations", import.meta.url)`).
   */
  readonly dir?: string | URL | undefined;
  /** Migrations given in code, alongside (or instead of) the folder's. */
  readonly migrations?: readonly MigrationDefinition[] | undefined;
  /** The entities `generate()` compares with the live schema. */
  readonly entities?: readonly AnyEntity[] | undefined;
  /** The tracking table (default `dext_migrations`). */
  readonly table?: string | undefined;
  /** How long a migration waits for another process's migration to finish, in ms (default 600000). */
  readonly lockTimeoutMs?: number | undefined;
  /** Apply a pending migration that sorts before one already applied (default false: `ORM_MIGRATION_ORDER`). */
  readonly allowOutOfOrder?: boolean | undefined;
  /** Tables `generate()` leaves alone (the tracking tables always are). */
  readonly ignoreTables?: readonly (string | RegExp)[] | undefined;
  /** Each migration's name and duration are logged here. */
  readonly logger?: Logger | undefined;
  /** Called before and after each migration (the `orm()` module shows it as the host's detail). */
  readonly onProgress?: ((event: MigrationProgress) => void) | undefined;
}

/** One step of a migrator run, for progress displays. */
export interface MigrationProgress {
  /** `skipped`: another process applied (or reverted) it first. */
  readonly phase: "start" | "done" | "skipped";
  readonly direction: "up" | "down";
  readonly name: string;
  /** 1-based position in this run. */
  readonly index: number;
  readonly total: number;
  /** Set when `phase` is `done`. */
  readonly durationMs?: number;
}

/** What one migration did in a run. */
export interface MigrationRun {
  readonly name: string;
  readonly direction: "up" | "down";
  /** `skipped`: another process applied (or reverted) it while this one waited for the lock. */
  readonly status: "applied" | "reverted" | "skipped";
  readonly durationMs: number;
}

/** A migration recorded in the tracking table. */
export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly durationMs: number;
  /** Its file, or `undefined` when no file defines it any more. */
  readonly source: string | undefined;
}

/** A migration not applied yet. */
export interface PendingMigration {
  readonly name: string;
  readonly source: string;
}

/** An applied migration whose file changed since. */
export interface ChangedMigration {
  readonly name: string;
  readonly source: string;
  readonly appliedChecksum: string;
  readonly checksum: string;
}

/** Where the database stands against the migrations. */
export interface MigrationStatus {
  readonly applied: readonly AppliedMigration[];
  readonly pending: readonly PendingMigration[];
  /** Applied, then edited: `up()` refuses to run until this is resolved. */
  readonly changed: readonly ChangedMigration[];
  /** Applied, but no file defines them (the database is ahead of this code). */
  readonly missing: readonly AppliedMigration[];
  /** The last applied migration, in migration order. */
  readonly current: string | undefined;
}

/** Options of `migrator.up()`. */
export interface UpOptions {
  /** Stop after this migration (default: apply every pending one). */
  readonly to?: string | undefined;
  /** Checked between migrations: a host that is stopping ends the run after the current one. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of `migrator.down()`: how many to roll back, or down to which one (kept). */
export type DownOptions =
  | { readonly steps?: number; readonly to?: undefined; readonly signal?: AbortSignal | undefined }
  | { readonly to: string; readonly steps?: undefined; readonly signal?: AbortSignal | undefined };

/** Options of `migrator.create()`. */
export interface CreateMigrationOptions {
  /** `sql` (default): `-- up` / `-- down` sections; `ts`: `up(db)` / `down(db)` functions. */
  readonly format?: "sql" | "ts";
  /** Write a file only this dialect runs (`0004_x.postgres.sql`). */
  readonly dialect?: Dialect;
}

/** Options of `migrator.generate()`. */
export interface GenerateMigrationOptions {
  /** Overrides the migrator's `entities`. */
  readonly entities?: readonly AnyEntity[];
}

/** What `migrator.generate()` wrote (or found nothing to write). */
export interface GeneratedMigration {
  /** `0005_add_bio`. */
  readonly name: string;
  /** The file written, or `undefined` when the schema already matches the entities. */
  readonly file: string | undefined;
  /** One line per change (`add column users.bio`). */
  readonly changes: readonly string[];
  /** Where the up section can lose data or fail on existing rows (also in the file). */
  readonly warnings: readonly string[];
  readonly up: string;
  readonly down: string;
}

/**
 * Applies, rolls back, inspects, creates and generates migrations for one database. Every
 * migration runs in its own transaction under a lock (an advisory lock on PostgreSQL, the write
 * lock on SQLite), so concurrent processes apply each exactly once.
 *
 * @example
 * ```ts
 * const migrator = createMigrator(database, { dir: "migrations" });
 * await migrator.up();
 * console.log(await migrator.status());
 * ```
 */
export interface Migrator {
  readonly dialect: Dialect;
  /** The tracking table. */
  readonly table: string;
  /** The folder, resolved, when there is one. */
  readonly dir: string | undefined;
  /** Applied, pending, changed and missing migrations. */
  status(): Promise<MigrationStatus>;
  /** Applies pending migrations in order (up to `to`), each in its own transaction. */
  up(options?: UpOptions): Promise<readonly MigrationRun[]>;
  /** Rolls back the last `steps` (default 1) migrations, or every one after `to`. */
  down(options?: DownOptions): Promise<readonly MigrationRun[]>;
  /** Writes a new migration file from a template, with the next prefix; returns its path. */
  create(name: string, options?: CreateMigrationOptions): Promise<string>;
  /**
   * Compares the entities with the live schema and writes a migration (up and down SQL, warnings
   * where data can be lost) for this database's dialect. Every migration must be applied first.
   */
  generate(name: string, options?: GenerateMigrationOptions): Promise<GeneratedMigration>;
  /** Accepts edits to applied migrations by storing their new checksums; returns their names. */
  repair(): Promise<readonly string[]>;
}
