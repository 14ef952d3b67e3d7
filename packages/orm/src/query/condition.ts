import { OrmError } from "../errors.ts";
import type { ColumnMeta } from "../schema/entity-meta.ts";

/** The comparison and logical operators a {@link Condition} can hold. */
export type ConditionOp =
  | "="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "not in"
  | "like"
  | "not like"
  | "is null"
  | "is not null"
  | "and"
  | "or"
  | "not"
  | "true"
  | "false";

/**
 * A typed filter over the tables named by `T`, made by column references (`User.email.eq(x)`)
 * and combined with {@link and}, {@link or} and {@link not}. A query accepts it only when it
 * reads every table the condition names.
 *
 * @example
 * ```ts
 * const active = and(User.email.like("%@example.com"), User.bio.isNotNull());
 * await db.from(User).where(active).all();
 * ```
 */
export class Condition<T extends string = string> {
  declare readonly "~types"?: T;
  readonly op: ConditionOp;
  readonly column: ColumnMeta | undefined;
  /** The value (already converted for neither dialect), or the list for `in`. */
  readonly value: unknown;
  readonly items: readonly Condition[] | undefined;

  constructor(
    op: ConditionOp,
    column: ColumnMeta | undefined,
    value: unknown,
    items: readonly Condition[] | undefined,
  ) {
    this.op = op;
    this.column = column;
    this.value = value;
    this.items = items;
  }
}

type TablesOf<C extends readonly Condition<any>[]> = [C[number]] extends [never]
  ? never
  : C[number] extends Condition<infer T>
    ? T
    : never;

function checkItems(what: string, items: readonly unknown[]): readonly Condition[] {
  items.forEach((c, i) => {
    if (c === undefined) {
      throw new OrmError(
        "ORM_UNDEFINED_FILTER",
        `${what}() got undefined as condition ${i + 1}: build each condition from a column (User.id.eq(id)); to skip a filter, leave it out of the list`,
      );
    }
    if (!(c instanceof Condition)) {
      throw new OrmError(
        "ORM_INVALID_QUERY",
        `${what}() got ${typeof c} as condition ${i + 1}: build conditions from columns (User.id.eq(id))`,
      );
    }
  });
  return items as readonly Condition[];
}

/**
 * All of the conditions (SQL `AND`); with none, it matches every row.
 *
 * @example
 * ```ts
 * db.from(Post).where(and(Post.authorId.eq(id), Post.publishedAt.isNotNull()));
 * ```
 */
export function and<const C extends readonly Condition<any>[]>(
  ...conditions: C
): Condition<TablesOf<C>> {
  const items = checkItems("and", conditions);
  if (items.length === 0) return new Condition("true", undefined, undefined, undefined);
  if (items.length === 1) return items[0] as Condition<TablesOf<C>>;
  return new Condition("and", undefined, undefined, items);
}

/**
 * Any of the conditions (SQL `OR`); with none, it matches no row.
 *
 * @example
 * ```ts
 * db.from(User).where(or(User.email.eq(login), User.name.eq(login)));
 * ```
 */
export function or<const C extends readonly Condition<any>[]>(
  ...conditions: C
): Condition<TablesOf<C>> {
  const items = checkItems("or", conditions);
  if (items.length === 0) return new Condition("false", undefined, undefined, undefined);
  if (items.length === 1) return items[0] as Condition<TablesOf<C>>;
  return new Condition("or", undefined, undefined, items);
}

/**
 * The negation of a condition (SQL `NOT`).
 *
 * @example
 * ```ts
 * db.from(User).where(not(User.email.like("%@spam.test")));
 * ```
 */
export function not<T extends string>(condition: Condition<T>): Condition<T> {
  return new Condition("not", undefined, undefined, checkItems("not", [condition]));
}
