import { type Token, token } from "@dext/core-di";
import type { Database } from "../database.ts";
import type { Migrator } from "../migrations/migrator-types.ts";

/**
 * Where the `orm()` module registers its {@link Database} (a named database gets its own token
 * from {@link databaseToken}).
 *
 * @example
 * ```ts
 * const database = provider.resolve(DatabaseToken);
 * ```
 */
export const DatabaseToken: Token<Database> = token<Database>("Database");

const named = new Map<string, Token<Database>>();

/**
 * The token of a named database: `orm({ name: "analytics" })` registers under
 * `databaseToken("analytics")`; `"default"` is {@link DatabaseToken}.
 *
 * @example
 * ```ts
 * services.addDbContext(AnalyticsDb, { database: databaseToken("analytics") });
 * ```
 */
export function databaseToken(name: string): Token<Database> {
  if (name === "default") return DatabaseToken;
  let t = named.get(name);
  if (t === undefined) {
    t = token<Database>(`Database:${name}`);
    named.set(name, t);
  }
  return t;
}

/**
 * Where the `orm()` module registers its {@link Migrator} when it has migrations (for a CLI or an
 * admin endpoint); a named database's migrator is under {@link migratorToken}.
 *
 * @example
 * ```ts
 * const status = await host.services.resolve(MigratorToken).status();
 * ```
 */
export const MigratorToken: Token<Migrator> = token<Migrator>("Migrator");

const namedMigrators = new Map<string, Token<Migrator>>();

/**
 * The token of a named database's migrator (`"default"` is {@link MigratorToken}).
 *
 * @example
 * ```ts
 * await host.services.resolve(migratorToken("analytics")).up();
 * ```
 */
export function migratorToken(name: string): Token<Migrator> {
  if (name === "default") return MigratorToken;
  let t = namedMigrators.get(name);
  if (t === undefined) {
    t = token<Migrator>(`Migrator:${name}`);
    namedMigrators.set(name, t);
  }
  return t;
}
