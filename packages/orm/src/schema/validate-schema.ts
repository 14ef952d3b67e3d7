import { type Database, databaseImpl } from "../database.ts";
import { OrmError } from "../errors.ts";
import { schemaMismatches } from "../internal/schema/compare.ts";
import { entitySchema } from "../internal/schema/entity-schema.ts";
import { readSchema } from "../internal/schema/read-schema.ts";
import { checkEntities } from "./check-entities.ts";
import type { AnyEntity } from "./define-entity.ts";

/** Options of {@link validateSchema}. */
export interface ValidateSchemaOptions {
  /** Stops the introspection queries from waiting for a connection. */
  readonly signal?: AbortSignal;
}

/**
 * Compares the live database with the entities (tables, columns, types, nullability, primary,
 * unique and foreign keys) and throws one `ORM_SCHEMA_MISMATCH` listing every difference, so an
 * app never serves requests against a schema its code does not match. The entity declarations
 * are checked first (`ORM_INVALID_ENTITY`): foreign keys and relations must resolve to entities in
 * the list. The `orm()` module runs it at startup when given `entities`.
 *
 * @example
 * ```ts
 * await validateSchema(database, [User, Post, Tag, PostTag]);
 * // OrmError ORM_SCHEMA_MISMATCH: the database schema does not match the entities (1 mismatch):
 * //   - column "users.email" is text in the database but integer in entity User (src/user.ts:3)
 * ```
 */
export async function validateSchema(
  database: Database,
  entities: readonly AnyEntity[],
  options: ValidateSchemaOptions = {},
): Promise<void> {
  const db = databaseImpl(database, "validateSchema");
  const metas = checkEntities(entities, "validateSchema", { complete: true });
  const live = await readSchema(db, { signal: options.signal });
  const mismatches = schemaMismatches(live, entitySchema(metas, db.dialect));
  if (mismatches.length === 0) return;
  const n = mismatches.length;
  throw new OrmError(
    "ORM_SCHEMA_MISMATCH",
    `the ${db.dialect} database "${db.name}" does not match the entities (${n} ${n === 1 ? "mismatch" : "mismatches"}):\n${mismatches.map((m) => `  - ${m}`).join("\n")}\nRun the pending migrations (or generate one with migrator.generate()) and start again.`,
    { details: { mismatches } },
  );
}
