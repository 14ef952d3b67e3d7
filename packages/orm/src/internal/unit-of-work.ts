import { OrmError } from "../errors.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import { encoders } from "./codec.ts";
import { compileDelete, compileInsert, compileUpdate } from "./compile-write.ts";
import { type ContextCore, comparable, type Entry, originalsOf } from "./context-core.ts";
import type { QueryOutcome } from "./driver-connection.ts";
import { bind } from "./shape-cache.ts";

/** What `saveChanges()` wrote. */
export interface SaveResult {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

type Obj = Record<string, unknown>;

interface Added {
  readonly obj: Obj;
  readonly entry: Entry;
  readonly deps: Obj[];
  level: number;
}

interface Modified {
  readonly obj: Obj;
  readonly entry: Entry;
  readonly changed: readonly ColumnMeta[];
}

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
function tableOrder(metas: Iterable<EntityMeta>): Map<EntityMeta, number> {
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

/** Copies keys of related objects assigned to many-to-one properties into the foreign keys. */
function fixUp(core: ContextCore, obj: Obj, meta: EntityMeta, deps: Obj[] | undefined): void {
  for (const rel of meta.relations.values()) {
    const m = rel.meta;
    if (m.kind !== "manyToOne") continue;
    const target = obj[m.name];
    if (target === null || target === undefined || typeof target !== "object") continue;
    const t = target as Obj;
    const te = core.entries.get(t);
    if (te?.state === "added" && deps) {
      deps.push(t);
      continue;
    }
    const v = t[m.targetColumn.key];
    if (v !== undefined && obj[m.ownerColumn.key] !== v) obj[m.ownerColumn.key] = v;
  }
}

function levelOf(a: Added, byObj: Map<Obj, Added>, path: Set<Added>): number {
  if (a.level >= 0) return a.level;
  if (path.has(a)) {
    throw new OrmError(
      "ORM_ENTITY_STATE",
      `new ${a.entry.meta.name} entities reference each other in a cycle; save one side first, then link them`,
    );
  }
  path.add(a);
  let level = 0;
  for (const d of a.deps) {
    const da = byObj.get(d);
    if (da) level = Math.max(level, levelOf(da, byObj, path) + 1);
  }
  path.delete(a);
  a.level = level;
  return level;
}

function conflict(meta: EntityMeta, key: unknown, version: unknown, what: string): OrmError {
  return new OrmError(
    "ORM_CONCURRENCY_CONFLICT",
    `${what} ${meta.describeKey(key)} failed: the row was changed or deleted by someone else since it was loaded${meta.version ? ` (expected ${meta.version.key} ${String(version)})` : ""}; reload it and apply the change again`,
    { details: { entity: meta.name, key, ...(meta.version ? { version } : {}) } },
  );
}

function detect(obj: Obj, entry: Entry): ColumnMeta[] {
  const meta = entry.meta;
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

function values(
  meta: EntityMeta,
  obj: Obj,
  columns: readonly ColumnMeta[],
  dialect: ContextCore["dialect"],
  out: unknown[],
): void {
  const enc = encoders(meta, dialect);
  for (const c of columns) {
    const v = obj[c.key];
    const e = enc[c.position];
    out.push(v === undefined || v === null ? null : e === undefined ? v : e(v));
  }
}

async function run(
  core: ContextCore,
  sql: string,
  params: readonly unknown[],
  op: "insert" | "update" | "delete",
): Promise<QueryOutcome> {
  const r = core.session.query(sql, params, op, true);
  return r instanceof Promise ? await r : r;
}

/**
 * Writes the tracked changes in one transaction (a savepoint inside an open one): inserts in
 * foreign-key order and batched, updates of changed columns only, deletes children first.
 * Generated keys flow back into the entities; on failure nothing is written and every entity
 * keeps its pending state.
 */
export async function saveChanges(core: ContextCore, insertBatchSize: number): Promise<SaveResult> {
  core.session.assertUsable();
  const added: Added[] = [];
  const modified: Modified[] = [];
  const deleted: { obj: Obj; entry: Entry }[] = [];
  const byObj = new Map<Obj, Added>();
  for (const [o, entry] of core.entries) {
    const obj = o as Obj;
    if (entry.state === "added") {
      const a: Added = { obj, entry, deps: [], level: -1 };
      fixUp(core, obj, entry.meta, a.deps);
      added.push(a);
      byObj.set(obj, a);
    } else if (entry.state === "deleted") {
      deleted.push({ obj, entry });
    } else {
      fixUp(core, obj, entry.meta, undefined);
      const changed = detect(obj, entry);
      if (changed.length > 0) modified.push({ obj, entry, changed });
    }
  }
  if (added.length === 0 && modified.length === 0 && deleted.length === 0) {
    return { inserted: 0, updated: 0, deleted: 0 };
  }

  const metas = new Set<EntityMeta>();
  for (const a of added) metas.add(a.entry.meta);
  for (const d of deleted) metas.add(d.entry.meta);
  const order = tableOrder(metas);
  for (const a of added) levelOf(a, byObj, new Set());
  added.sort((x, y) => x.level - y.level || order.get(x.entry.meta)! - order.get(y.entry.meta)!);

  const dialect = core.dialect;
  const { compiler, shapes } = core.db;
  const assigned: { obj: Obj; key: string }[] = [];
  await core.session.begin();
  try {
    // Inserts, batched by (level, entity, column set).
    let i = 0;
    while (i < added.length) {
      const first = added[i]!;
      const meta = first.entry.meta;
      fixUp(core, first.obj, meta, undefined);
      const gen = meta.generatedKey;
      const withKey =
        gen !== undefined && first.obj[gen.key] !== undefined && first.obj[gen.key] !== null;
      const columns = gen && !withKey ? meta.columns.filter((c) => c !== gen) : meta.columns;
      let j = i + 1;
      while (
        j < added.length &&
        added[j]!.entry.meta === meta &&
        added[j]!.level === first.level &&
        (gen === undefined ||
          (added[j]!.obj[gen.key] !== undefined && added[j]!.obj[gen.key] !== null) === withKey)
      ) {
        j++;
      }
      const group = added.slice(i, j);
      i = j;
      const needsKey = gen !== undefined && !withKey;
      if (dialect === "sqlite") {
        const shape = compileInsert(compiler, shapes, meta, columns, 1, dialect);
        for (const a of group) {
          fixUp(core, a.obj, meta, undefined);
          const params: unknown[] = [];
          values(meta, a.obj, columns, dialect, params);
          const r = await run(core, shape.sql, bind(shape, params), "insert");
          if (needsKey) {
            a.obj[gen.key] =
              gen.spec.kind === "bigint" ? BigInt(r.lastInsertId!) : Number(r.lastInsertId);
            assigned.push({ obj: a.obj, key: gen.key });
          }
        }
        continue;
      }
      const perStatement = Math.max(
        1,
        Math.min(insertBatchSize, Math.floor(65535 / Math.max(1, columns.length))),
      );
      for (let k = 0; k < group.length; k += perStatement) {
        const batch = group.slice(k, k + perStatement);
        const shape = compileInsert(compiler, shapes, meta, columns, batch.length, dialect);
        const params: unknown[] = [];
        for (const a of batch) {
          fixUp(core, a.obj, meta, undefined);
          values(meta, a.obj, columns, dialect, params);
        }
        const r = await run(core, shape.sql, bind(shape, params), "insert");
        if (needsKey) {
          // PostgreSQL returns the rows of a multi-row INSERT ... VALUES in VALUES order.
          for (let n = 0; n < batch.length; n++) {
            batch[n]!.obj[gen.key] = (r.rows[n] as unknown[])[0];
            assigned.push({ obj: batch[n]!.obj, key: gen.key });
          }
        }
      }
    }

    for (const m of modified) {
      const meta = m.entry.meta;
      const shape = compileUpdate(compiler, shapes, meta, m.changed);
      const params: unknown[] = [];
      values(meta, m.obj, m.changed, dialect, params);
      values(meta, m.obj, meta.primaryKey, dialect, params);
      const version = meta.version ? m.entry.original![meta.version.position] : undefined;
      if (meta.version) params.push(version);
      const r = await run(core, shape.sql, bind(shape, params), "update");
      if (r.affected === 0) throw conflict(meta, meta.keyOf(m.obj), version, `updating`);
    }

    const reversed = [...deleted].sort(
      (x, y) => order.get(y.entry.meta)! - order.get(x.entry.meta)!,
    );
    for (const d of reversed) {
      const meta = d.entry.meta;
      const shape = compileDelete(compiler, shapes, meta);
      const params: unknown[] = [];
      values(meta, d.obj, meta.primaryKey, dialect, params);
      const version = meta.version ? d.entry.original![meta.version.position] : undefined;
      if (meta.version) params.push(version);
      const r = await run(core, shape.sql, bind(shape, params), "delete");
      if (r.affected === 0) throw conflict(meta, meta.keyOf(d.obj), version, `deleting`);
    }
    await core.session.commit();
  } catch (error) {
    await core.session.rollback().catch(() => {});
    for (const a of assigned) a.obj[a.key] = undefined;
    throw error;
  }

  // Accept: the database now holds what the objects say.
  for (const a of added) {
    const meta = a.entry.meta;
    a.entry.state = "unchanged";
    a.entry.original = originalsOf(meta, a.obj);
    const key = meta.keyOf(a.obj);
    core.trackedMap(meta).set(key, a.obj);
    core.forgetSnapshot(meta, key);
  }
  for (const m of modified) {
    const meta = m.entry.meta;
    if (meta.version)
      m.obj[meta.version.key] = (m.entry.original![meta.version.position] as number) + 1;
    m.entry.original = originalsOf(meta, m.obj);
    core.forgetSnapshot(meta, meta.keyOf(m.obj));
  }
  for (const d of deleted) {
    const meta = d.entry.meta;
    const key = meta.keyOf(d.obj);
    core.entries.delete(d.obj);
    core.trackedMap(meta).delete(key);
    core.forgetSnapshot(meta, key);
  }
  return { inserted: added.length, updated: modified.length, deleted: deleted.length };
}
