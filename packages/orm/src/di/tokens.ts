import { type Token, token } from "@dext/core-di";
import type { Database } from "../database.ts";

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
