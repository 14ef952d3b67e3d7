import type { ServiceCollection, Token } from "@dext/core-di";
import type { QueryContext } from "../context/query-context.ts";
import type { Database } from "../database.ts";
import { OrmError } from "../errors.ts";
import { DatabaseToken } from "./tokens.ts";

/** A context class: `class AppDb extends DbContext {}`. */
export type DbContextClass<C extends QueryContext = QueryContext> = new (database: Database) => C;

/** Options of `addDbContext`. */
export interface AddDbContextOptions {
  /**
   * `transient` (default): a new context per resolution, disposed with the scope that resolved
   * it. `scoped`: one per scope (per request), shared by everything the request resolves.
   */
  readonly lifetime?: "transient" | "scoped";
  /** The database to borrow from (default {@link DatabaseToken}). */
  readonly database?: Token<Database>;
}

/**
 * Registers a context class in DI; `services.addDbContext(AppDb)` is the same call. The scope
 * that resolves it disposes it, returning its connection even when the handler threw.
 *
 * @example
 * ```ts
 * addDbContext(services, AppDb, { lifetime: "scoped" });
 * await using scope = provider.createScope();
 * const db = scope.resolve(AppDb);
 * ```
 */
export function addDbContext<C extends QueryContext>(
  services: ServiceCollection,
  context: DbContextClass<C>,
  options: AddDbContextOptions = {},
): ServiceCollection {
  const lifetime = options.lifetime ?? "transient";
  if (lifetime !== "transient" && lifetime !== "scoped") {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `addDbContext(${context?.name}): lifetime must be "transient" or "scoped", got ${JSON.stringify(lifetime)} (a singleton context would share one connection and identity map across requests)`,
    );
  }
  if (typeof context !== "function") {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      "addDbContext needs a class that extends DbContext or ReadOnlyDbContext",
    );
  }
  const provider = {
    deps: [options.database ?? DatabaseToken] as const,
    useFactory: (database: Database) => new context(database),
  };
  return lifetime === "scoped"
    ? services.addScoped(context, provider)
    : services.addTransient(context, provider);
}
