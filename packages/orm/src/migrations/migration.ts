import type { Kysely } from "kysely";
import { OrmError } from "../errors.ts";
import type { Dialect } from "../pool/connection-pool.ts";

/**
 * What a TypeScript migration's `up(db)` and `down(db)` get: Kysely on the migration's own
 * connection, inside its transaction.
 */
export type MigrationDb = Kysely<any>;

/** The second argument of a migration function. */
export interface MigrationContext {
  /** The database the migration runs on, for the rare migration that must branch. */
  readonly dialect: Dialect;
  /** `0003_add_index`. */
  readonly name: string;
}

/** One direction of a migration: SQL text, or a function that runs inside the transaction. */
export type MigrationStep =
  | string
  | ((db: MigrationDb, context: MigrationContext) => void | Promise<void>);

/** A migration given in code (`orm({ migrations: { migrations: [...] } })`) rather than a file. */
export interface MigrationDefinition {
  /** Starts with a sortable numeric prefix: `0001_create_users`, `20250114093000_add_index`. */
  readonly name: string;
  readonly up: MigrationStep;
  /** Without it, the migration cannot be rolled back (`ORM_MIGRATION_IRREVERSIBLE`). */
  readonly down?: MigrationStep | undefined;
  /** Only on this database (default: both). */
  readonly dialect?: Dialect | undefined;
  /**
   * What detects an edited migration. Default: a hash of the SQL text or the functions' source,
   * which a bundler or minifier may change; set it when shipping bundled code.
   */
  readonly checksum?: string | undefined;
}

/** `0003_add_index` -> `3n`; `undefined` without a numeric prefix. */
export function migrationPrefix(name: string): bigint | undefined {
  const m = /^(\d+)[_-]./.exec(name);
  return m ? BigInt(m[1]!) : undefined;
}

/**
 * Declares a migration in code, checked at once: a name with a sortable prefix and an `up` step.
 *
 * @example
 * ```ts
 * export const createUsers = defineMigration({
 *   name: "0001_create_users",
 *   up: "create table users (id integer primary key, email text not null unique)",
 *   down: "drop table users",
 * });
 * ```
 */
export function defineMigration(definition: MigrationDefinition): MigrationDefinition {
  const d = definition as Partial<MigrationDefinition> | undefined;
  const name = d?.name;
  if (typeof name !== "string" || migrationPrefix(name) === undefined) {
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `defineMigration: the name ${JSON.stringify(name)} needs a sortable numeric prefix, like "0001_create_users"`,
    );
  }
  for (const key of ["up", "down"] as const) {
    const step = d?.[key];
    if (step === undefined && key === "down") continue;
    if (typeof step !== "string" && typeof step !== "function") {
      throw new OrmError(
        "ORM_MIGRATION_INVALID",
        `defineMigration(${name}): ${key} must be SQL text or a function (db) => ..., got ${step === null ? "null" : typeof step}`,
      );
    }
  }
  if (d?.dialect !== undefined && d.dialect !== "postgres" && d.dialect !== "sqlite") {
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `defineMigration(${name}): dialect must be "postgres" or "sqlite"`,
    );
  }
  return Object.freeze({ ...definition });
}
