import { Kysely } from "kysely";
import { type Database, databaseImpl } from "../database.ts";
import { OrmError } from "../errors.ts";
import { encode, objectRows } from "../internal/codec.ts";
import { collectSelect, compileSelect } from "../internal/compile-select.ts";
import { ContextCore } from "../internal/context-core.ts";
import { sessionDialect } from "../internal/kysely-dialect.ts";
import type { Session } from "../internal/session.ts";
import type { CompiledShape } from "../internal/shape-cache.ts";
import type { PoolStats } from "../pool/connection-pool.ts";
import { Condition } from "../query/condition.ts";
import { Query, type QueryMode } from "../query/query.ts";
import {
  type AnyEntity,
  type KeyOf,
  metaOf,
  type Row,
  type TableOf,
} from "../schema/define-entity.ts";
import type { EntityMeta } from "../schema/entity-meta.ts";
import type { Snapshot } from "../snapshot.ts";

/** Options of a context. */
export interface ContextOptions {
  /** Aborts waiting for a connection (a request that was cancelled): `ORM_ACQUIRE_ABORTED`. */
  readonly signal?: AbortSignal;
}

let readCore: (context: QueryContext) => ContextCore;
let nextSession: Session | undefined;

/**
 * @internal Constructs a context whose statements run on `session` (a seeder's context runs
 * inside the seeding run's locked transaction). Disposing such a context is the session
 * owner's job.
 */
export function onSession<T>(session: Session, make: () => T): T {
  nextSession = session;
  try {
    return make();
  } finally {
    nextSession = undefined;
  }
}

/** @internal The state behind a context (its session, identity maps and tracker). */
export function coreOf(context: QueryContext): ContextCore {
  return readCore(context);
}

/** @internal The metadata of an entity argument, or a clear error. */
export function entityMetaOf(entity: unknown, fn: string): EntityMeta {
  const meta = metaOf(entity);
  if (!meta) {
    throw new OrmError(
      "ORM_INVALID_QUERY",
      `${fn}() needs an entity from defineEntity(), got ${entity === null ? "null" : typeof entity}`,
    );
  }
  return meta;
}

function pkShape(core: ContextCore, meta: EntityMeta): CompiledShape {
  const cached = core.db.pkShapes.get(meta);
  if (cached !== undefined) return cached;
  const state = {
    root: meta,
    joins: [],
    where: meta.primaryKey.map((c) => new Condition("=", c, 0, undefined)),
    fields: undefined,
    extra: [],
    order: [],
    limit: undefined,
    offset: undefined,
    distinct: false,
  };
  const { key } = collectSelect(state, "rows", core.dialect);
  const shape = compileSelect(core.db.compiler, core.db.shapes, key, state, "rows", core.dialect);
  core.db.pkShapes.set(meta, shape);
  return shape;
}

/**
 * What every context can do: typed queries, primary-key lookups through the identity map, Kysely
 * on the context's connection, and disposal that returns the connection. Subclass
 * {@link DbContext} or {@link ReadOnlyDbContext}, not this. `DB` types `kysely`: give it
 * `KyselyDatabase<typeof entities>` (it is `any` unless given).
 *
 * @example
 * ```ts
 * class AppDb extends DbContext<KyselyDatabase<typeof entities>> {}
 * ```
 */
export abstract class QueryContext<DB = any> implements AsyncDisposable {
  readonly #core: ContextCore;
  #kysely: Kysely<DB> | undefined;
  readonly #database: Database;

  static {
    readCore = (context) => context.#core;
  }

  constructor(database: Database, readOnly: boolean, options: ContextOptions = {}) {
    const impl = databaseImpl(database, new.target.name);
    this.#database = database;
    const session = nextSession;
    nextSession = undefined;
    this.#core = new ContextCore(
      impl,
      readOnly,
      options.signal,
      `${new.target.name} (database "${impl.name}")`,
      session,
    );
  }

  /** The database this context borrows connections from. */
  get database(): Database {
    return this.#database;
  }

  /** Whether the context was disposed. */
  get disposed(): boolean {
    return this.#core.session.disposed;
  }

  /** Whether a connection is borrowed now (false until the first query: lazy acquire). */
  get holdsConnection(): boolean {
    return this.#core.session.holdsConnection;
  }

  /** The pool's counters. */
  poolStats(): PoolStats {
    return this.#core.db.stats();
  }

  /**
   * Kysely on this context's connection (inside its transaction, when one is open): the escape
   * hatch for queries the entity API does not express.
   */
  get kysely(): Kysely<DB> {
    this.#core.session.assertUsable();
    this.#kysely ??= new Kysely<DB>({
      dialect: sessionDialect(this.#core.dialect, () => this.#core.session, false),
    });
    return this.#kysely;
  }

  /** @internal */
  protected startQuery(entity: AnyEntity, trackable: boolean): Query<any, any, any, any> {
    const core = this.#core;
    core.session.assertUsable();
    return Query.start(core, entityMetaOf(entity, "from"), trackable);
  }

  /** @internal */
  protected async findRow(
    entity: AnyEntity,
    key: unknown,
    tracked: boolean,
  ): Promise<object | undefined> {
    const core = this.#core;
    const meta = entityMetaOf(entity, "find");
    core.session.assertUsable();
    let keys: readonly unknown[];
    if (meta.primaryKey.length === 1) {
      keys = [key];
    } else if (Array.isArray(key) && key.length === meta.primaryKey.length) {
      keys = key;
    } else {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `find(${meta.name}) needs its composite key as [${meta.primaryKey.map((c) => c.key).join(", ")}]`,
      );
    }
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === undefined || k === null) {
        throw new OrmError(
          k === undefined ? "ORM_UNDEFINED_FILTER" : "ORM_INVALID_QUERY",
          `find(${meta.name}) got ${String(k)} for ${meta.primaryKey[i]!.key}: a lookup with no key would match nothing or the wrong row; pass the key`,
          { details: { entity: meta.name } },
        );
      }
    }
    const map = tracked ? core.trackedMap(meta) : core.snapshotMap(meta);
    const hit = map.get(meta.keyOfValues(keys));
    if (hit !== undefined) return hit;
    const shape = pkShape(core, meta);
    const params =
      keys.length === 1
        ? [encode(meta.primaryKey[0]!, keys[0], core.dialect)]
        : keys.map((k, i) => encode(meta.primaryKey[i]!, k, core.dialect));
    const r = core.session.query(shape.sql, params, "select", !objectRows(core.dialect));
    const raw = (r instanceof Promise ? await r : r).rows[0] as unknown[] | undefined;
    if (raw === undefined) return undefined;
    return tracked ? core.track(meta, raw) : core.snapshot(meta, raw);
  }

  /** Rolls back an open transaction and returns the connection; safe to call twice. */
  async dispose(): Promise<void> {
    await this.#core.session.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** The query type `from(E)` starts in a context whose rows are `M`. */
export type FromQuery<E extends AnyEntity, M extends QueryMode> = Query<E, Row<E>, TableOf<E>, M>;

/** What `find` returns. */
export type Found<E extends AnyEntity> = Snapshot<Row<E>> | undefined;
export type { KeyOf };
