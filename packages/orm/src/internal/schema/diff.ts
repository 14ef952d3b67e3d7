import type { DbColumn, DbForeignKey, DbIndex, DbSchema, DbTable, DbUnique } from "./model.ts";
import { columnSet, foreignKeySignature } from "./model.ts";
import { sameType } from "./types.ts";

export interface ColumnChange {
  readonly from: DbColumn;
  readonly to: DbColumn;
  readonly type: boolean;
  readonly nullable: boolean;
  readonly identity: boolean;
}

export interface TableChange {
  readonly from: DbTable;
  readonly to: DbTable;
  readonly addColumns: DbColumn[];
  readonly dropColumns: DbColumn[];
  readonly alterColumns: ColumnChange[];
  readonly primaryKey: boolean;
  readonly addUniques: DbUnique[];
  readonly dropUniques: DbUnique[];
  readonly addForeignKeys: DbForeignKey[];
  readonly dropForeignKeys: DbForeignKey[];
  readonly addIndexes: DbIndex[];
  readonly dropIndexes: DbIndex[];
}

/** What turns one schema into another. */
export interface SchemaDiff {
  readonly createTables: DbTable[];
  readonly dropTables: DbTable[];
  readonly alterTables: TableChange[];
}

function diffBy<T>(from: readonly T[], to: readonly T[], key: (x: T) => string): [T[], T[]] {
  const fromKeys = new Set(from.map(key));
  const toKeys = new Set(to.map(key));
  return [to.filter((x) => !fromKeys.has(key(x))), from.filter((x) => !toKeys.has(key(x)))];
}

function diffTable(from: DbTable, to: DbTable, dialect: DbSchema["dialect"]): TableChange {
  const fromCols = new Map(from.columns.map((c) => [c.name, c]));
  const toCols = new Map(to.columns.map((c) => [c.name, c]));
  const alterColumns: ColumnChange[] = [];
  for (const t of to.columns) {
    const f = fromCols.get(t.name);
    if (f === undefined) continue;
    const change = {
      from: f,
      to: t,
      type: !sameType(dialect, f.type, t.type),
      nullable: f.nullable !== t.nullable,
      identity: dialect === "postgres" && f.identity !== t.identity,
    };
    if (change.type || change.nullable || change.identity) alterColumns.push(change);
  }
  const [addUniques, dropUniques] = diffBy(from.uniques, to.uniques, (u) => columnSet(u.columns));
  const [addForeignKeys, dropForeignKeys] = diffBy(
    from.foreignKeys,
    to.foreignKeys,
    foreignKeySignature,
  );
  const [addIndexes, dropIndexes] = diffBy(from.indexes, to.indexes, (i) => i.columns.join(","));
  return {
    from,
    to,
    addColumns: to.columns.filter((c) => !fromCols.has(c.name)),
    dropColumns: from.columns.filter((c) => !toCols.has(c.name)),
    alterColumns,
    primaryKey:
      columnSet(from.primaryKey?.columns ?? []) !== columnSet(to.primaryKey?.columns ?? []),
    addUniques,
    dropUniques,
    addForeignKeys,
    dropForeignKeys,
    addIndexes,
    dropIndexes,
  };
}

export function isUnchanged(c: TableChange): boolean {
  return (
    c.addColumns.length +
      c.dropColumns.length +
      c.alterColumns.length +
      c.addUniques.length +
      c.dropUniques.length +
      c.addForeignKeys.length +
      c.dropForeignKeys.length +
      c.addIndexes.length +
      c.dropIndexes.length ===
      0 && !c.primaryKey
  );
}

/**
 * PostgreSQL will not drop a key that a foreign key depends on: such foreign keys are dropped
 * first and added again once the new key exists.
 */
function rebindForeignKeys(changes: TableChange[]): void {
  const byTable = new Map(changes.map((c) => [c.to.name, c]));
  for (const changed of changes) {
    const dropped = [
      ...(changed.primaryKey && changed.from.primaryKey ? [changed.from.primaryKey.columns] : []),
      ...changed.dropUniques.map((u) => u.columns),
    ].map(columnSet);
    if (dropped.length === 0) continue;
    for (const other of byTable.values()) {
      for (const fk of other.to.foreignKeys) {
        const depends =
          fk.refTable === changed.to.name && dropped.includes(columnSet(fk.refColumns));
        if (!depends || other.addForeignKeys.includes(fk)) continue;
        const live = other.from.foreignKeys.find(
          (f) => foreignKeySignature(f) === foreignKeySignature(fk),
        );
        if (live === undefined) continue;
        other.dropForeignKeys.push(live);
        other.addForeignKeys.push(fk);
      }
    }
  }
}

/** The changes that turn `from` into `to`; tables `ignore` accepts are left alone. */
export function diffSchemas(
  from: DbSchema,
  to: DbSchema,
  ignore: (table: string) => boolean = () => false,
): SchemaDiff {
  const createTables: DbTable[] = [];
  const dropTables: DbTable[] = [];
  const all: TableChange[] = [];
  for (const t of to.tables.values()) {
    if (ignore(t.name)) continue;
    const f = from.tables.get(t.name);
    if (f === undefined) createTables.push(t);
    else all.push(diffTable(f, t, to.dialect));
  }
  for (const f of from.tables.values()) {
    if (!ignore(f.name) && !to.tables.has(f.name)) dropTables.push(f);
  }
  if (to.dialect === "postgres") rebindForeignKeys(all);
  return { createTables, dropTables, alterTables: all.filter((c) => !isUnchanged(c)) };
}

export function isEmptyDiff(d: SchemaDiff): boolean {
  return d.createTables.length + d.dropTables.length + d.alterTables.length === 0;
}
