import type { SchemaDiff, TableChange } from "./diff.ts";
import { columnList, type DbColumn } from "./model.ts";
import {
  columnDefinition,
  createIndexSql,
  createTableSql,
  creationOrder,
  tableIndexesSql,
} from "./render-ddl.ts";
import {
  addColumnWarning,
  at,
  createTableSteps,
  dropTableStep,
  foreignKeyWarning,
  notNullWarning,
  primaryKeyWarning,
  type Step,
  typeWarning,
  uniqueWarning,
} from "./render-steps.ts";
import { ident, isConstantDefault } from "./sql-text.ts";

// SQLite: ALTER TABLE where SQLite allows it, otherwise the documented table rebuild
// (https://sqlite.org/lang_altertable.html#otheralter). The migrator runs every SQLite migration
// with foreign-key enforcement off and checks foreign keys before committing, as that procedure
// requires.

function rebuildReasons(c: TableChange): string[] {
  const reasons: string[] = [];
  for (const a of c.alterColumns) {
    if (a.type) reasons.push(`change the type of ${a.to.name}`);
    if (a.nullable) reasons.push(`change whether ${a.to.name} is nullable`);
  }
  if (c.primaryKey) reasons.push("change the primary key");
  if (c.addForeignKeys.length + c.dropForeignKeys.length > 0) reasons.push("change foreign keys");
  if (c.dropUniques.some((u) => !u.index)) reasons.push("drop a unique constraint");
  for (const col of c.addColumns) {
    if (!col.nullable && col.default === undefined) {
      reasons.push(`add the NOT NULL column ${col.name} without a default`);
    } else if (!isConstantDefault(col.default)) {
      reasons.push(`add ${col.name} with a non-constant default`);
    }
  }
  return reasons;
}

function copyExpression(from: DbColumn, to: DbColumn): string {
  if (from.nullable && !to.nullable && to.default !== undefined) {
    return `coalesce(${ident(from.name)}, ${to.default})`;
  }
  return ident(from.name);
}

function rebuildSteps(c: TableChange, reasons: readonly string[]): Step[] {
  const t = c.to;
  const temp = `__dext_new_${t.name}`;
  const fromCols = new Map(c.from.columns.map((col) => [col.name, col]));
  const copied = t.columns.filter((col) => fromCols.has(col.name));
  const names = copied.map((col) => ident(col.name)).join(", ");
  const exprs = copied.map((col) => copyExpression(fromCols.get(col.name)!, col)).join(", ");
  const steps: Step[] = [
    {
      sql: createTableSql(t, "sqlite", { name: temp }),
      comment: `rebuild "${t.name}": SQLite cannot ${reasons.join(", ")} in place, so the table is copied into a new one (views and triggers on it are not recreated)`,
    },
    {
      sql: `insert into ${ident(temp)} (${names}) select ${exprs} from ${ident(t.name)}`,
    },
    { sql: `drop table ${ident(t.name)}` },
    { sql: `alter table ${ident(temp)} rename to ${ident(t.name)}` },
    ...tableIndexesSql(t).map((sql) => ({ sql })),
  ];
  return steps;
}

function describeAlter(c: TableChange): Step[] {
  const t = c.to;
  const notes: Step[] = [];
  const note = (change: string, warning?: string): void => {
    notes.push({ change, ...(warning ? { warning } : {}) });
  };
  for (const col of c.addColumns) note(`add column ${at(t, col)}`, addColumnWarning(t, col));
  for (const col of c.dropColumns) {
    note(`drop column ${at(t, col)}`, `drops column ${at(t, col)} and its values`);
  }
  for (const a of c.alterColumns) {
    if (a.type)
      note(
        `change the type of ${at(t, a.to)} from ${a.from.type} to ${a.to.type}`,
        typeWarning(t, a),
      );
    if (a.nullable) {
      note(
        a.to.nullable ? `make ${at(t, a.to)} nullable` : `make ${at(t, a.to)} not null`,
        a.to.nullable ? undefined : notNullWarning(t, a.to),
      );
    }
  }
  if (c.primaryKey) {
    note(
      `set the primary key of ${t.name} to ${columnList(t.primaryKey?.columns ?? [])}`,
      primaryKeyWarning(t),
    );
  }
  for (const u of c.dropUniques) note(`drop unique key ${t.name}${columnList(u.columns)}`);
  for (const u of c.addUniques) {
    note(`add unique key ${t.name}${columnList(u.columns)}`, uniqueWarning(t, u.columns));
  }
  for (const fk of c.dropForeignKeys)
    note(`drop foreign key ${t.name}${columnList(fk.columns)} -> ${fk.refTable}`);
  for (const fk of c.addForeignKeys) {
    note(
      `add foreign key ${t.name}${columnList(fk.columns)} -> ${fk.refTable}`,
      foreignKeyWarning(t, fk),
    );
  }
  for (const i of c.dropIndexes) note(`drop index ${i.name}`);
  for (const i of c.addIndexes) note(`add index ${i.name}`);
  return notes;
}

function alterSqlite(c: TableChange): Step[] {
  const t = c.to;
  const reasons = rebuildReasons(c);
  // The descriptions (and their warnings) come first; a rebuild is one block of statements.
  const described = describeAlter(c);
  if (reasons.length > 0) return [...described, ...rebuildSteps(c, reasons)];
  const steps: Step[] = [...described];
  for (const i of c.dropIndexes) steps.push({ sql: `drop index ${ident(i.name)}` });
  for (const u of c.dropUniques) steps.push({ sql: `drop index ${ident(u.name!)}` });
  for (const col of c.dropColumns) {
    steps.push({ sql: `alter table ${ident(t.name)} drop column ${ident(col.name)}` });
  }
  for (const col of c.addColumns) {
    steps.push({
      sql: `alter table ${ident(t.name)} add column ${columnDefinition(col, t, "sqlite")}`,
    });
  }
  for (const u of c.addUniques) {
    steps.push({ sql: createIndexSql(t.name, { ...u, index: true }, true) });
  }
  for (const i of c.addIndexes) steps.push({ sql: createIndexSql(t.name, i, false) });
  return steps;
}

export function renderSqlite(diff: SchemaDiff): Step[] {
  return [
    ...creationOrder(diff.dropTables).order.reverse().map(dropTableStep),
    ...createTableSteps(diff.createTables, "sqlite"),
    ...diff.alterTables.flatMap(alterSqlite),
  ];
}
