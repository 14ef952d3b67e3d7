import type { DbForeignKey, DbSchema, DbTable } from "./model.ts";
import { columnList, columnSet } from "./model.ts";
import { sameType } from "./types.ts";

function entityName(t: DbTable): string {
  const e = t.entity;
  if (e === undefined) return `table ${t.name}`;
  return `entity ${e.name}${e.source !== undefined ? ` (${e.source})` : ""}`;
}

const fkTarget = (fk: DbForeignKey): string => `"${fk.refTable}"${columnList(fk.refColumns)}`;

function compareTable(
  live: DbTable,
  want: DbTable,
  dialect: DbSchema["dialect"],
  out: string[],
): void {
  const entity = entityName(want);
  const liveCols = new Map(live.columns.map((c) => [c.name, c]));
  const wantNames = new Set(want.columns.map((c) => c.name));
  for (const w of want.columns) {
    const l = liveCols.get(w.name);
    const name = `column "${want.name}.${w.name}"`;
    if (l === undefined) {
      out.push(`${name} of ${entity} is missing from the database`);
      continue;
    }
    if (!sameType(dialect, l.type, w.type)) {
      out.push(`${name} is ${l.type || "untyped"} in the database but ${w.type} in ${entity}`);
    }
    if (l.nullable !== w.nullable) {
      out.push(
        `${name} is ${l.nullable ? "nullable" : "NOT NULL"} in the database but ${w.nullable ? "nullable" : "NOT NULL"} in ${entity}`,
      );
    }
    if (dialect === "postgres" && w.identity && !l.identity) {
      out.push(`${name} is not generated in the database but .generated() in ${entity}`);
    }
  }
  for (const l of live.columns) {
    if (!wantNames.has(l.name) && !l.nullable && l.default === undefined && !l.identity) {
      out.push(
        `column "${live.name}.${l.name}" is NOT NULL without a default in the database but not declared in ${entity}, so inserts would fail`,
      );
    }
  }
  const livePk = live.primaryKey?.columns ?? [];
  const wantPk = want.primaryKey?.columns ?? [];
  if (columnSet(livePk) !== columnSet(wantPk)) {
    out.push(
      livePk.length === 0
        ? `table "${want.name}" has no primary key in the database but ${columnList(wantPk)} in ${entity}`
        : `the primary key of "${want.name}" is ${columnList(livePk)} in the database but ${columnList(wantPk)} in ${entity}`,
    );
  }
  const liveUniques = new Set(live.uniques.map((u) => columnSet(u.columns)));
  // A primary key is unique too: a unique key on the same columns is already enforced.
  liveUniques.add(columnSet(livePk));
  for (const u of want.uniques) {
    if (!liveUniques.has(columnSet(u.columns))) {
      out.push(
        `unique key "${want.name}"${columnList(u.columns)} of ${entity} is missing from the database`,
      );
    }
  }
  for (const fk of want.foreignKeys) {
    const sameLink = live.foreignKeys.filter(
      (l) =>
        l.columns.join(",") === fk.columns.join(",") &&
        l.refTable === fk.refTable &&
        l.refColumns.join(",") === fk.refColumns.join(","),
    );
    const what = `foreign key "${want.name}"${columnList(fk.columns)} -> ${fkTarget(fk)}`;
    if (sameLink.length === 0) {
      out.push(`${what} of ${entity} is missing from the database`);
      continue;
    }
    if (sameLink.some((l) => l.onDelete === fk.onDelete && l.onUpdate === fk.onUpdate)) continue;
    const l = sameLink[0]!;
    if (l.onDelete !== fk.onDelete) {
      out.push(
        `${what} is on delete ${l.onDelete} in the database but ${fk.onDelete} in ${entity}`,
      );
    }
    if (l.onUpdate !== fk.onUpdate) {
      out.push(
        `${what} is on update ${l.onUpdate} in the database but ${fk.onUpdate} in ${entity}`,
      );
    }
  }
}

/**
 * Every way the live schema differs from what the entities declare, as sentences. Tables and
 * columns the entities do not mention are fine, unless they would make the entities' inserts fail.
 */
export function schemaMismatches(live: DbSchema, want: DbSchema): string[] {
  const out: string[] = [];
  for (const w of want.tables.values()) {
    const l = live.tables.get(w.name);
    if (l === undefined) {
      out.push(`table "${w.name}" of ${entityName(w)} is missing from the database`);
      continue;
    }
    compareTable(l, w, want.dialect, out);
  }
  return out;
}
