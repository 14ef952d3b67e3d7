import type { Dialect } from "../../pool/connection-pool.ts";
import { columnSqlType } from "../../schema/column-sql-type.ts";
import type { EntityMeta } from "../../schema/entity-meta.ts";
import type { DbColumn, DbForeignKey, DbIndex, DbSchema, DbTable, DbUnique } from "./model.ts";
import { columnSet } from "./model.ts";
import { autoName, defaultSql } from "./sql-text.ts";

/** The table an entity describes, with the names `createTables` and migrations give things. */
export function entityTable(meta: EntityMeta, dialect: Dialect): DbTable {
  const t = meta.table;
  const pk = new Set(meta.primaryKey);
  const columns: DbColumn[] = meta.columns.map((c) => ({
    name: c.dbName,
    type: columnSqlType(c.spec, dialect),
    nullable: c.spec.nullable && !pk.has(c),
    default: defaultSql(c.spec, dialect),
    identity: dialect === "postgres" && c.spec.generated,
  }));
  const pkColumns = meta.primaryKey.map((c) => c.dbName);
  const uniques: DbUnique[] = [];
  const seen = new Set([columnSet(pkColumns)]);
  const addUnique = (name: string, cols: string[]): void => {
    const key = columnSet(cols);
    if (seen.has(key)) return;
    seen.add(key);
    uniques.push({ name, columns: cols, index: false });
  };
  const indexes: DbIndex[] = [];
  const foreignKeys: DbForeignKey[] = [];
  for (const c of meta.columns) {
    const s = c.spec;
    if (s.unique !== false) {
      addUnique(typeof s.unique === "string" ? s.unique : autoName(t, c.dbName, "key"), [c.dbName]);
    }
    if (s.index !== false) {
      indexes.push({
        name: typeof s.index === "string" ? s.index : autoName(t, c.dbName, "idx"),
        columns: [c.dbName],
      });
    }
    if (s.references) {
      const target = s.references.target().meta;
      foreignKeys.push({
        name: autoName(t, c.dbName, "fkey"),
        columns: [c.dbName],
        refTable: target.entity.table,
        refColumns: [target.dbName],
        onDelete: s.references.onDelete,
        onUpdate: s.references.onUpdate,
      });
    }
  }
  for (const idx of meta.indexes) {
    const cols = idx.columns.map((k) => meta.column(k).dbName);
    if (idx.unique) addUnique(idx.name ?? autoName(t, ...cols, "key"), cols);
    else indexes.push({ name: idx.name ?? autoName(t, ...cols, "idx"), columns: cols });
  }
  return {
    name: t,
    columns,
    primaryKey: { name: autoName(t, "pkey"), columns: pkColumns },
    uniques,
    foreignKeys,
    indexes,
    entity: meta,
  };
}

/** The schema a list of entities describes. */
export function entitySchema(metas: readonly EntityMeta[], dialect: Dialect): DbSchema {
  return { dialect, tables: new Map(metas.map((m) => [m.table, entityTable(m, dialect)])) };
}
