import type { DatabaseImpl } from "../database.ts";
import { fromNullable } from "../nullable.ts";
import type { Dialect } from "../pool/connection-pool.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import { freezeRow } from "../snapshot.ts";
import { entityHydrator, objectKeys } from "./codec.ts";
import { foreignKeys } from "./foreign-keys.ts";
import { addRelationSlots, relationNames } from "./relation-slots.ts";
import type { Session } from "./session.ts";

/** What the change tracker knows about one tracked object. */
export interface Entry {
  readonly meta: EntityMeta;
  readonly obj: Record<string, unknown>;
  state: "added" | "unchanged" | "deleted";
  /** Column values as last loaded or saved, by position (comparable form). */
  original: unknown[] | undefined;
  /** While saving: new objects this one must be inserted after, and its insert level. */
  deps: Record<string, unknown>[] | undefined;
  level: number;
}

/** A tracker entry. */
export function entry(
  meta: EntityMeta,
  obj: Record<string, unknown>,
  state: Entry["state"],
  original: unknown[] | undefined,
): Entry {
  return { meta, obj, state, original, deps: undefined, level: -1 };
}

type Comparable = ((value: unknown) => unknown) | undefined;

function comparatorFor(meta: EntityMeta, position: number): Comparable {
  const c = meta.columns[position]!;
  let base: Comparable;
  switch (c.spec.kind) {
    case "timestamp":
      base = (v) => (v instanceof Date ? v.getTime() : v);
      break;
    case "json":
      base = (v) => JSON.stringify(v);
      break;
    case "bytes":
      base = (v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v);
      break;
    default:
      base = undefined;
  }
  if (!c.spec.wrapped) return base;
  return (v) => {
    const plain = fromNullable(v);
    return plain === null || plain === undefined ? null : base ? base(plain) : plain;
  };
}

function comparators(meta: EntityMeta): readonly Comparable[] {
  let c = meta.cache.get("comparators") as Comparable[] | undefined;
  if (c === undefined) {
    c = meta.columns.map((_, i) => comparatorFor(meta, i));
    meta.cache.set("comparators", c);
  }
  return c;
}

/** A value in the form change detection compares (dates by time, JSON by text). */
export function comparable(meta: EntityMeta, position: number, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const f = comparators(meta)[position];
  return f === undefined ? value : f(value);
}

export function originalsOf(meta: EntityMeta, row: Record<string, unknown>): unknown[] {
  const cols = meta.columns;
  const cmp = comparators(meta);
  const out = new Array<unknown>(cols.length);
  for (let i = 0; i < cols.length; i++) {
    const v = row[cols[i]!.key];
    const f = cmp[i];
    out[i] = v === null || v === undefined ? null : f === undefined ? v : f(v);
  }
  return out;
}

/**
 * The state of one context: its session, its identity maps (one for frozen snapshots, one for
 * tracked entities) and the change tracker. Nothing here is shared between contexts.
 */
export class ContextCore {
  readonly db: DatabaseImpl;
  readonly session: Session;
  readonly dialect: Dialect;
  readonly readOnly: boolean;
  readonly name: string;
  // Maps are made on first use: a primary-key lookup through a fresh context needs one.
  #snapshots: Map<EntityMeta, Map<unknown, object>> | undefined;
  #tracked: Map<EntityMeta, Map<unknown, object>> | undefined;
  #entries: Map<object, Entry> | undefined;
  /** Tracked objects in the order they were tracked. */
  get entries(): Map<object, Entry> {
    this.#entries ??= new Map();
    return this.#entries;
  }

  constructor(
    db: DatabaseImpl,
    readOnly: boolean,
    signal: AbortSignal | undefined,
    name: string,
    session?: Session,
  ) {
    this.db = db;
    this.dialect = db.dialect;
    this.readOnly = readOnly;
    this.name = name;
    this.session = session ?? db.session(readOnly, signal, name);
  }

  snapshotMap(meta: EntityMeta): Map<unknown, object> {
    this.#snapshots ??= new Map();
    let m = this.#snapshots.get(meta);
    if (m === undefined) {
      m = new Map();
      this.#snapshots.set(meta, m);
    }
    return m;
  }

  trackedMap(meta: EntityMeta): Map<unknown, object> {
    this.#tracked ??= new Map();
    let m = this.#tracked.get(meta);
    if (m === undefined) {
      m = new Map();
      this.#tracked.set(meta, m);
    }
    return m;
  }

  /**
   * A frozen row through the snapshot identity map: the first object loaded for a key wins. Rows
   * of entities with relations get a slot per relation, so a later `include()` can fill it.
   */
  snapshot(meta: EntityMeta, raw: unknown): object {
    const row = entityHydrator(meta, this.dialect)(raw);
    const map = this.snapshotMap(meta);
    const key = meta.keyOf(row);
    const seen = map.get(key);
    if (seen !== undefined) return seen;
    if (meta.relations.size > 0) addRelationSlots(row, relationNames(meta));
    freezeRow(row, objectKeys(meta));
    map.set(key, row);
    return row;
  }

  /** A tracked row through the tracked identity map (pending edits to a loaded row are kept). */
  track(meta: EntityMeta, raw: unknown): object {
    const row = entityHydrator(meta, this.dialect)(raw);
    return this.trackObject(meta, row);
  }

  trackObject(meta: EntityMeta, row: Record<string, unknown>): object {
    const map = this.trackedMap(meta);
    const key = meta.keyOf(row);
    const seen = map.get(key);
    if (seen !== undefined) return seen;
    map.set(key, row);
    this.entries.set(row, entry(meta, row, "unchanged", originalsOf(meta, row)));
    return row;
  }

  /** Forgets a written key in the snapshot map, so the next load reads the new values. */
  forgetSnapshot(meta: EntityMeta, key: unknown): void {
    this.#snapshots?.get(meta)?.delete(key);
  }

  /** Whether any snapshot is held (a fresh context skips the bookkeeping below). */
  get holdsSnapshots(): boolean {
    if (this.#snapshots === undefined) return false;
    for (const m of this.#snapshots.values()) if (m.size > 0) return true;
    return false;
  }

  /**
   * Forgets the snapshots a written row points at through its foreign keys (with the values it
   * had, `original`, and has now): the relations included on them may no longer hold, so the
   * next load reads them afresh.
   */
  forgetReferenced(
    meta: EntityMeta,
    obj: Record<string, unknown>,
    original: readonly unknown[] | undefined,
  ): void {
    const snapshots = this.#snapshots;
    if (snapshots === undefined) return;
    const fks = foreignKeys(meta);
    for (let i = 0; i < fks.length; i++) {
      const [column, target] = fks[i]!;
      const map = snapshots.get(target.entity);
      if (map === undefined || map.size === 0) continue;
      forgetWhere(map, target, obj[column.key]);
      if (original !== undefined) forgetWhere(map, target, original[column.position]);
    }
  }

  /** Detaches everything: both identity maps and the tracker. */
  clear(): void {
    this.#snapshots?.clear();
    this.#tracked?.clear();
    this.#entries?.clear();
  }
}

function forgetWhere(map: Map<unknown, object>, target: ColumnMeta, value: unknown): void {
  if (value === null || value === undefined) return;
  const key = target.entity.primaryKey;
  if (key.length === 1 && key[0] === target) {
    map.delete(value);
    return;
  }
  // A reference to a unique column other than the key: rare, so a scan is fine.
  for (const [k, row] of map) {
    if ((row as Record<string, unknown>)[target.key] === value) map.delete(k);
  }
}
