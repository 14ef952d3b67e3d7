import { sql } from "kysely";
import { type Database, databaseImpl } from "../database.ts";
import { entityTable } from "../internal/schema/entity-schema.ts";
import {
  createTableSql,
  creationOrder,
  foreignKeyClause,
  tableIndexesSql,
} from "../internal/schema/render-ddl.ts";
import { ident } from "../internal/schema/sql-text.ts";
import { checkEntities } from "./check-entities.ts";
import type { AnyEntity } from "./define-entity.ts";

/**
 * Creates the tables (with keys, foreign keys, unique constraints and indexes) for entities, in
 * one transaction and in foreign-key order. For tests, prototypes and first deployments; evolving
 * a schema is the migrator's job (`migrator.generate()` writes the same DDL into a migration).
 *
 * @example
 * ```ts
 * await createTables(database, [User, Post, Tag, PostTag]);
 * ```
 */
export async function createTables(
  database: Database,
  entities: readonly AnyEntity[],
  options: { readonly ifNotExists?: boolean } = {},
): Promise<void> {
  const db = databaseImpl(database, "createTables");
  const metas = checkEntities(entities, "createTables");
  const ifNotExists = options.ifNotExists ?? false;
  const { order, deferred } = creationOrder(metas.map((m) => entityTable(m, db.dialect)));
  // SQLite checks foreign keys when rows are written, so a table may name one created later.
  const inline = db.dialect === "sqlite";
  await db.kysely.transaction().execute(async (trx) => {
    for (const t of order) {
      const later = inline ? [] : (deferred.get(t) ?? []);
      const foreignKeys = t.foreignKeys.filter((fk) => !later.includes(fk));
      await sql.raw(createTableSql(t, db.dialect, { ifNotExists, foreignKeys })).execute(trx);
      for (const s of tableIndexesSql(t, ifNotExists)) await sql.raw(s).execute(trx);
    }
    if (inline) return;
    for (const [t, fks] of deferred) {
      for (const fk of fks) {
        if (ifNotExists) {
          const found = await sql<{ n: number }>`select 1 as n from pg_constraint
            where conname = ${fk.name} and conrelid = ${ident(t.name)}::regclass`.execute(trx);
          if (found.rows.length > 0) continue;
        }
        await sql.raw(`alter table ${ident(t.name)} add ${foreignKeyClause(fk)}`).execute(trx);
      }
    }
  });
}
