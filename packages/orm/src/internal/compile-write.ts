import type { Kysely } from "kysely";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import { type CompiledShape, type ShapeCache, Slot, toShape } from "./shape-cache.ts";

/** `INSERT INTO t (cols) VALUES (...) x rows`, optionally returning the generated key. */
export function compileInsert(
  k: Kysely<any>,
  cache: ShapeCache,
  meta: EntityMeta,
  columns: readonly ColumnMeta[],
  rows: number,
  returnKey: boolean,
): CompiledShape {
  const key = `I,${meta.id},${columns.map((c) => c.key).join(",")},${rows},${returnKey}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let slot = 0;
  const values = Array.from({ length: rows }, () => {
    const row: Record<string, Slot> = {};
    for (const c of columns) row[c.dbName] = new Slot(slot++);
    return row;
  });
  let q = k.insertInto(meta.table);
  q = columns.length === 0 ? q.defaultValues() : (q.values(values) as unknown as typeof q);
  const returning = returnKey ? meta.generatedKey : undefined;
  const compiled = returning ? q.returning(returning.dbName).compile() : q.compile();
  return cache.set(key, toShape(compiled, "insert"));
}

/**
 * `UPDATE t SET changed = ?, version = version + 1 WHERE key = ? [AND version = ?]`: only the
 * changed columns, one shape per set of changed columns.
 */
export function compileUpdate(
  k: Kysely<any>,
  cache: ShapeCache,
  meta: EntityMeta,
  changed: readonly ColumnMeta[],
): CompiledShape {
  const key = `U,${meta.id},${changed.map((c) => c.key).join(",")}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let slot = 0;
  const set: Record<string, unknown> = {};
  for (const c of changed) set[c.dbName] = new Slot(slot++);
  const version = meta.version;
  let q = k.updateTable(meta.table).set((eb) => {
    if (version) set[version.dbName] = eb(version.dbName, "+", 1);
    return set;
  });
  for (const c of meta.primaryKey) q = q.where(c.dbName, "=", new Slot(slot++));
  if (version) q = q.where(version.dbName, "=", new Slot(slot++));
  return cache.set(key, toShape(q.compile(), "update"));
}

/** `DELETE FROM t WHERE key = ? [AND version = ?]`. */
export function compileDelete(k: Kysely<any>, cache: ShapeCache, meta: EntityMeta): CompiledShape {
  const key = `D,${meta.id}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let slot = 0;
  let q = k.deleteFrom(meta.table);
  for (const c of meta.primaryKey) q = q.where(c.dbName, "=", new Slot(slot++));
  if (meta.version) q = q.where(meta.version.dbName, "=", new Slot(slot++));
  return cache.set(key, toShape(q.compile(), "delete"));
}
