import { callSite } from "../internal/call-site.ts";
import type { Nullable } from "../nullable.ts";
import type { Column, ColumnInfo } from "./column.ts";
import { ColumnRef } from "./column-ref.ts";
import { EntityMeta, type IndexSpec } from "./entity-meta.ts";

/** Where an entity object keeps its metadata. */
export const entityMeta: unique symbol = Symbol("dext.orm.entity");
declare const entityTypes: unique symbol;

/** The columns an entity declares, by property name. */
export type ColumnMap = Readonly<Record<string, Column<any>>>;

type InfoOf<C> = C extends Column<infer I extends ColumnInfo> ? I : never;

/** The type a column reads as: `T`, `T | null`, or `Nullable<T>` for `.asNullable()` columns. */
export type ReadValue<C> =
  InfoOf<C> extends infer I extends ColumnInfo
    ? I["nullable"] extends true
      ? I["wrapped"] extends true
        ? Nullable<I["type"]>
        : I["type"] | null
      : I["type"]
    : never;

/** The type a column accepts on insert and update. */
export type WriteValue<C> =
  InfoOf<C> extends infer I extends ColumnInfo
    ? I["nullable"] extends true
      ? I["wrapped"] extends true
        ? I["type"] | null | Nullable<I["type"]>
        : I["type"] | null
      : I["type"]
    : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A row of the columns `C`, as a tracked (mutable) entity. */
export type RowOf<C extends ColumnMap> = { -readonly [K in keyof C]: ReadValue<C[K]> };

/** What `db.add()` takes for the columns `C`: generated, defaulted and nullable ones are optional. */
export type InsertOf<C extends ColumnMap> = Simplify<
  {
    -readonly [K in keyof C as InfoOf<C[K]>["optional"] extends true ? never : K]: WriteValue<C[K]>;
  } & {
    -readonly [K in keyof C as InfoOf<C[K]>["optional"] extends true ? K : never]?: WriteValue<
      C[K]
    >;
  }
>;

/** The type-level facts of an entity: table name, columns and relations. */
export interface EntityTypes<N extends string, C extends ColumnMap, R> {
  readonly table: N;
  readonly columns: C;
  readonly relations: R;
}

/** The typed column references of an entity (`User.email`). */
export type ColumnRefs<N extends string, C extends ColumnMap> = {
  readonly [K in keyof C & string]: ColumnRef<N, K, InfoOf<C[K]>["type"], ReadValue<C[K]>>;
};

/**
 * An entity as `defineEntity` returns it: typed column references, relations added by
 * `withRelations`, and the metadata the queries read.
 */
export type Entity<N extends string = string, C extends ColumnMap = ColumnMap, R = {}> = ColumnRefs<
  N,
  C
> & {
  readonly [K in keyof R]: R[K];
} & {
  readonly [entityMeta]: EntityMeta;
  readonly [entityTypes]?: EntityTypes<N, C, R>;
};

/** Any entity. */
export type AnyEntity = {
  readonly [entityMeta]: EntityMeta;
  readonly [entityTypes]?: EntityTypes<string, ColumnMap, unknown>;
};

/** The table name of an entity type. */
export type TableOf<E> = E extends { readonly [entityTypes]?: EntityTypes<infer N, any, any> }
  ? N
  : never;
/** The column map of an entity type. */
export type ColumnsOf<E> = E extends { readonly [entityTypes]?: EntityTypes<any, infer C, any> }
  ? C
  : never;
/** The relations of an entity type. */
export type RelationsOf<E> = E extends {
  readonly [entityTypes]?: EntityTypes<any, any, infer R>;
}
  ? R
  : never;

/**
 * A row of an entity: what a tracked load returns (no-tracking reads return `Snapshot<Row<E>>`).
 *
 * @example
 * ```ts
 * type UserRow = Row<typeof User>; // { id: number; email: string; bio: string | null; ... }
 * ```
 */
export type Row<E> = RowOf<ColumnsOf<E>>;

/**
 * What `db.add(E, values)` accepts.
 *
 * @example
 * ```ts
 * const input: Insert<typeof User> = { email: "ada@example.com", name: "Ada" };
 * ```
 */
export type Insert<E> = InsertOf<ColumnsOf<E>>;

/** The primary-key value type of an entity (a tuple for composite keys). */
export type KeyOf<E> = KeyOfColumns<ColumnsOf<E>>;
type PrimaryKeys<C extends ColumnMap> = {
  [K in keyof C]: InfoOf<C[K]>["primary"] extends true ? K : never;
}[keyof C];
type KeyOfColumns<C extends ColumnMap> = [PrimaryKeys<C>] extends [never]
  ? readonly unknown[]
  : InfoOf<C[PrimaryKeys<C>]>["type"];

/** Options of {@link defineEntity}. */
export interface EntityOptions<C extends ColumnMap> {
  /** The entity's name in messages (default: the table name). */
  readonly name?: string;
  /** A composite primary key, in order. */
  readonly primaryKey?: readonly (keyof C & string)[];
  /** Multi-column indexes and unique constraints. */
  readonly indexes?: readonly {
    readonly columns: readonly (keyof C & string)[];
    readonly unique?: boolean;
    readonly name?: string;
  }[];
}

/**
 * Declares an entity once: its table, columns and keys. The result holds typed column
 * references for queries (`User.email`), and its metadata is computed here, never per request.
 *
 * @example
 * ```ts
 * export const User = defineEntity("users", {
 *   id: col.int().primaryKey().generated(),
 *   email: col.text().unique(),
 *   name: col.text(),
 *   bio: col.text().nullable(),
 *   version: col.int().version(),
 * });
 * ```
 */
export function defineEntity<const N extends string, const C extends ColumnMap>(
  table: N,
  columns: C,
  options: EntityOptions<C> = {},
): Entity<N, C> {
  const specs: Record<string, Column["spec"]> = {};
  for (const [key, column] of Object.entries(columns)) {
    specs[key] = (column as Column | undefined)?.spec as Column["spec"];
  }
  const indexes: IndexSpec[] = (options.indexes ?? []).map((i) => ({
    columns: [...i.columns],
    unique: i.unique ?? false,
    name: i.name,
  }));
  const meta = new EntityMeta(table, specs, {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.primaryKey !== undefined ? { primaryKey: options.primaryKey } : {}),
    indexes,
    source: callSite(),
  });
  const entity: Record<PropertyKey, unknown> = { [entityMeta]: meta };
  for (const c of meta.columns) entity[c.key] = new ColumnRef(c);
  return Object.freeze(entity) as Entity<N, C>;
}

/** The metadata of an entity object, or `undefined` for anything else. */
export function metaOf(entity: unknown): EntityMeta | undefined {
  return entity !== null && typeof entity === "object"
    ? ((entity as Record<PropertyKey, unknown>)[entityMeta] as EntityMeta | undefined)
    : undefined;
}
