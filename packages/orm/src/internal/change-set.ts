import { OrmError } from "../errors.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import type { RelationMeta } from "../schema/relation.ts";
import { type ContextCore, comparable, type Entry } from "./context-core.ts";
import { foreignKeys } from "./foreign-keys.ts";

type Obj = Record<string, unknown>;

/** Entities `meta` references through foreign keys (resolved once, cached on the metadata). */
function fkTargets(meta: EntityMeta): readonly EntityMeta[] {
  let t = meta.cache.get("fk-targets") as EntityMeta[] | undefined;
  if (t === undefined) {
    t = [];
    for (const c of meta.columns) {
      const ref = c.spec.references;
      if (!ref) continue;
      try {
        const target = ref.target().meta.entity;
        if (target !== meta && !t.includes(target)) t.push(target);
      } catch (cause) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `the references() of ${meta.name}.${c.key} could not be resolved`,
          { cause },
        );
      }
    }
    meta.cache.set("fk-targets", t);
  }
  return t;
}

/** Parents before children: the order inserts go in (deletes go in reverse). */
export function tableOrder(metas: Iterable<EntityMeta>): Map<EntityMeta, number> {
  const order = new Map<EntityMeta, number>();
  const visiting = new Set<EntityMeta>();
  const visit = (m: EntityMeta): void => {
    if (order.has(m) || visiting.has(m)) return; // a cycle between tables keeps the given order
    visiting.add(m);
    for (const t of fkTargets(m)) visit(t);
    visiting.delete(m);
    order.set(m, order.size);
  };
  for (const m of metas) visit(m);
  return order;
}

/**
 * Deleted entities in delete order: children before parents. Tables go in reverse foreign-key
 * order; within that, a row that references another row being deleted (a reply and the comment
 * it answers, in one table) goes first, so a cascade from the parent never removes it early and
 * turns its own delete into a false `ORM_CONCURRENCY_CONFLICT`. References are read from the
 * values as loaded (a row removed by key alone has none to read).
 */
export function deleteOrder(deleted: readonly Entry[], order: Map<EntityMeta, number>): Entry[] {
  const byTable = [...deleted].sort((x, y) => order.get(y.meta)! - order.get(x.meta)!);
  if (deleted.length < 2) return byTable;
  // Rows by the value of each referenced column, built for the columns that are referenced.
  const index = new Map<ColumnMeta, Map<unknown, Entry>>();
  const rowsByValue = (column: ColumnMeta): Map<unknown, Entry> => {
    let m = index.get(column);
    if (m === undefined) {
      m = new Map();
      for (const e of deleted) {
        const v = e.meta === column.entity ? e.original?.[column.position] : undefined;
        if (v !== null && v !== undefined) m.set(v, e);
      }
      index.set(column, m);
    }
    return m;
  };
  const referencedBy = new Map<Entry, Entry[]>();
  for (const d of deleted) {
    for (const [column, target] of foreignKeys(d.meta)) {
      const v = d.original?.[column.position];
      if (v === null || v === undefined) continue;
      const parent = rowsByValue(target).get(v);
      if (parent === undefined || parent === d) continue;
      const list = referencedBy.get(parent);
      if (list === undefined) referencedBy.set(parent, [d]);
      else list.push(d);
    }
  }
  if (referencedBy.size === 0) return byTable;
  const out: Entry[] = [];
  const placed = new Set<Entry>();
  const visiting = new Set<Entry>();
  const place = (e: Entry): void => {
    // A cycle of rows keeps the table order: the database then reports what it refuses.
    if (placed.has(e) || visiting.has(e)) return;
    visiting.add(e);
    for (const child of referencedBy.get(e) ?? []) place(child);
    visiting.delete(e);
    placed.add(e);
    out.push(e);
  };
  for (const e of byTable) place(e);
  return out;
}

/** The many-to-one relations of an entity (what `fixUp` links), cached per relation count. */
export function manyToOnes(meta: EntityMeta): readonly RelationMeta[] {
  const cached = meta.cache.get("many-to-one") as { n: number; list: RelationMeta[] } | undefined;
  if (cached !== undefined && cached.n === meta.relations.size) return cached.list;
  const list = [...meta.relations.values()]
    .map((h) => h.meta)
    .filter((m) => m.kind === "manyToOne");
  meta.cache.set("many-to-one", { n: meta.relations.size, list });
  return list;
}

/**
 * Copies the keys of related objects assigned to many-to-one properties into the foreign keys;
 * a related object that is itself new goes into `deps` (it must be inserted first).
 */
export function fixUp(
  core: ContextCore,
  obj: Obj,
  meta: EntityMeta,
  deps: Obj[] | undefined,
): void {
  const rels = manyToOnes(meta);
  for (let i = 0; i < rels.length; i++) {
    const m = rels[i]!;
    const target = obj[m.name];
    if (target === null || target === undefined || typeof target !== "object") continue;
    const t = target as Obj;
    if (deps && core.entries.get(t)?.state === "added") {
      deps.push(t);
      continue;
    }
    const v = t[m.targetColumn.key];
    if (v !== undefined && obj[m.ownerColumn.key] !== v) obj[m.ownerColumn.key] = v;
  }
}

function levelOf(core: ContextCore, e: Entry, path: Set<Entry>): number {
  if (e.level >= 0) return e.level;
  if (e.deps === undefined) {
    e.level = 0;
    return 0;
  }
  if (path.has(e)) {
    throw new OrmError(
      "ORM_ENTITY_STATE",
      `new ${e.meta.name} entities reference each other in a cycle; save one side first, then link them`,
    );
  }
  path.add(e);
  let level = 0;
  for (const d of e.deps) {
    const de = core.entries.get(d);
    if (de?.state === "added") level = Math.max(level, levelOf(core, de, path) + 1);
  }
  path.delete(e);
  e.level = level;
  return level;
}

/**
 * New entities in insert order: by level (an entity after the new ones it points at), then by
 * table order (parents first). Already in order (the common case) costs one pass.
 */
export function insertOrder(
  core: ContextCore,
  added: Entry[],
  order: Map<EntityMeta, number>,
): Entry[] {
  const path = new Set<Entry>();
  let sorted = true;
  for (let i = 0; i < added.length; i++) {
    const a = added[i]!;
    levelOf(core, a, path);
    if (i > 0) {
      const b = added[i - 1]!;
      const later =
        b.level === a.level && b.meta !== a.meta && order.get(b.meta)! > order.get(a.meta)!;
      if (b.level > a.level || later) sorted = false;
    }
  }
  return sorted
    ? added
    : [...added].sort((x, y) => x.level - y.level || order.get(x.meta)! - order.get(y.meta)!);
}

/** The columns whose values differ from what was loaded (the version column is managed). */
export function detectChanges(entry: Entry): ColumnMeta[] {
  const meta = entry.meta;
  const obj = entry.obj;
  const cols = meta.columns;
  const original = entry.original!;
  const changed: ColumnMeta[] = [];
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (c.spec.version) continue;
    const now = comparable(meta, i, obj[c.key]);
    if (now === original[i]) continue;
    if (c.spec.primaryKey) {
      throw new OrmError(
        "ORM_ENTITY_STATE",
        `the primary key ${meta.name}.${c.key} of a tracked entity changed (from ${String(original[i])} to ${String(now)}); keys never change: remove the entity and add a new one`,
      );
    }
    changed.push(c);
  }
  return changed;
}

/** `ORM_CONCURRENCY_CONFLICT`, naming the entity, its key and the version expected. */
export function conflict(meta: EntityMeta, key: unknown, version: unknown, what: string): OrmError {
  return new OrmError(
    "ORM_CONCURRENCY_CONFLICT",
    `${what} ${meta.describeKey(key)} failed: the row was changed or deleted by someone else since it was loaded${meta.version ? ` (expected ${meta.version.key} ${String(version)})` : ""}; reload it and apply the change again`,
    { details: { entity: meta.name, key, ...(meta.version ? { version } : {}) } },
  );
}
