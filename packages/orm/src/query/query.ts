import { OrmError } from "../errors.ts";
import { entityHydrator, objectRows } from "../internal/codec.ts";
import {
  collectSelect,
  compileSelect,
  type Field,
  type JoinState,
  type SelectMode,
  type SelectState,
} from "../internal/compile-select.ts";
import type { ContextCore } from "../internal/context-core.ts";
import type { IncludeSpec } from "../internal/include-loader.ts";
import { materialize } from "../internal/materialize.ts";
import { bind, type CompiledShape } from "../internal/shape-cache.ts";
import type { AnyColumnRef, ColumnRef, SortDirection } from "../schema/column-ref.ts";
import type { AnyEntity, TableOf } from "../schema/define-entity.ts";
import type { EntityMeta } from "../schema/entity-meta.ts";
import {
  type IncludedProps,
  type IncludedValue,
  Relation,
  type RelationName,
  type RelationTarget,
} from "../schema/relation.ts";
import { freezeSnapshot } from "../snapshot.ts";
import { Condition } from "./condition.ts";
import type { QueryMode, QueryResult, ReadOf, SelectedRow, StreamOptions } from "./query-types.ts";

export type { QueryMode, QueryResult, SelectedRow, StreamOptions } from "./query-types.ts";

/** @internal */
export interface QueryState {
  readonly select: SelectState;
  readonly includes: readonly IncludeSpec[];
  readonly tracked: boolean;
  readonly trackable: boolean;
}

function relationMeta(rel: unknown, fn: string) {
  if (!(rel instanceof Relation)) {
    throw new OrmError(
      "ORM_INVALID_QUERY",
      `${fn}() needs a relation (User.posts), got ${typeof rel}`,
    );
  }
  return rel.meta;
}

/**
 * A typed query over an entity, built from column references and run by `all()`, `first()`,
 * `count()`, `exists()` or `stream()`. Each method returns a new query, so a base query can be
 * shared. Rows are frozen snapshots unless `.tracked()` asks for entities to change and save.
 *
 * @example
 * ```ts
 * const recent = await db
 *   .from(Post)
 *   .where(and(Post.authorId.eq(userId), Post.publishedAt.isNotNull()))
 *   .orderBy(Post.publishedAt, "desc")
 *   .limit(20)
 *   .include(Post.author)
 *   .all();
 * ```
 */
export class Query<
  E extends AnyEntity,
  R,
  Tables extends string,
  M extends QueryMode = "snapshot",
> {
  declare readonly "~mode"?: M;
  readonly #core: ContextCore;
  readonly #s: QueryState;

  /** @internal Use `db.from(Entity)`. */
  constructor(core: ContextCore, state: QueryState) {
    this.#core = core;
    this.#s = state;
  }

  /** @internal */
  static start(core: ContextCore, meta: EntityMeta, trackable: boolean): Query<any, any, any, any> {
    return new Query(core, {
      select: {
        root: meta,
        joins: [],
        where: [],
        fields: undefined,
        extra: [],
        order: [],
        limit: undefined,
        offset: undefined,
        distinct: false,
      },
      includes: [],
      tracked: false,
      trackable,
    });
  }

  #with(patch: Partial<SelectState>, more: Partial<QueryState> = {}): any {
    return new Query(this.#core, { ...this.#s, ...more, select: { ...this.#s.select, ...patch } });
  }

  #tables(): Set<EntityMeta> {
    const s = this.#s.select;
    return new Set([s.root, ...s.joins.map((j) => j.entity)]);
  }

  #checkColumn(ref: AnyColumnRef, fn: string): void {
    if (ref === undefined || ref === null || typeof ref !== "object" || !("meta" in ref)) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `${fn}() needs a column reference (User.name), got ${String(ref)}`,
      );
    }
    if (!this.#tables().has(ref.meta.entity)) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `${fn}(${ref.meta.entity.name}.${ref.meta.key}): ${ref.meta.entity.name} is not in this query; join it first (.join(relation))`,
      );
    }
  }

  #checkCondition(c: Condition, fn: string): void {
    if (c.column) this.#checkColumn({ meta: c.column } as AnyColumnRef, fn);
    for (const i of c.items ?? []) this.#checkCondition(i, fn);
  }

  /** Adds a filter; several `where` calls all apply (AND). */
  where(condition: Condition<Tables>): Query<E, R, Tables, M> {
    if (condition === undefined) {
      throw new OrmError(
        "ORM_UNDEFINED_FILTER",
        `where() got undefined on a query of ${this.#s.select.root.name}: pass a condition, or leave the where() out`,
      );
    }
    if (!(condition instanceof Condition)) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        "where() needs a condition built from a column (User.id.eq(id))",
      );
    }
    this.#checkCondition(condition, "where");
    return this.#with({ where: [...this.#s.select.where, condition] });
  }

  #join(rel: Relation<any, any, any, any>, left: boolean): any {
    const m = relationMeta(rel, left ? "leftJoin" : "join");
    const tables = this.#tables();
    if (!tables.has(m.owner)) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `join(${m.owner.name}.${m.name}): ${m.owner.name} is not in this query`,
      );
    }
    const joins: JoinState[] = [...this.#s.select.joins];
    if (m.kind === "manyToOne") {
      joins.push({
        entity: m.target,
        entityColumn: m.targetColumn,
        otherColumn: m.ownerColumn,
        left,
      });
    } else if (m.kind === "oneToMany") {
      joins.push({
        entity: m.target,
        entityColumn: m.targetColumn,
        otherColumn: m.ownerColumn,
        left,
      });
    } else {
      const t = m.through!;
      joins.push({ entity: t.entity, entityColumn: t.toOwner, otherColumn: m.ownerColumn, left });
      joins.push({ entity: m.target, entityColumn: m.targetColumn, otherColumn: t.toTarget, left });
    }
    // Joining a to-many relation repeats root rows; entity results are made distinct.
    const distinct =
      this.#s.select.distinct || (m.kind !== "manyToOne" && this.#s.select.fields === undefined);
    return this.#with({ joins, distinct });
  }

  /** Inner-joins a relation so conditions, ordering and `select` can use its columns. */
  join<Rel extends Relation<any, any, Tables, any>>(
    relation: Rel,
  ): Query<E, R, Tables | RelationTarget<Rel>, M> {
    return this.#join(relation, false);
  }

  /** Left-joins a relation (rows without a match stay, with NULL columns). */
  leftJoin<Rel extends Relation<any, any, Tables, any>>(
    relation: Rel,
  ): Query<E, R, Tables | RelationTarget<Rel>, M> {
    return this.#join(relation, true);
  }

  /** Returns only these columns: `select(User.id, User.name)`, or `select({ author: User.name })`. */
  select<const C extends readonly ColumnRef<Tables, string, any, any>[]>(
    ...columns: C
  ): Query<E, SelectedRow<C>, Tables, "fixed">;
  select<const O extends Readonly<Record<string, ColumnRef<Tables, string, any, any>>>>(
    columns: O,
  ): Query<E, { -readonly [K in keyof O]: ReadOf<O[K]> }, Tables, "fixed">;
  select(...args: unknown[]): any {
    if (this.#s.includes.length > 0) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        "select() and include() do not combine: include() loads whole entities",
      );
    }
    const fields: Field[] = [];
    const single =
      args.length === 1 &&
      args[0] !== null &&
      typeof args[0] === "object" &&
      !("meta" in (args[0] as object));
    const pairs: [string | undefined, unknown][] = single
      ? Object.entries(args[0] as Record<string, unknown>)
      : args.map((a) => [undefined, a]);
    if (pairs.length === 0)
      throw new OrmError("ORM_INVALID_QUERY", "select() needs at least one column");
    for (const [alias, ref] of pairs) {
      this.#checkColumn(ref as AnyColumnRef, "select");
      const column = (ref as AnyColumnRef).meta;
      fields.push({ key: alias ?? column.key, column });
    }
    return this.#with({ fields, distinct: false }, { trackable: false, tracked: false });
  }

  /** Sorts by a column; call again for a secondary order. */
  orderBy(
    column: ColumnRef<Tables, string, any, any>,
    direction: SortDirection = "asc",
  ): Query<E, R, Tables, M> {
    this.#checkColumn(column, "orderBy");
    if (direction !== "asc" && direction !== "desc") {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `orderBy direction must be "asc" or "desc", got ${String(direction)}`,
      );
    }
    return this.#with({
      order: [...this.#s.select.order, { column: column.meta, desc: direction === "desc" }],
    });
  }

  /** At most `count` rows. */
  limit(count: number): Query<E, R, Tables, M> {
    return this.#with({ limit: checkCount(count, "limit") });
  }

  /** Skips `count` rows (use with `orderBy`). */
  offset(count: number): Query<E, R, Tables, M> {
    return this.#with({ offset: checkCount(count, "offset") });
  }

  /**
   * Loads a relation of the root entity with one extra query (whatever the row count), and
   * optionally relations of the included rows: `include(User.posts, Post.tags)`.
   */
  include<
    Rel extends Relation<any, any, TableOf<E>, any>,
    const N extends readonly Relation<any, any, RelationTarget<Rel>, any>[] = [],
  >(
    relation: Rel,
    ...nested: N
  ): Query<E, R & { [K in RelationName<Rel>]: IncludedValue<Rel, IncludedProps<N>> }, Tables, M> {
    if (this.#s.select.fields !== undefined) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        "include() and select() do not combine: include() loads whole entities",
      );
    }
    const m = relationMeta(relation, "include");
    if (m.owner !== this.#s.select.root) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `include(${m.owner.name}.${m.name}) on a query of ${this.#s.select.root.name}: include relations of the queried entity`,
      );
    }
    const spec: IncludeSpec = {
      relation: m,
      nested: nested.map((n) => {
        const nm = relationMeta(n, "include");
        if (nm.owner !== m.target) {
          throw new OrmError(
            "ORM_INVALID_QUERY",
            `include(${m.owner.name}.${m.name}, ${nm.owner.name}.${nm.name}): the nested relation must belong to ${m.target.name}`,
          );
        }
        return { relation: nm, nested: [] };
      }),
    };
    return this.#with({}, { includes: [...this.#s.includes, spec] });
  }

  /** Returns tracked entities: change them and `db.saveChanges()` writes the changed columns. */
  tracked(this: Query<E, R, Tables, "snapshot">): Query<E, R, Tables, "tracked"> {
    const s = (this as Query<E, R, Tables, "snapshot">).#s;
    if (!s.trackable) {
      throw new OrmError(
        "ORM_READ_ONLY",
        "tracked() is not available here: a read-only context or a select() cannot track entities",
      );
    }
    return (this as Query<E, R, Tables, "snapshot">).#with({}, { tracked: true });
  }

  async #rows(
    mode: SelectMode,
    select: SelectState,
  ): Promise<{ rows: unknown[]; shape: CompiledShape }> {
    const core = this.#core;
    core.session.assertUsable();
    const { key, values } = collectSelect(select, mode, core.dialect);
    const shape = compileSelect(core.db.compiler, core.db.shapes, key, select, mode, core.dialect);
    const r = core.session.query(
      shape.sql,
      bind(shape, values),
      "select",
      !objectRows(core.dialect),
    );
    return { rows: (r instanceof Promise ? await r : r).rows, shape };
  }

  /** Every matching row. */
  async all(): Promise<QueryResult<R, M>[]> {
    const { rows, shape } = await this.#rows("rows", this.#s.select);
    return (await materialize(this.#core, this.#s, rows as unknown[][], shape)) as QueryResult<
      R,
      M
    >[];
  }

  /** The first matching row (in `orderBy` order), or `undefined`. */
  async first(): Promise<QueryResult<R, M> | undefined> {
    const { rows, shape } = await this.#rows("rows", { ...this.#s.select, limit: 1 });
    if (rows.length === 0) return undefined;
    return (await materialize(this.#core, this.#s, rows as unknown[][], shape))[0] as QueryResult<
      R,
      M
    >;
  }

  /** The first matching row; throws `ORM_NOT_FOUND` when there is none. */
  async firstOrThrow(): Promise<QueryResult<R, M>> {
    const row = await this.first();
    if (row === undefined) {
      throw new OrmError("ORM_NOT_FOUND", `no ${this.#s.select.root.name} matches the query`, {
        details: { entity: this.#s.select.root.name },
      });
    }
    return row;
  }

  /** How many rows match (ignores `limit`, `offset` and ordering). */
  async count(): Promise<number> {
    const { rows } = await this.#rows("count", this.#s.select);
    const row = rows[0];
    // Arrays on PostgreSQL, objects on SQLite (see objectRows).
    return Number(
      (Array.isArray(row) ? row[0] : (row as { count?: unknown } | undefined)?.count) ?? 0,
    );
  }

  /** Whether any row matches. */
  async exists(): Promise<boolean> {
    return (await this.#rows("exists", this.#s.select)).rows.length > 0;
  }

  /**
   * Streams the rows without loading them all: `for await (const row of query.stream())`.
   * Streamed rows are frozen snapshots that skip the identity map, so memory stays flat.
   */
  async *stream(options: StreamOptions = {}): AsyncGenerator<QueryResult<R, M>, void, undefined> {
    const s = this.#s;
    if (s.tracked || s.includes.length > 0) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        "stream() returns plain snapshots: drop tracked() and include() (a stream that tracked every row would keep them all in memory)",
      );
    }
    const core = this.#core;
    core.session.assertUsable();
    const batch = checkCount(options.batchSize ?? 200, "batchSize") || 200;
    const { key, values } = collectSelect(s.select, "rows", core.dialect);
    const shape = compileSelect(
      core.db.compiler,
      core.db.shapes,
      key,
      s.select,
      "rows",
      core.dialect,
    );
    const hydrate = shape.hydrate ?? entityHydrator(s.select.root, core.dialect);
    for await (const rows of core.session.stream(
      shape.sql,
      bind(shape, values),
      !objectRows(core.dialect),
      batch,
    )) {
      for (const raw of rows) yield freezeSnapshot(hydrate(raw as unknown[])) as QueryResult<R, M>;
    }
  }
}

function checkCount(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new OrmError(
      "ORM_INVALID_QUERY",
      `${what} must be a non-negative integer, got ${String(n)}`,
    );
  }
  return n;
}
