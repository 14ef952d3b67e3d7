import { type ColumnDefinitionBuilder, type Expression, type Kysely, sql } from "kysely";
import { type Database, databaseImpl } from "../database.ts";
import { OrmError } from "../errors.ts";
import type { Dialect } from "../pool/connection-pool.ts";
import type { ColumnSpec } from "./column.ts";
import { type AnyEntity, metaOf } from "./define-entity.ts";
import type { ColumnMeta, EntityMeta } from "./entity-meta.ts";

/**
 * The SQL type a column has on a dialect: what `createTables` declares and what schema
 * validation and generated migrations compare against.
 *
 * @example
 * ```ts
 * columnSqlType(col.timestamp().spec, "postgres"); // "timestamptz"
 * ```
 */
export function columnSqlType(spec: ColumnSpec, dialect: Dialect): string {
  const pg = dialect === "postgres";
  switch (spec.kind) {
    case "int":
      return "integer";
    case "bigint":
      return pg ? "bigint" : "integer";
    case "real":
      return pg ? "double precision" : "real";
    case "decimal":
      return pg
        ? spec.precision !== undefined
          ? `numeric(${spec.precision}, ${spec.scale ?? 0})`
          : "numeric"
        : "numeric";
    case "text":
      return "text";
    case "varchar":
      return pg ? `varchar(${spec.length})` : "text";
    case "boolean":
      return pg ? "boolean" : "integer";
    case "timestamp":
      return pg ? "timestamptz" : "text";
    case "date":
      return pg ? "date" : "text";
    case "json":
      return pg ? "jsonb" : "text";
    case "uuid":
      return pg ? "uuid" : "text";
    case "bytes":
      return pg ? "bytea" : "blob";
  }
}

function defaultExpr(c: ColumnMeta, dialect: Dialect): Expression<unknown> | unknown | undefined {
  const d = c.spec.default;
  if (d === undefined) return undefined;
  if (d.kind === "now") {
    return dialect === "postgres" ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
  }
  if (d.kind === "uuid") return dialect === "postgres" ? sql`gen_random_uuid()` : undefined;
  const v = d.value;
  if (v === null) return null;
  if (c.spec.kind === "json") return JSON.stringify(v);
  if (typeof v === "boolean" && dialect === "sqlite") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v;
}

function column(
  b: ColumnDefinitionBuilder,
  c: ColumnMeta,
  meta: EntityMeta,
  dialect: Dialect,
): ColumnDefinitionBuilder {
  const s = c.spec;
  if (s.primaryKey && meta.primaryKey.length === 1) b = b.primaryKey();
  if (s.generated && dialect === "postgres") b = b.generatedByDefaultAsIdentity();
  if (!s.nullable && !(s.primaryKey && dialect === "sqlite" && s.generated)) b = b.notNull();
  if (s.unique === true) b = b.unique();
  const d = defaultExpr(c, dialect);
  if (d !== undefined) b = b.defaultTo(d);
  if (s.references) {
    const t = s.references.target().meta;
    b = b.references(`${t.entity.table}.${t.dbName}`).onDelete(s.references.onDelete);
    if (s.references.onUpdate !== "no action") b = b.onUpdate(s.references.onUpdate);
  }
  return b;
}

/** Parents first, so foreign keys point at tables that exist. */
function ordered(metas: readonly EntityMeta[]): EntityMeta[] {
  const out: EntityMeta[] = [];
  const seen = new Set<EntityMeta>();
  const visit = (m: EntityMeta): void => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const c of m.columns) {
      const t = c.spec.references?.target().meta.entity;
      if (t && t !== m && metas.includes(t)) visit(t);
    }
    out.push(m);
  };
  for (const m of metas) visit(m);
  return out;
}

async function create(
  k: Kysely<any>,
  meta: EntityMeta,
  dialect: Dialect,
  ifNotExists: boolean,
): Promise<void> {
  let t = k.schema.createTable(meta.table);
  if (ifNotExists) t = t.ifNotExists();
  for (const c of meta.columns) {
    t = t.addColumn(c.dbName, sql.raw(columnSqlType(c.spec, dialect)), (b) =>
      column(b, c, meta, dialect),
    );
  }
  if (meta.primaryKey.length > 1) {
    t = t.addPrimaryKeyConstraint(
      `${meta.table}_pkey`,
      meta.primaryKey.map((c) => c.dbName) as never,
    );
  }
  for (const c of meta.columns) {
    if (typeof c.spec.unique === "string")
      t = t.addUniqueConstraint(c.spec.unique, [c.dbName] as never);
  }
  for (const idx of meta.indexes) {
    if (idx.unique) {
      t = t.addUniqueConstraint(
        idx.name ?? `${meta.table}_${idx.columns.join("_")}_key`,
        idx.columns.map((k) => meta.column(k).dbName) as never,
      );
    }
  }
  await t.execute();
  for (const c of meta.columns) {
    if (c.spec.index === false) continue;
    let i = k.schema.createIndex(
      typeof c.spec.index === "string" ? c.spec.index : `${meta.table}_${c.dbName}_idx`,
    );
    if (ifNotExists) i = i.ifNotExists();
    await i.on(meta.table).column(c.dbName).execute();
  }
  for (const idx of meta.indexes) {
    if (idx.unique) continue;
    let i = k.schema.createIndex(idx.name ?? `${meta.table}_${idx.columns.join("_")}_idx`);
    if (ifNotExists) i = i.ifNotExists();
    await i
      .on(meta.table)
      .columns(idx.columns.map((key) => meta.column(key).dbName))
      .execute();
  }
}

/**
 * Creates the tables (with keys, foreign keys, unique constraints and indexes) for entities, in
 * one transaction and in foreign-key order. For tests, prototypes and first deployments; evolving
 * a schema is the migrator's job.
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
  const metas = entities.map((e) => {
    const m = metaOf(e);
    if (!m)
      throw new OrmError("ORM_INVALID_ENTITY", "createTables() takes entities from defineEntity()");
    return m;
  });
  await db.kysely.transaction().execute(async (trx) => {
    for (const m of ordered(metas)) await create(trx, m, db.dialect, options.ifNotExists ?? false);
  });
}
