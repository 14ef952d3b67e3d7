import type { Dialect } from "../../pool/connection-pool.ts";
import type { ColumnChange } from "./diff.ts";
import { columnList, type DbColumn, type DbForeignKey, type DbTable } from "./model.ts";
import { createTableSql, creationOrder, foreignKeyClause, tableIndexesSql } from "./render-ddl.ts";
import { ident } from "./sql-text.ts";

/** One statement of a generated migration, with what it does and what it risks. */
export interface Step {
  /** Absent for a note that only describes what a following block of statements does. */
  readonly sql?: string;
  /** A one-line description (`add column users.bio`). */
  readonly change?: string;
  /** A risk to data, written above the statement as `-- WARNING:`. */
  readonly warning?: string;
  readonly comment?: string;
}

export const at = (t: DbTable, c: DbColumn | string): string =>
  `${t.name}.${typeof c === "string" ? c : c.name}`;

export function addColumnWarning(t: DbTable, c: DbColumn): string | undefined {
  if (c.nullable || c.default !== undefined || c.identity) return undefined;
  return `${at(t, c)} is NOT NULL without a default: this fails if "${t.name}" has rows; add a default, or add it nullable, backfill, then make it NOT NULL`;
}

export function typeWarning(t: DbTable, c: ColumnChange): string {
  return `changes the type of ${at(t, c.to)} from ${c.from.type} to ${c.to.type}: values that do not convert make this migration fail, and narrower types can lose precision`;
}

export function notNullWarning(t: DbTable, c: DbColumn): string | undefined {
  return c.default !== undefined
    ? undefined
    : `makes ${at(t, c)} NOT NULL: rows where it is NULL make this migration fail; backfill them first`;
}

export function dropTableStep(t: DbTable): Step {
  return {
    sql: `drop table ${ident(t.name)}`,
    change: `drop table ${t.name}`,
    warning: `drops table "${t.name}" and every row in it`,
  };
}

export function createTableSteps(tables: readonly DbTable[], dialect: Dialect): Step[] {
  const { order, deferred } = creationOrder(tables);
  const steps: Step[] = [];
  for (const t of order) {
    const later = dialect === "sqlite" ? [] : (deferred.get(t) ?? []);
    steps.push({
      sql: createTableSql(t, dialect, {
        foreignKeys: t.foreignKeys.filter((fk) => !later.includes(fk)),
      }),
      change: `create table ${t.name}`,
    });
    for (const s of tableIndexesSql(t)) steps.push({ sql: s });
  }
  if (dialect === "postgres") {
    for (const [t, fks] of deferred) {
      for (const fk of fks)
        steps.push({ sql: `alter table ${ident(t.name)} add ${foreignKeyClause(fk)}` });
    }
  }
  return steps;
}

export function uniqueWarning(t: DbTable, columns: readonly string[]): string {
  return `adds a unique key on ${t.name}${columnList(columns)}: duplicate values make this migration fail`;
}

export function foreignKeyWarning(t: DbTable, fk: DbForeignKey): string {
  return `adds a foreign key on ${t.name}${columnList(fk.columns)}: rows pointing at missing ${fk.refTable} rows make this migration fail`;
}

export function primaryKeyWarning(t: DbTable): string {
  return `changes the primary key of "${t.name}": duplicate or NULL values make this migration fail`;
}
