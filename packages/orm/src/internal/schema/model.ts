import type { Dialect } from "../../pool/connection-pool.ts";
import type { ReferentialAction } from "../../schema/column.ts";
import type { EntityMeta } from "../../schema/entity-meta.ts";

/** One column as a schema holds it: what introspection reads and what entities declare. */
export interface DbColumn {
  readonly name: string;
  /** The SQL type as the database spells it (or as `createTables` declares it). */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as a SQL expression, verbatim; `undefined` when there is none. */
  readonly default: string | undefined;
  /** A PostgreSQL identity (or serial) column; always false on SQLite, where rowids need no marker. */
  readonly identity: boolean;
}

export interface DbPrimaryKey {
  readonly name: string | undefined;
  readonly columns: readonly string[];
}

export interface DbUnique {
  /** `undefined` for SQLite's unnamed table constraints. */
  readonly name: string | undefined;
  readonly columns: readonly string[];
  /** Made by CREATE UNIQUE INDEX rather than a table constraint (dropped with DROP INDEX). */
  readonly index: boolean;
}

export interface DbForeignKey {
  readonly name: string | undefined;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

export interface DbIndex {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface DbTable {
  readonly name: string;
  readonly columns: readonly DbColumn[];
  readonly primaryKey: DbPrimaryKey | undefined;
  readonly uniques: readonly DbUnique[];
  readonly foreignKeys: readonly DbForeignKey[];
  /** Plain (non-unique) indexes; expression and partial indexes are left out. */
  readonly indexes: readonly DbIndex[];
  /** The entity a desired table comes from (for messages). */
  readonly entity?: EntityMeta | undefined;
}

/** A whole schema: the live one (introspected) or the one the entities describe. */
export interface DbSchema {
  readonly dialect: Dialect;
  readonly tables: ReadonlyMap<string, DbTable>;
}

/** A column list as a set, for comparing keys regardless of order or name. */
export function columnSet(columns: readonly string[]): string {
  return [...columns].sort().join(",");
}

export function foreignKeySignature(fk: DbForeignKey): string {
  return `${fk.columns.join(",")}->${fk.refTable}(${fk.refColumns.join(",")})|${fk.onDelete}|${fk.onUpdate}`;
}

/** `(a, b)` for messages. */
export function columnList(columns: readonly string[]): string {
  return `(${columns.join(", ")})`;
}
