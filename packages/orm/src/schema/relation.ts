import { OrmError } from "../errors.ts";
import { resolveRelation } from "../internal/resolve-relation.ts";
import type { AnyColumnRef, ColumnRef } from "./column-ref.ts";
import {
  type AnyEntity,
  type ColumnMap,
  type Entity,
  entityMeta,
  metaOf,
} from "./define-entity.ts";
import type { ColumnMeta, EntityMeta } from "./entity-meta.ts";

export type {
  AddInput,
  IncludedProps,
  IncludedValue,
  RelationName,
  RelationOwner,
  RelationTarget,
} from "./relation-types.ts";

/** The kinds of relation. */
export type RelationKind = "manyToOne" | "oneToMany" | "manyToMany";

/** A relation as declared, before `withRelations` binds it to its owner and name. */
export interface RelationSpec {
  readonly kind: RelationKind;
  readonly target: EntityMeta;
  /** manyToOne: the owner's foreign key; oneToMany: the target's; manyToMany: the join's to the owner. */
  readonly via: ColumnMeta;
  /** manyToMany: the join entity's foreign key to the target. */
  readonly viaTarget: ColumnMeta | undefined;
}

/** A bound relation, resolved on first use: which columns link owner and target. */
export interface RelationMeta {
  readonly name: string;
  readonly kind: RelationKind;
  readonly owner: EntityMeta;
  readonly target: EntityMeta;
  /** The owner-side column whose values are looked up. */
  readonly ownerColumn: ColumnMeta;
  /** The target-side column matched against them (for manyToMany, the target's key). */
  readonly targetColumn: ColumnMeta;
  /** manyToMany: the join entity and its two foreign keys. */
  readonly through:
    | { readonly entity: EntityMeta; readonly toOwner: ColumnMeta; readonly toTarget: ColumnMeta }
    | undefined;
}

/**
 * A relation between entities, used by `include()` (eager loading without N+1) and `join()`.
 * `K` is its kind, `Target` the related entity, `Owner` the owning table once bound.
 *
 * @example
 * ```ts
 * await db.from(User).include(User.posts).all(); // two queries, whatever the row count
 * ```
 */
export class Relation<
  K extends RelationKind = RelationKind,
  Target extends AnyEntity = AnyEntity,
  Owner extends string = string,
  Name extends string = string,
  Via extends string = string,
> {
  declare readonly "~types"?: { kind: K; target: Target; owner: Owner; name: Name; via: Via };
  readonly spec: RelationSpec;
  readonly #bound: { name: string; owner: EntityMeta } | undefined;
  #resolved: RelationMeta | undefined;

  constructor(spec: RelationSpec, bound?: { name: string; owner: EntityMeta }) {
    this.spec = spec;
    this.#bound = bound;
  }

  /** The relation's property name (after `withRelations`). */
  get name(): string {
    return this.#bound?.name ?? "(unbound)";
  }

  /** @internal The resolved link; throws `ORM_INVALID_ENTITY` when the declaration is wrong. */
  get meta(): RelationMeta {
    this.#resolved ??= resolveRelation(this.spec, this.#bound);
    return this.#resolved;
  }
}

/** Any relation. */
export type AnyRelation = Relation<RelationKind, AnyEntity, string, string, string>;

function targetMeta(target: AnyEntity, fn: string): EntityMeta {
  const meta = metaOf(target);
  if (!meta) {
    throw new OrmError("ORM_INVALID_ENTITY", `${fn}() needs an entity from defineEntity()`);
  }
  return meta;
}

/**
 * Many rows of this entity point at one `target` row through this entity's foreign key.
 *
 * @example
 * ```ts
 * export const Post = withRelations(posts, { author: manyToOne(users, posts.authorId) });
 * ```
 */
export function manyToOne<T extends AnyEntity, F extends string>(
  target: T,
  foreignKey: ColumnRef<string, F, any, any>,
): Relation<"manyToOne", T, string, string, F> {
  return new Relation({
    kind: "manyToOne",
    target: targetMeta(target, "manyToOne"),
    via: foreignKey.meta,
    viaTarget: undefined,
  });
}

/**
 * Rows of `target` point at this entity through `target`'s foreign key.
 *
 * @example
 * ```ts
 * export const User = withRelations(users, { posts: oneToMany(posts, posts.authorId) });
 * ```
 */
export function oneToMany<T extends AnyEntity>(
  target: T,
  foreignKey: AnyColumnRef,
): Relation<"oneToMany", T> {
  return new Relation({
    kind: "oneToMany",
    target: targetMeta(target, "oneToMany"),
    via: foreignKey.meta,
    viaTarget: undefined,
  });
}

/**
 * This entity and `target` are linked through a join entity with a foreign key to each.
 *
 * @example
 * ```ts
 * export const Post = withRelations(posts, {
 *   tags: manyToMany(tags, postTags.postId, postTags.tagId),
 * });
 * ```
 */
export function manyToMany<T extends AnyEntity>(
  target: T,
  joinToOwner: AnyColumnRef,
  joinToTarget: AnyColumnRef,
): Relation<"manyToMany", T> {
  return new Relation({
    kind: "manyToMany",
    target: targetMeta(target, "manyToMany"),
    via: joinToOwner.meta,
    viaTarget: joinToTarget.meta,
  });
}

/**
 * Checks a relation where it is declared, so a wrong one fails at definition. A foreign key whose
 * references() names an entity not declared yet (or caught in an import cycle) cannot resolve
 * now; it is checked on first use instead.
 */
function resolveEarly(relation: AnyRelation): void {
  try {
    void relation.meta;
  } catch (e) {
    const cause = e instanceof OrmError ? e.cause : undefined;
    if (cause instanceof ReferenceError || cause instanceof TypeError) return;
    throw e;
  }
}

type Bind<N extends string, R> = {
  readonly [K in keyof R]: R[K] extends Relation<infer Kind, infer T, any, any, any>
    ? Relation<
        Kind,
        T,
        N,
        K & string,
        R[K] extends Relation<any, any, any, any, infer F> ? F : string
      >
    : never;
};

/**
 * Adds relations to an entity, returning the entity with them as properties (`User.posts`).
 * Relations point at entities declared earlier, so two entities can relate both ways without
 * the types going in circles: declare the tables first, then the relations.
 *
 * @example
 * ```ts
 * const users = defineEntity("users", { id: col.int().primaryKey().generated(), name: col.text() });
 * const posts = defineEntity("posts", {
 *   id: col.int().primaryKey().generated(),
 *   authorId: col.int().references(() => users.id),
 *   title: col.text(),
 * });
 * export const User = withRelations(users, { posts: oneToMany(posts, posts.authorId) });
 * export const Post = withRelations(posts, { author: manyToOne(users, posts.authorId) });
 * ```
 */
export function withRelations<
  N extends string,
  C extends ColumnMap,
  R0,
  const R extends Readonly<Record<string, AnyRelation>>,
>(entity: Entity<N, C, R0>, relations: R): Entity<N, C, R0 & Bind<N, R>> {
  const meta = targetMeta(entity as AnyEntity, "withRelations");
  const out: Record<PropertyKey, unknown> = { ...entity, [entityMeta]: meta };
  for (const [name, rel] of Object.entries(relations)) {
    if (!(rel instanceof Relation)) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `withRelations(${meta.name}): "${name}" is not a relation; use manyToOne(), oneToMany() or manyToMany()`,
      );
    }
    if (meta.byKey.has(name) || meta.relations.has(name)) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `withRelations(${meta.name}): "${name}" is already a ${meta.byKey.has(name) ? "column" : "relation"} of ${meta.name}; pick another name`,
      );
    }
    const bound = new Relation(rel.spec, { name, owner: meta });
    resolveEarly(bound);
    meta.relations.set(name, bound);
    out[name] = bound;
  }
  return Object.freeze(out) as Entity<N, C, R0 & Bind<N, R>>;
}
