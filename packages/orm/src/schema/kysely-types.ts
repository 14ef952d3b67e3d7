// The Kysely table types an entity declaration yields: table and column names as they are in the
// database, and each column's select, insert and update types as the drivers hand them to Kysely
// (no ORM conversion happens on `db.kysely`), per dialect.
import type { ColumnType } from "kysely";
import type { Dialect } from "../pool/connection-pool.ts";
import type { Column, ColumnInfo } from "./column.ts";
import type { ColumnsOf, TableOf } from "./define-entity.ts";

type InfoOf<C> = C extends Column<infer I extends ColumnInfo> ? I : never;

type Upper =
  | "A"
  | "B"
  | "C"
  | "D"
  | "E"
  | "F"
  | "G"
  | "H"
  | "I"
  | "J"
  | "K"
  | "L"
  | "M"
  | "N"
  | "O"
  | "P"
  | "Q"
  | "R"
  | "S"
  | "T"
  | "U"
  | "V"
  | "W"
  | "X"
  | "Y"
  | "Z";

/**
 * A property name as its default column name, exactly as `snakeCase()` makes it at run time.
 *
 * @example
 * ```ts
 * type Name = SnakeCase<"authorId">; // "author_id"
 * ```
 */
export type SnakeCase<S extends string, Done extends string = ""> = S extends `${infer H}${infer T}`
  ? SnakeCase<T, `${Done}${H extends Upper ? `_${Lowercase<H>}` : H}`>
  : Done;

type ColumnName<K extends string, I extends ColumnInfo> = I["dbName"] extends string
  ? I["dbName"]
  : SnakeCase<K>;

/** What a select returns for a column, as the driver reads it. */
type SelectOf<I extends ColumnInfo, D extends Dialect> = D extends "postgres"
  ? // pg parses every kind into the type the entity reads (int8 as bigint, date as text).
    I["type"]
  : I["kind"] extends "boolean"
    ? number
    : I["kind"] extends "timestamp" | "json"
      ? string
      : I["kind"] extends "bigint" | "decimal"
        ? number
        : I["type"];

/** What a column takes in `values()` and `set()`: what both drivers bind. */
type WriteOf<I extends ColumnInfo> = I["kind"] extends "json"
  ? string
  : I["kind"] extends "timestamp"
    ? Date | string
    : I["kind"] extends "bigint"
      ? bigint | number
      : I["kind"] extends "decimal"
        ? string | number
        : I["type"];

type OrNull<I extends ColumnInfo, T> = I["nullable"] extends true ? T | null : T;

type Defaulted<I extends ColumnInfo, D extends Dialect> = I["dbDefault"] extends true
  ? true
  : I["dbDefault"] extends "postgres"
    ? [D] extends ["postgres"]
      ? true
      : false
    : false;

/**
 * The Kysely type of one column: its select type, and `ColumnType<select, insert, update>` where
 * they differ; a column the database fills (identity, rowid, a DEFAULT) may be left out of an
 * insert, like Kysely's `Generated<T>`.
 *
 * @example
 * ```ts
 * type Id = KyselyTable<typeof User>["id"]; // ColumnType<number, number | undefined, number>
 * ```
 */
export type KyselyColumn<I extends ColumnInfo, D extends Dialect = Dialect> =
  Defaulted<I, D> extends true
    ? ColumnType<
        OrNull<I, SelectOf<I, D>>,
        OrNull<I, WriteOf<I>> | undefined,
        OrNull<I, WriteOf<I>>
      >
    : [SelectOf<I, D>] extends [WriteOf<I>]
      ? [WriteOf<I>] extends [SelectOf<I, D>]
        ? OrNull<I, SelectOf<I, D>>
        : ColumnType<OrNull<I, SelectOf<I, D>>, OrNull<I, WriteOf<I>>, OrNull<I, WriteOf<I>>>
      : ColumnType<OrNull<I, SelectOf<I, D>>, OrNull<I, WriteOf<I>>, OrNull<I, WriteOf<I>>>;

/**
 * The Kysely table type of an entity: its database column names, each with its
 * {@link KyselyColumn} type.
 *
 * @example
 * ```ts
 * type UsersTable = KyselyTable<typeof User>; // { id: Generated<number>; email: string; ... }
 * ```
 */
export type KyselyTable<E, D extends Dialect = Dialect> = {
  [K in keyof ColumnsOf<E> & string as ColumnName<K, InfoOf<ColumnsOf<E>[K]>>]: KyselyColumn<
    InfoOf<ColumnsOf<E>[K]>,
    D
  >;
};

type EntitiesIn<L> = L extends readonly (infer E)[]
  ? E
  : L extends Readonly<Record<string, infer E>>
    ? E
    : never;

/**
 * The Kysely database interface of a list (or record) of entities: table name to
 * {@link KyselyTable}. Give it to a context (`DbContext<KyselyDatabase<typeof entities>>`) or to
 * `createDatabase` to type `db.kysely`. `D` picks what selects return where the drivers differ
 * (SQLite reads booleans as 0/1, timestamps and JSON as text); the default, both dialects,
 * gives the union, which is right for code that runs on either.
 *
 * @example
 * ```ts
 * const entities = [User, Post] as const;
 * class AppDb extends DbContext<KyselyDatabase<typeof entities, "postgres">> {}
 * await db.kysely.selectFrom("posts").select(["id", "author_id"]).where("published", "=", true).execute();
 * ```
 */
export type KyselyDatabase<L, D extends Dialect = Dialect> = {
  [E in EntitiesIn<L> as TableOf<E>]: KyselyTable<E, D>;
};
