import { OrmError } from "../errors.ts";
import type { AnyColumnRef } from "../schema/column-ref.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import type { RelationMeta, RelationSpec } from "../schema/relation.ts";

function referencedColumn(fk: ColumnMeta, expected: EntityMeta, where: string): ColumnMeta {
  const ref = fk.spec.references;
  if (ref !== undefined) {
    let target: AnyColumnRef;
    try {
      target = ref.target();
    } catch (cause) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `${where}: the references() of ${fk.entity.name}.${fk.key} could not be resolved`,
        { cause },
      );
    }
    if (target.meta.entity !== expected) {
      throw new OrmError(
        "ORM_INVALID_ENTITY",
        `${where}: ${fk.entity.name}.${fk.key} references ${target.meta.entity.name}.${target.meta.key}, not entity ${expected.name}`,
      );
    }
    return target.meta;
  }
  if (expected.primaryKey.length !== 1) {
    throw new OrmError(
      "ORM_INVALID_ENTITY",
      `${where}: ${expected.name} has a composite key, so ${fk.entity.name}.${fk.key} must say which column it references with .references()`,
    );
  }
  return expected.primaryKey[0]!;
}

/** Which columns link a relation's owner and target, checked against the declarations. */
export function resolveRelation(
  spec: RelationSpec,
  bound: { name: string; owner: EntityMeta } | undefined,
): RelationMeta {
  if (!bound) {
    throw new OrmError(
      "ORM_INVALID_ENTITY",
      `a ${spec.kind} relation to ${spec.target.name} was used before withRelations() gave it an owner and a name`,
    );
  }
  const { owner, name } = bound;
  const where = `relation ${owner.name}.${name}`;
  switch (spec.kind) {
    case "manyToOne": {
      if (spec.via.entity !== owner) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: manyToOne needs a foreign key column of ${owner.name}, got ${spec.via.entity.name}.${spec.via.key}`,
        );
      }
      return {
        name,
        kind: spec.kind,
        owner,
        target: spec.target,
        ownerColumn: spec.via,
        targetColumn: referencedColumn(spec.via, spec.target, where),
        through: undefined,
      };
    }
    case "oneToMany": {
      if (spec.via.entity !== spec.target) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: oneToMany needs a foreign key column of ${spec.target.name}, got ${spec.via.entity.name}.${spec.via.key}`,
        );
      }
      return {
        name,
        kind: spec.kind,
        owner,
        target: spec.target,
        ownerColumn: referencedColumn(spec.via, owner, where),
        targetColumn: spec.via,
        through: undefined,
      };
    }
    case "manyToMany": {
      const toTarget = spec.viaTarget!;
      if (spec.via.entity !== toTarget.entity) {
        throw new OrmError(
          "ORM_INVALID_ENTITY",
          `${where}: manyToMany needs two foreign keys of the same join entity, got ${spec.via.entity.name}.${spec.via.key} and ${toTarget.entity.name}.${toTarget.key}`,
        );
      }
      return {
        name,
        kind: spec.kind,
        owner,
        target: spec.target,
        ownerColumn: referencedColumn(spec.via, owner, where),
        targetColumn: referencedColumn(toTarget, spec.target, where),
        through: { entity: spec.via.entity, toOwner: spec.via, toTarget },
      };
    }
  }
}
