import { randomUUID } from "node:crypto";
import { OrmError } from "../errors.ts";
import type { AnyColumnRef } from "./column-ref.ts";

/** The storage kinds a column can have; each maps to one SQL type per dialect. */
export type ColumnKind =
  | "int"
  | "bigint"
  | "real"
  | "decimal"
  | "text"
  | "varchar"
  | "boolean"
  | "timestamp"
  | "date"
  | "json"
  | "uuid"
  | "bytes";

/** What happens to rows that reference a deleted or re-keyed row. */
export type ReferentialAction = "cascade" | "restrict" | "set null" | "set default" | "no action";

/** A foreign key as declared on a column; the target resolves lazily (entities may be cyclic). */
export interface ForeignKeySpec {
  readonly target: () => AnyColumnRef;
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

/**
 * A database default: a literal, the current time or a random UUID. Each is also applied in
 * memory by `db.add()`, so a new entity has its values before it is saved.
 */
export type ColumnDefault =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "now" }
  | { readonly kind: "uuid" };

/**
 * Everything a column declares, as plain data: what queries, migrations and schema validation
 * read. Computed once, when the entity is defined.
 */
export interface ColumnSpec {
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  /** The database generates the value (identity / rowid); it flows back after insert. */
  readonly generated: boolean;
  readonly default: ColumnDefault | undefined;
  /** `true`, or the constraint name. */
  readonly unique: boolean | string;
  /** `true`, or the index name. */
  readonly index: boolean | string;
  /** The optimistic-concurrency version column. */
  readonly version: boolean;
  readonly references: ForeignKeySpec | undefined;
  /** The column name in the database; the property name in snake_case when not set. */
  readonly dbName: string | undefined;
  /** `varchar(n)` length. */
  readonly length: number | undefined;
  /** `decimal(p, s)` precision and scale. */
  readonly precision: number | undefined;
  readonly scale: number | undefined;
  /** Read as `Nullable<T>` instead of `T | null`. */
  readonly wrapped: boolean;
}

/** The compile-time facts of a column; only types read them. */
export interface ColumnInfo {
  readonly type: unknown;
  /** The storage kind (`col.timestamp()` is `"timestamp"`): what the Kysely types follow. */
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  /** May be left out of an insert (generated, defaulted, nullable or version). */
  readonly optional: boolean;
  readonly primary: boolean;
  readonly wrapped: boolean;
  /** The name given with `.dbName()`; `undefined` means the property name in snake_case. */
  readonly dbName: string | undefined;
  /**
   * Whether the database fills the column when an insert leaves it out: `true` (identity,
   * rowid, a DEFAULT), or `"postgres"` where only PostgreSQL has the default (random UUIDs).
   */
  readonly dbDefault: boolean | "postgres";
}

type With<I, P> = { readonly [K in keyof I]: K extends keyof P ? P[K] : I[K] };

/**
 * A column declaration, built with {@link col}: each method returns a new declaration, so a
 * shared one (`const money = col.decimal(12, 2)`) can be reused safely.
 *
 * @example
 * ```ts
 * const User = defineEntity("users", {
 *   id: col.int().primaryKey().generated(),
 *   email: col.text().unique(),
 *   bio: col.text().nullable(),
 * });
 * ```
 */
export class Column<I extends ColumnInfo = ColumnInfo> {
  declare readonly "~types": I;
  readonly spec: ColumnSpec;

  constructor(spec: ColumnSpec) {
    this.spec = Object.freeze(spec);
  }

  #with(patch: Partial<ColumnSpec>): any {
    return new Column({ ...this.spec, ...patch });
  }

  /** Marks the primary key (one per entity; composite keys go in `defineEntity`'s options). */
  primaryKey(): Column<With<I, { primary: true }>> {
    return this.#with({ primaryKey: true });
  }

  /** The database generates the value (identity on PostgreSQL, rowid on SQLite). */
  generated(): Column<With<I, { optional: true; dbDefault: true }>> {
    return this.#with({ generated: true });
  }

  /** Allows `null`; reads as `T | null`. */
  nullable(): Column<With<I, { nullable: true; optional: true; type: I["type"] }>> {
    return this.#with({ nullable: true });
  }

  /** Reads a nullable column as `Nullable<T>` instead of `T | null`. */
  asNullable(): Column<With<I, { nullable: true; optional: true; wrapped: true }>> {
    return this.#with({ nullable: true, wrapped: true });
  }

  /** A default value, used by the database and applied by `db.add()`. */
  default(value: I["type"]): Column<With<I, { optional: true; dbDefault: true }>> {
    return this.#with({ default: { kind: "value", value } });
  }

  /** Unique across the table; `name` names the constraint. */
  unique(name?: string): Column<I> {
    return this.#with({ unique: name ?? true });
  }

  /** Indexed; `name` names the index. */
  index(name?: string): Column<I> {
    return this.#with({ index: name ?? true });
  }

  /** The column's name in the database (default: the property name in snake_case). */
  dbName<const N extends string>(name: N): Column<With<I, { dbName: N }>> {
    return this.#with({ dbName: name });
  }

  /** The optimistic-concurrency version (an int column): starts at 1, bumped by every update. */
  version(
    this: Column<I & { readonly type: number }>,
  ): Column<With<I, { optional: true; dbDefault: true }>> {
    if (this.spec.kind !== "int") {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `.version() is for col.int() columns, not ${this.spec.kind}`,
      );
    }
    return this.#with({ version: true, default: { kind: "value", value: 1 } });
  }

  /** Defaults to the current time (in the database, and in memory on `db.add()`). */
  defaultNow(
    this: Column<I & { readonly type: Date }>,
  ): Column<With<I, { optional: true; dbDefault: true }>> {
    if (this.spec.kind !== "timestamp") {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `.defaultNow() is for col.timestamp() columns, not ${this.spec.kind}`,
      );
    }
    return this.#with({ default: { kind: "now" } });
  }

  /** Defaults to a random UUID, made by `db.add()` so the key is known before saving. */
  defaultRandom(
    this: Column<I & { readonly type: string }>,
  ): Column<With<I, { optional: true; dbDefault: "postgres" }>> {
    if (this.spec.kind !== "uuid") {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `.defaultRandom() is for col.uuid() columns, not ${this.spec.kind}`,
      );
    }
    return this.#with({ default: { kind: "uuid" } });
  }

  /**
   * A foreign key to another entity's column. For a reference to the same entity, annotate the
   * thunk: `references((): AnyColumnRef => Comment.id)`.
   */
  references(
    target: () => AnyColumnRef,
    options: { onDelete?: ReferentialAction; onUpdate?: ReferentialAction } = {},
  ): Column<I> {
    return this.#with({
      references: {
        target,
        onDelete: options.onDelete ?? "no action",
        onUpdate: options.onUpdate ?? "no action",
      },
    });
  }
}

type Base<T, K extends ColumnKind> = {
  readonly type: T;
  readonly kind: K;
  readonly nullable: false;
  readonly optional: false;
  readonly primary: false;
  readonly wrapped: false;
  readonly dbName: undefined;
  readonly dbDefault: false;
};

function spec(kind: ColumnKind, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return {
    kind,
    nullable: false,
    primaryKey: false,
    generated: false,
    default: undefined,
    unique: false,
    index: false,
    version: false,
    references: undefined,
    dbName: undefined,
    length: undefined,
    precision: undefined,
    scale: undefined,
    wrapped: false,
    ...extra,
  };
}

/** The column factories and the value type each reads as. */
export interface ColumnFactories {
  /** 32-bit integer, read as `number`. */
  int(): Column<Base<number, "int">>;
  /** 64-bit integer, read as `bigint`. */
  bigint(): Column<Base<bigint, "bigint">>;
  /** Double-precision float, read as `number`. */
  real(): Column<Base<number, "real">>;
  /** Exact decimal, read as a `string` so no precision is lost. */
  decimal(precision?: number, scale?: number): Column<Base<string, "decimal">>;
  /** Text; narrow it with a type argument: `col.text<"admin" | "member">()`. */
  text<T extends string = string>(): Column<Base<T, "text">>;
  /** Text with a maximum length (`varchar(n)` on PostgreSQL). */
  varchar<T extends string = string>(length: number): Column<Base<T, "varchar">>;
  boolean(): Column<Base<boolean, "boolean">>;
  /** A point in time, read as `Date` (`timestamptz` on PostgreSQL, ISO-8601 text on SQLite). */
  timestamp(): Column<Base<Date, "timestamp">>;
  /** A calendar date, read as a `YYYY-MM-DD` string. */
  date(): Column<Base<string, "date">>;
  /** JSON (`jsonb` on PostgreSQL); give the shape as a type argument. */
  json<T>(): Column<Base<T, "json">>;
  uuid(): Column<Base<string, "uuid">>;
  /** Binary data, read as `Uint8Array`. */
  bytes(): Column<Base<Uint8Array, "bytes">>;
}

/**
 * Column factories for {@link defineEntity}.
 *
 * @example
 * ```ts
 * const Post = defineEntity("posts", {
 *   id: col.uuid().primaryKey().defaultRandom(),
 *   title: col.varchar(200),
 *   body: col.text(),
 *   publishedAt: col.timestamp().nullable(),
 *   meta: col.json<{ tags: string[] }>(),
 * });
 * ```
 */
export const col: ColumnFactories = Object.freeze({
  int: () => new Column(spec("int")),
  bigint: () => new Column(spec("bigint")),
  real: () => new Column(spec("real")),
  decimal: (precision?: number, scale?: number) =>
    new Column(spec("decimal", { precision, scale })),
  text: () => new Column(spec("text")),
  varchar: (length: number) => new Column(spec("varchar", { length })),
  boolean: () => new Column(spec("boolean")),
  timestamp: () => new Column(spec("timestamp")),
  date: () => new Column(spec("date")),
  json: () => new Column(spec("json")),
  uuid: () => new Column(spec("uuid")),
  bytes: () => new Column(spec("bytes")),
}) as ColumnFactories;

/** The in-memory value a default produces for `db.add()`. */
export function defaultValue(d: ColumnDefault): unknown {
  switch (d.kind) {
    case "value":
      return d.value;
    case "now":
      return new Date();
    case "uuid":
      return randomUUID();
  }
}
