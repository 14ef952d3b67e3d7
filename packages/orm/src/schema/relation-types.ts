import type { Snapshot } from "../snapshot.ts";
import type { Insert, RelationsOf, Row, TableOf } from "./define-entity.ts";
import type { AnyRelation, Relation } from "./relation.ts";

/** The value an included relation adds to each row: one row (or null), or a list. */
export type IncludedValue<Rel, Extra = {}> =
  Rel extends Relation<infer K, infer T, any, any>
    ? K extends "manyToOne"
      ? (Row<T> & Extra) | null
      : (Row<T> & Extra)[]
    : never;

/** The relation's target table. */
export type RelationTarget<Rel> = Rel extends Relation<any, infer T, any, any> ? TableOf<T> : never;
/** The relation's owner table. */
export type RelationOwner<Rel> = Rel extends Relation<any, any, infer O, any> ? O : never;
/** The relation's property name. */
export type RelationName<Rel> = Rel extends Relation<any, any, any, infer N> ? N : never;
/** The properties a list of included relations adds to a row. */
export type IncludedProps<Rels extends readonly AnyRelation[]> = {
  -readonly [Rel in Rels[number] as RelationName<Rel>]: IncludedValue<Rel>;
};

type ManyToOneOf<E> = {
  [K in keyof RelationsOf<E>]: RelationsOf<E>[K] extends Relation<
    "manyToOne",
    infer T,
    any,
    any,
    infer F
  >
    ? { readonly name: K; readonly target: T; readonly via: F }
    : never;
}[keyof RelationsOf<E>];

/**
 * What `db.add(E, values)` accepts: the insert columns, where a foreign key may instead be given
 * as the related object (`author: user`), linked when saved (even if `user` is new too).
 */
export type AddInput<E> = [ManyToOneOf<E>] extends [never]
  ? Insert<E>
  : Omit<Insert<E>, ManyToOneOf<E>["via"]> &
      Partial<Pick<Insert<E>, ManyToOneOf<E>["via"] & keyof Insert<E>>> & {
        readonly [M in ManyToOneOf<E> as M["name"] & string]?:
          | Row<M["target"]>
          | Snapshot<Row<M["target"]>>
          | null;
      };
