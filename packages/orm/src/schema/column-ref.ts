import { OrmError } from "../errors.ts";
import { Condition, type ConditionOp } from "../query/condition.ts";
import type { ColumnMeta } from "./entity-meta.ts";

/** Sort direction for `orderBy`. */
export type SortDirection = "asc" | "desc";

/**
 * A typed reference to an entity's column (`User.email`): it builds conditions whose value type
 * is the column's, and names the column in `select` and `orderBy`. `T` is the table, `K` the
 * property, `V` the value type filters take (never `undefined` or `null`).
 *
 * @example
 * ```ts
 * db.from(User).where(User.email.eq("ada@example.com")).select(User.id, User.name).first();
 * ```
 */
export class ColumnRef<T extends string = string, K extends string = string, V = unknown, R = V> {
  declare readonly "~types"?: { table: T; key: K; value: V; read: R };
  readonly meta: ColumnMeta;

  constructor(meta: ColumnMeta) {
    this.meta = meta;
  }

  /** The property key (`"email"`). */
  get key(): K {
    return this.meta.key as K;
  }

  /** `column = value`. */
  eq(value: V): Condition<T> {
    return this.#compare("=", value, "eq");
  }
  /** `column <> value` (rows where the column is NULL do not match, as in SQL). */
  ne(value: V): Condition<T> {
    return this.#compare("<>", value, "ne");
  }
  /**
   * `column > value`.
   *
   * @example
   * ```ts
   * db.from(Post).where(Post.views.gt(1000n)).all();
   * ```
   */
  gt(value: V): Condition<T> {
    return this.#compare(">", value, "gt");
  }
  /**
   * `column >= value`.
   *
   * @example
   * ```ts
   * db.from(Post).where(Post.publishedAt.gte(new Date("2026-01-01"))).all();
   * ```
   */
  gte(value: V): Condition<T> {
    return this.#compare(">=", value, "gte");
  }
  /**
   * `column < value`.
   *
   * @example
   * ```ts
   * db.from(User).where(User.id.lt(100)).count();
   * ```
   */
  lt(value: V): Condition<T> {
    return this.#compare("<", value, "lt");
  }
  /**
   * `column <= value`.
   *
   * @example
   * ```ts
   * db.from(Post).where(Post.publishedAt.lte(new Date())).orderBy(Post.publishedAt, "desc").all();
   * ```
   */
  lte(value: V): Condition<T> {
    return this.#compare("<=", value, "lte");
  }
  /** `column IN (...)`; an empty list matches no row. */
  in(values: readonly V[]): Condition<T> {
    return this.#list("in", values);
  }
  /** `column NOT IN (...)`; an empty list matches every row. */
  notIn(values: readonly V[]): Condition<T> {
    return this.#list("not in", values);
  }
  /** SQL `LIKE` with `%` and `_` wildcards (case-insensitive for ASCII on SQLite). */
  like(pattern: V & string): Condition<T> {
    return this.#compare("like", pattern, "like");
  }
  /**
   * SQL `NOT LIKE`: rows whose value does not match the pattern (NULLs do not match either).
   *
   * @example
   * ```ts
   * db.from(User).where(User.email.notLike("%@example.com")).all();
   * ```
   */
  notLike(pattern: V & string): Condition<T> {
    return this.#compare("not like", pattern, "notLike");
  }
  /**
   * `column IS NULL`: how to find missing values (`eq(null)` is refused, since it never matches).
   *
   * @example
   * ```ts
   * db.from(User).where(User.bio.isNull()).all();
   * ```
   */
  isNull(): Condition<T> {
    return new Condition("is null", this.meta, undefined, undefined);
  }
  /**
   * `column IS NOT NULL`.
   *
   * @example
   * ```ts
   * db.from(Post).where(Post.publishedAt.isNotNull()).count();
   * ```
   */
  isNotNull(): Condition<T> {
    return new Condition("is not null", this.meta, undefined, undefined);
  }

  #where(method: string): string {
    return `${this.meta.entity.name}.${this.meta.key}.${method}()`;
  }

  #compare(op: ConditionOp, value: unknown, method: string): Condition<T> {
    if (value === undefined) {
      throw new OrmError(
        "ORM_UNDEFINED_FILTER",
        `${this.#where(method)} got undefined: a filter with no value would match rows it should not; pass a value, or leave the condition out`,
        { details: { entity: this.meta.entity.name, column: this.meta.key } },
      );
    }
    if (value === null) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `${this.#where(method)} got null, which never matches in SQL; use ${this.meta.entity.name}.${this.meta.key}.${op === "<>" ? "isNotNull" : "isNull"}()`,
        { details: { entity: this.meta.entity.name, column: this.meta.key } },
      );
    }
    return new Condition(op, this.meta, value, undefined);
  }

  #list(op: "in" | "not in", values: readonly unknown[]): Condition<T> {
    const method = op === "in" ? "in" : "notIn";
    if (values === undefined) {
      throw new OrmError(
        "ORM_UNDEFINED_FILTER",
        `${this.#where(method)} got undefined instead of a list`,
        { details: { entity: this.meta.entity.name, column: this.meta.key } },
      );
    }
    if (!Array.isArray(values)) {
      throw new OrmError("ORM_INVALID_QUERY", `${this.#where(method)} needs an array`);
    }
    for (let i = 0; i < values.length; i++) {
      if (values[i] === undefined || values[i] === null) {
        throw new OrmError(
          values[i] === undefined ? "ORM_UNDEFINED_FILTER" : "ORM_INVALID_QUERY",
          `${this.#where(method)} got ${String(values[i])} at index ${i}; filter lists hold values only`,
          { details: { entity: this.meta.entity.name, column: this.meta.key } },
        );
      }
    }
    if (values.length === 0) {
      return new Condition(op === "in" ? "false" : "true", undefined, undefined, undefined);
    }
    return new Condition(op, this.meta, values.slice(), undefined);
  }
}

/** Any column reference, whatever its entity and type. */
export type AnyColumnRef = ColumnRef<string, string, any, any>;
