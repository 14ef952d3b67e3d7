import { sql } from "kysely";
import { DbContext } from "../context/db-context.ts";
import { coreOf, entityMetaOf } from "../context/query-context.ts";
import type { Database } from "../database.ts";
import { OrmError } from "../errors.ts";
import { encoders } from "../internal/codec.ts";
import { newEntity } from "../internal/new-entity.ts";
import type { ColumnRef } from "../schema/column-ref.ts";
import type { AnyEntity, Insert, TableOf } from "../schema/define-entity.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";

/** Options of {@link SeedDb.upsert}. */
export interface UpsertOptions<E extends AnyEntity> {
  /** The natural key rows are matched by (the primary key or a unique key of the entity). */
  readonly by:
    | ColumnRef<TableOf<E>, any, any, any>
    | readonly ColumnRef<TableOf<E>, any, any, any>[];
  /**
   * `changed` (default): an existing row gets the given values where they differ (a versioned
   * row's version is bumped only then); `none`: existing rows are left as they are (edits made
   * in the app survive a re-seed).
   */
  readonly update?: "changed" | "none";
}

// Bound parameters per statement stay under SQLite's 32766 and PostgreSQL's 65535.
const MAX_PARAMS = 30_000;

function sameColumns(a: readonly ColumnMeta[], b: readonly ColumnMeta[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

function isNaturalKey(meta: EntityMeta, cols: readonly ColumnMeta[]): boolean {
  if (sameColumns(cols, meta.primaryKey)) return true;
  if (cols.length === 1 && cols[0]!.spec.unique !== false) return true;
  return meta.indexes.some(
    (i) =>
      i.unique &&
      sameColumns(
        cols,
        i.columns.map((k) => meta.column(k)),
      ),
  );
}

/**
 * The `DbContext` a seeder gets: the whole unit-of-work API inside the seeder's transaction, plus
 * `upsert()` for idempotent seeding by natural key.
 *
 * @example
 * ```ts
 * export const demoUsers = defineSeeder({
 *   name: "demo users",
 *   environments: ["development"],
 *   async run(db) {
 *     await db.upsert(User, [{ email: "ada@example.com", name: "Ada" }], { by: User.email });
 *   },
 * });
 * ```
 */
export class SeedDb extends DbContext {
  /** The environment the seeders run for (`development`, `test`, `production`, ...). */
  readonly environment: string;

  constructor(database: Database, environment = "development") {
    super(database);
    this.environment = environment;
  }

  /**
   * Inserts rows, or updates the rows that already have their natural key: running a seeder twice
   * leaves the same data. Runs at once (not on `saveChanges()`); returns how many rows were
   * inserted or changed.
   */
  async upsert<E extends AnyEntity>(
    entity: E,
    rows: Insert<E> | readonly Insert<E>[],
    options: UpsertOptions<E>,
  ): Promise<number> {
    const meta = entityMetaOf(entity, "upsert");
    const list = (Array.isArray(rows) ? rows : [rows]) as Record<string, unknown>[];
    if (list.length === 0) return 0;
    const by = (Array.isArray(options.by) ? options.by : [options.by]) as ColumnRef[];
    const keyCols = by.map((ref) => {
      if (!(ref?.meta?.entity === meta)) {
        throw new OrmError(
          "ORM_INVALID_QUERY",
          `upsert(${meta.name}): "by" must list columns of ${meta.name}, like { by: ${meta.name}.${meta.columns[0]!.key} }`,
        );
      }
      return ref.meta;
    });
    if (keyCols.length === 0 || !isNaturalKey(meta, keyCols)) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `upsert(${meta.name}) by (${keyCols.map((c) => c.key).join(", ")}): rows can only be matched by the primary key or a unique key; declare one with .unique() or { indexes: [{ columns, unique: true }] }`,
      );
    }
    const given = new Set<string>();
    for (const row of list) {
      for (const k of Object.keys(row)) {
        if (!meta.byKey.has(k)) {
          throw new OrmError(
            "ORM_ENTITY_STATE",
            `upsert(${meta.name}): "${k}" is not a column of ${meta.name} (columns: ${[...meta.byKey.keys()].join(", ")})`,
          );
        }
        if (row[k] !== undefined) given.add(k);
      }
    }
    const full = list.map((row) => newEntity(meta, row));
    const columns = meta.columns.filter((c) => full.some((r) => r[c.key] !== undefined));
    for (const c of columns) {
      if (full.some((r) => r[c.key] === undefined)) {
        throw new OrmError(
          "ORM_ENTITY_STATE",
          `upsert(${meta.name}): some rows give "${c.key}" and some do not; give it in every row or in none`,
        );
      }
    }
    const core = coreOf(this);
    const dialect = core.dialect;
    const update = meta.columns.filter(
      (c) =>
        given.has(c.key) && !keyCols.includes(c) && !meta.primaryKey.includes(c) && !c.spec.version,
    );
    const table = meta.table;
    const ref = (c: ColumnMeta): ReturnType<typeof sql.ref> => sql.ref(`${table}.${c.dbName}`);
    const excluded = (c: ColumnMeta): ReturnType<typeof sql.ref> => sql.ref(`excluded.${c.dbName}`);
    const differs = sql.join(
      update.map((c) =>
        dialect === "postgres"
          ? sql`${ref(c)} is distinct from ${excluded(c)}`
          : sql`${ref(c)} is not ${excluded(c)}`,
      ),
      sql` or `,
    );
    const perStatement = Math.max(
      1,
      Math.min(core.db.options.insertBatchSize, Math.floor(MAX_PARAMS / columns.length)),
    );
    const enc = encoders(meta, dialect);
    let written = 0;
    for (let i = 0; i < full.length; i += perStatement) {
      const values = full.slice(i, i + perStatement).map((r) => {
        const v: Record<string, unknown> = {};
        for (const c of columns) {
          const value = r[c.key];
          const e = enc[c.position];
          v[c.dbName] = value === null || value === undefined ? null : e ? e(value) : value;
        }
        return v;
      });
      const q = this.kysely
        .insertInto(table)
        .values(values)
        .onConflict((oc) => {
          const target = oc.columns(keyCols.map((c) => c.dbName));
          if (options.update === "none" || update.length === 0) return target.doNothing();
          const set: Record<string, unknown> = {};
          for (const c of update) set[c.dbName] = excluded(c);
          if (meta.version) set[meta.version.dbName] = sql`${ref(meta.version)} + 1`;
          return target.doUpdateSet(set as never).where(differs as never);
        });
      const r = await q.executeTakeFirst();
      written += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    return written;
  }
}
