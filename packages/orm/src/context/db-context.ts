import type { Database } from "../database.ts";
import { OrmError } from "../errors.ts";
import { entry, originalsOf } from "../internal/context-core.ts";
import { newEntity } from "../internal/new-entity.ts";
import type { TransactionOptions } from "../internal/session.ts";
import { type SaveResult, saveChanges } from "../internal/unit-of-work.ts";
import type { AnyEntity, KeyOf, Row } from "../schema/define-entity.ts";
import type { AddInput } from "../schema/relation.ts";
import type { Snapshot } from "../snapshot.ts";
import {
  type ContextOptions,
  coreOf,
  entityMetaOf,
  type FromQuery,
  QueryContext,
} from "./query-context.ts";

/** The state of an object in a context's change tracker. */
export type EntityState = "added" | "unchanged" | "modified" | "deleted" | "detached";

/**
 * A unit of work over one database: typed queries (frozen snapshots by default), tracked entities
 * whose changes `saveChanges()` writes in one transaction, an identity map, transactions with
 * savepoints, and lazy connection use. Subclass it for your app and register it with
 * `services.addDbContext(AppDb)`; dispose it (`await using`) to return its connection.
 *
 * @example
 * ```ts
 * class AppDb extends DbContext {}
 * await using db = new AppDb(database);
 * const user = db.add(User, { email: "ada@example.com", name: "Ada" });
 * await db.saveChanges(); // user.id is set
 * const same = await db.find(User, user.id); // frozen snapshot
 * ```
 */
export class DbContext<DB = any> extends QueryContext<DB> {
  #saves = 0;

  constructor(database: Database, options: ContextOptions = {}) {
    super(database, false, options);
  }

  /** Starts a typed query of `entity` (rows are frozen snapshots; `.tracked()` for entities). */
  from<E extends AnyEntity>(entity: E): FromQuery<E, "snapshot"> {
    return this.startQuery(entity, true);
  }

  /** The row with this primary key, as a frozen snapshot (the identity map answers repeats). */
  find<E extends AnyEntity>(entity: E, key: KeyOf<E>): Promise<Snapshot<Row<E>> | undefined>;
  /** The row with this primary key, tracked: change it and `saveChanges()`. */
  find<E extends AnyEntity>(
    entity: E,
    key: KeyOf<E>,
    options: { readonly tracked: true },
  ): Promise<Row<E> | undefined>;
  find(
    entity: AnyEntity,
    key: unknown,
    options?: { readonly tracked?: boolean },
  ): Promise<unknown> {
    return this.findRow(entity, key, options?.tracked === true);
  }

  /**
   * Tracks a new entity: it is inserted by the next `saveChanges()`, which fills generated keys.
   * Defaults (`.default()`, `.defaultNow()`, `.defaultRandom()`) are applied here. A related
   * object assigned to a many-to-one relation property links the foreign key when saved.
   */
  add<E extends AnyEntity>(entity: E, values: AddInput<E>): Row<E> {
    const core = coreOf(this);
    core.session.assertUsable();
    const meta = entityMetaOf(entity, "add");
    if (values === null || typeof values !== "object") {
      throw new OrmError("ORM_ENTITY_STATE", `add(${meta.name}) needs an object of column values`);
    }
    const obj = newEntity(meta, values as Record<string, unknown>);
    core.entries.set(obj, entry(meta, obj, "added", undefined));
    return obj as Row<E>;
  }

  /**
   * Marks a tracked entity for deletion (a new one is simply forgotten), or deletes an untracked
   * row by entity and key (or snapshot, whose version is checked).
   */
  remove(entity: object): void;
  remove<E extends AnyEntity>(entity: E, keyOrRow: KeyOf<E> | Snapshot<Row<E>>): void;
  remove(target: object, keyOrRow?: unknown): void {
    const core = coreOf(this);
    core.session.assertUsable();
    if (keyOrRow === undefined) {
      const entry = core.entries.get(target);
      if (!entry) {
        throw new OrmError(
          "ORM_ENTITY_STATE",
          "remove(row): the object is not tracked by this context; use remove(Entity, key) or load it with .tracked()",
        );
      }
      if (entry.state === "added") core.entries.delete(target);
      else entry.state = "deleted";
      return;
    }
    const meta = entityMetaOf(target, "remove");
    const row: Record<string, unknown> =
      keyOrRow !== null && typeof keyOrRow === "object" && !Array.isArray(keyOrRow)
        ? { ...(keyOrRow as Record<string, unknown>) }
        : {};
    if (Object.keys(row).length === 0) {
      const keys = meta.primaryKey.length === 1 ? [keyOrRow] : (keyOrRow as unknown[]);
      meta.primaryKey.forEach((c, i) => {
        row[c.key] = keys[i];
      });
      if (meta.version) {
        throw new OrmError(
          "ORM_ENTITY_STATE",
          `remove(${meta.name}, key): ${meta.name} has a version column, so pass the loaded row (its version is checked), not only the key`,
        );
      }
    }
    for (const c of meta.primaryKey) {
      if (row[c.key] === undefined || row[c.key] === null) {
        throw new OrmError(
          "ORM_UNDEFINED_FILTER",
          `remove(${meta.name}): the key ${c.key} is ${String(row[c.key])}`,
        );
      }
    }
    const existing = core.trackedMap(meta).get(meta.keyOf(row));
    if (existing !== undefined) {
      core.entries.get(existing)!.state = "deleted";
      return;
    }
    for (const c of meta.columns) if (!(c.key in row)) row[c.key] = null;
    core.trackedMap(meta).set(meta.keyOf(row), row);
    core.entries.set(row, entry(meta, row, "deleted", originalsOf(meta, row)));
  }

  /**
   * Starts tracking a row loaded as a snapshot (or received from a client): returns a mutable
   * copy whose later changes `saveChanges()` writes. The version it carries is the one checked.
   */
  attach<E extends AnyEntity>(entity: E, row: Snapshot<Row<E>> | Row<E>): Row<E> {
    const core = coreOf(this);
    core.session.assertUsable();
    const meta = entityMetaOf(entity, "attach");
    const copy: Record<string, unknown> = {};
    for (const c of meta.columns) {
      const v = (row as Record<string, unknown>)[c.key];
      if (v === undefined) {
        throw new OrmError(
          "ORM_ENTITY_STATE",
          `attach(${meta.name}): the row has no value for "${c.key}"; attach whole rows`,
        );
      }
      copy[c.key] = v instanceof Date ? new Date(v.getTime()) : v;
    }
    return core.trackObject(meta, copy) as Row<E>;
  }

  /** Where an object stands in the change tracker (`modified` is computed by comparing values). */
  stateOf(row: object): EntityState {
    const entry = coreOf(this).entries.get(row);
    if (!entry) return "detached";
    if (entry.state !== "unchanged") return entry.state;
    const now = originalsOf(entry.meta, row as Record<string, unknown>);
    return now.some((v, i) => v !== entry.original![i]) ? "modified" : "unchanged";
  }

  /** Stops tracking everything and empties the identity maps. */
  clear(): void {
    coreOf(this).clear();
  }

  /**
   * Writes every pending change in one transaction (a savepoint inside `transaction()`): inserts
   * parents before children and batches them, updates only changed columns (checking the version
   * column: `ORM_CONCURRENCY_CONFLICT`), deletes children before parents.
   */
  async saveChanges(): Promise<SaveResult> {
    const core = coreOf(this);
    const inTx = core.session.inTransaction;
    const r = await saveChanges(core, core.db.options.insertBatchSize);
    if (inTx && r.inserted + r.updated + r.deleted > 0) this.#saves++;
    return r;
  }

  /**
   * Runs `fn` in a transaction on this context: commit when it resolves, roll back when it
   * throws. Nested calls become savepoints. If a rolled-back transaction had saved changes, the
   * context forgets what it tracked (those objects no longer match the database).
   */
  async transaction<T>(fn: (tx: this) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const session = coreOf(this).session;
    await session.begin(options);
    const saves = this.#saves;
    let result: T;
    try {
      result = await fn(this);
    } catch (error) {
      await session.rollback().catch(() => {});
      if (this.#saves !== saves) {
        coreOf(this).clear();
        this.#saves = saves;
      }
      throw error;
    }
    await session.commit();
    return result;
  }
}
