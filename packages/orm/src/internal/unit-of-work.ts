import { OrmError } from "../errors.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import {
  conflict,
  deleteOrder,
  detectChanges,
  fixUp,
  insertOrder,
  manyToOnes,
  tableOrder,
} from "./change-set.ts";
import { type Convert, encoders } from "./codec.ts";
import { compileDelete, compileInsert, compileUpdate } from "./compile-write.ts";
import { type ContextCore, type Entry, originalsOf } from "./context-core.ts";
import type { QueryOutcome } from "./driver-connection.ts";
import { bind } from "./shape-cache.ts";

/** What `saveChanges()` wrote. */
export interface SaveResult {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

type Obj = Record<string, unknown>;

function values(
  meta: EntityMeta,
  obj: Obj,
  columns: readonly ColumnMeta[],
  dialect: ContextCore["dialect"],
  out: unknown[],
  at: number,
  enc: readonly Convert[] = encoders(meta, dialect),
): void {
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const v = obj[c.key];
    const e = enc[c.position];
    out[at + i] = v === undefined || v === null ? null : e === undefined ? v : e(v);
  }
}

async function exec(
  core: ContextCore,
  sql: string,
  params: readonly unknown[],
  op: "insert" | "update" | "delete",
): Promise<QueryOutcome> {
  const r = core.session.query(sql, params, op, true);
  return r instanceof Promise ? await r : r;
}

/** Most parameters one statement may bind (SQLite's default limit is 32766, PostgreSQL's 65535). */
const maxParams = { sqlite: 32766, postgres: 65535 } as const;

/**
 * Inserts one run of new entities of one entity type with multi-row INSERTs. Generated keys come
 * back through RETURNING: PostgreSQL returns the rows in VALUES order; SQLite gives a batch
 * ascending rowids in VALUES order (its writer is ours alone for the transaction), so the sorted
 * keys line up with the entities. SQLite statements run synchronously: no await holds the writer
 * on I/O.
 */
async function insertGroup(
  core: ContextCore,
  group: readonly Entry[],
  batchSize: number,
  assigned: Entry[],
): Promise<void> {
  const meta = group[0]!.meta;
  const dialect = core.dialect;
  const { compiler, shapes } = core.db;
  const gen = meta.generatedKey;
  const first = group[0]!.obj;
  const withKey = gen !== undefined && first[gen.key] !== undefined && first[gen.key] !== null;
  const columns = gen && !withKey ? meta.columns.filter((c) => c !== gen) : meta.columns;
  const needsKey = gen !== undefined && !withKey;
  const links = manyToOnes(meta).length > 0;
  const width = Math.max(1, columns.length);
  const perStatement = Math.max(1, Math.min(batchSize, Math.floor(maxParams[dialect] / width)));
  for (let k = 0; k < group.length; k += perStatement) {
    const n = Math.min(perStatement, group.length - k);
    const shape = compileInsert(compiler, shapes, meta, columns, n, needsKey);
    const params = new Array<unknown>(n * columns.length);
    const enc = encoders(meta, dialect);
    for (let j = 0; j < n; j++) {
      const obj = group[k + j]!.obj;
      if (links) fixUp(core, obj, meta, undefined);
      values(meta, obj, columns, dialect, params, j * columns.length, enc);
    }
    const r = await exec(core, shape.sql, bind(shape, params), "insert");
    if (!needsKey) continue;
    const keys = (r.rows as unknown[][]).map((row) => row[0]);
    if (keys.length !== n) {
      throw new OrmError(
        "ORM_QUERY_FAILED",
        `inserting ${n} ${meta.name} rows returned ${keys.length} generated keys; a trigger may have changed the insert`,
      );
    }
    if (dialect === "sqlite") {
      // Ascending rowids are VALUES order; numbers compare as numbers, not as text.
      keys.sort((a, b) => Number(a) - Number(b));
    }
    const bigint = gen.spec.kind === "bigint";
    for (let j = 0; j < n; j++) {
      const key = keys[j];
      group[k + j]!.obj[gen.key] = bigint
        ? BigInt(key as bigint)
        : typeof key === "bigint"
          ? Number(key)
          : key;
      assigned.push(group[k + j]!);
    }
  }
}

/**
 * Writes the tracked changes in one transaction (a savepoint inside an open one): inserts in
 * foreign-key order and batched, updates of changed columns only, deletes children first.
 * Generated keys flow back into the entities; on failure nothing is written and every entity
 * keeps its pending state.
 */
export async function saveChanges(core: ContextCore, insertBatchSize: number): Promise<SaveResult> {
  core.session.assertUsable();
  const added: Entry[] = [];
  const modified: { entry: Entry; changed: readonly ColumnMeta[] }[] = [];
  const deleted: Entry[] = [];
  let lastMeta: EntityMeta | undefined;
  let linked = false;
  for (const entry of core.entries.values()) {
    if (entry.meta !== lastMeta) {
      lastMeta = entry.meta;
      linked = manyToOnes(lastMeta).length > 0;
    }
    if (entry.state === "added") {
      entry.level = -1;
      entry.deps = undefined;
      if (linked) {
        const deps: Obj[] = [];
        fixUp(core, entry.obj, entry.meta, deps);
        if (deps.length > 0) entry.deps = deps;
      }
      added.push(entry);
    } else if (entry.state === "deleted") {
      deleted.push(entry);
    } else {
      if (linked) fixUp(core, entry.obj, entry.meta, undefined);
      const changed = detectChanges(entry);
      if (changed.length > 0) modified.push({ entry, changed });
    }
  }
  if (added.length === 0 && modified.length === 0 && deleted.length === 0) {
    return { inserted: 0, updated: 0, deleted: 0 };
  }

  const metas = new Set<EntityMeta>();
  for (const a of added) metas.add(a.meta);
  for (const d of deleted) metas.add(d.meta);
  const order = tableOrder(metas);
  const inserts = insertOrder(core, added, order);

  const dialect = core.dialect;
  const { compiler, shapes } = core.db;
  const assigned: Entry[] = [];
  await core.session.begin();
  try {
    // Runs of the same entity, level and key presence become one group of batched inserts.
    let i = 0;
    while (i < inserts.length) {
      const first = inserts[i]!;
      const gen = first.meta.generatedKey;
      const keyed = (e: Entry): boolean =>
        gen !== undefined && e.obj[gen.key] !== undefined && e.obj[gen.key] !== null;
      const firstKeyed = keyed(first);
      let j = i + 1;
      while (
        j < inserts.length &&
        inserts[j]!.meta === first.meta &&
        inserts[j]!.level === first.level &&
        keyed(inserts[j]!) === firstKeyed
      )
        j++;
      await insertGroup(
        core,
        i === 0 && j === inserts.length ? inserts : inserts.slice(i, j),
        insertBatchSize,
        assigned,
      );
      i = j;
    }

    for (const { entry, changed } of modified) {
      const meta = entry.meta;
      const shape = compileUpdate(compiler, shapes, meta, changed);
      const params: unknown[] = [];
      values(meta, entry.obj, changed, dialect, params, 0);
      values(meta, entry.obj, meta.primaryKey, dialect, params, changed.length);
      const version = meta.version ? entry.original![meta.version.position] : undefined;
      if (meta.version) params.push(version);
      const r = await exec(core, shape.sql, bind(shape, params), "update");
      if (r.affected === 0) throw conflict(meta, meta.keyOf(entry.obj), version, "updating");
    }

    for (const entry of deleteOrder(deleted, order)) {
      const meta = entry.meta;
      const shape = compileDelete(compiler, shapes, meta);
      const params: unknown[] = [];
      values(meta, entry.obj, meta.primaryKey, dialect, params, 0);
      const version = meta.version ? entry.original![meta.version.position] : undefined;
      if (meta.version) params.push(version);
      const r = await exec(core, shape.sql, bind(shape, params), "delete");
      if (r.affected === 0) throw conflict(meta, meta.keyOf(entry.obj), version, "deleting");
    }
    await core.session.commit();
  } catch (error) {
    await core.session.rollback().catch(() => {});
    for (const e of assigned) e.obj[e.meta.generatedKey!.key] = undefined;
    throw error instanceof OrmError
      ? error
      : new OrmError("ORM_QUERY_FAILED", `saveChanges failed: ${String(error)}`, { cause: error });
  }

  // Accept: the database now holds what the objects say. Snapshots of the written rows, and of
  // the rows they point at (whose included relations may have changed), are forgotten.
  const forget = core.holdsSnapshots;
  lastMeta = undefined;
  let tracked: Map<unknown, object> | undefined;
  for (let i = 0; i < added.length; i++) {
    const e = added[i]!;
    const meta = e.meta;
    if (meta !== lastMeta) {
      lastMeta = meta;
      tracked = core.trackedMap(meta);
    }
    e.state = "unchanged";
    e.deps = undefined;
    e.original = originalsOf(meta, e.obj);
    const key = meta.keyOf(e.obj);
    tracked!.set(key, e.obj);
    if (forget) {
      core.forgetSnapshot(meta, key);
      core.forgetReferenced(meta, e.obj, undefined);
    }
  }
  for (const { entry } of modified) {
    const meta = entry.meta;
    if (forget) core.forgetReferenced(meta, entry.obj, entry.original);
    if (meta.version)
      entry.obj[meta.version.key] = (entry.original![meta.version.position] as number) + 1;
    entry.original = originalsOf(meta, entry.obj);
    core.forgetSnapshot(meta, meta.keyOf(entry.obj));
  }
  for (const e of deleted) {
    const key = e.meta.keyOf(e.obj);
    core.entries.delete(e.obj);
    core.trackedMap(e.meta).delete(key);
    core.forgetSnapshot(e.meta, key);
    if (forget) core.forgetReferenced(e.meta, e.obj, e.original);
  }
  return { inserted: added.length, updated: modified.length, deleted: deleted.length };
}
