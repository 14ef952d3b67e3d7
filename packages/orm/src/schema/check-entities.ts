import { OrmError } from "../errors.ts";
import { entityTable } from "../internal/schema/entity-schema.ts";
import type { ColumnKind } from "./column.ts";
import { type AnyEntity, metaOf } from "./define-entity.ts";
import type { ColumnMeta, EntityMeta } from "./entity-meta.ts";
import type { RelationMeta } from "./relation.ts";

const families: Partial<Record<ColumnKind, string>> = {
  int: "integer",
  bigint: "integer",
  text: "text",
  varchar: "text",
};
const family = (k: ColumnKind): string => families[k] ?? k;

function describe(c: ColumnMeta): string {
  return `${c.entity.name}.${c.key}`;
}

function isKey(target: ColumnMeta): boolean {
  const e = target.entity;
  if (e.primaryKey.length === 1 && e.primaryKey[0] === target) return true;
  if (target.spec.unique !== false) return true;
  return e.indexes.some((i) => i.unique && i.columns.length === 1 && i.columns[0] === target.key);
}

/**
 * Checks a set of entities as a whole, beyond what `defineEntity` can see alone: foreign keys and
 * relations resolve, point at keys of the right type and (with `complete`) at entities in the set;
 * no two entities share a table; constraint and index names are unique. Throws one
 * `ORM_INVALID_ENTITY` listing every problem.
 */
export function checkEntities(
  entities: readonly AnyEntity[],
  where: string,
  options: { readonly complete?: boolean } = {},
): EntityMeta[] {
  const problems: string[] = [];
  const metas: EntityMeta[] = [];
  entities.forEach((e, i) => {
    const m = metaOf(e);
    if (m === undefined) {
      problems.push(
        `item ${i} is not an entity from defineEntity() (got ${e === null ? "null" : typeof e})`,
      );
    } else if (!metas.includes(m)) {
      metas.push(m);
    }
  });
  const tables = new Map<string, EntityMeta>();
  for (const m of metas) {
    const other = tables.get(m.table);
    if (other !== undefined) {
      problems.push(`entities ${other.name} and ${m.name} both map to table "${m.table}"`);
    }
    tables.set(m.table, m);
  }
  const inSet = (m: EntityMeta): boolean => metas.includes(m);
  const names = new Map<string, string>();
  for (const m of metas) {
    for (const c of m.columns) {
      const ref = c.spec.references;
      if (ref === undefined) continue;
      let target: ColumnMeta;
      try {
        target = ref.target().meta;
      } catch (cause) {
        problems.push(
          `${describe(c)}: its references() target could not be resolved (${cause instanceof Error ? cause.message : String(cause)})`,
        );
        continue;
      }
      if (options.complete && !inSet(target.entity)) {
        problems.push(
          `${describe(c)} references ${describe(target)}, but entity ${target.entity.name} is not in the list; add it`,
        );
      }
      if (!isKey(target)) {
        problems.push(
          `${describe(c)} references ${describe(target)}, which is neither the primary key nor unique; a foreign key must point at a key`,
        );
      }
      if (family(c.spec.kind) !== family(target.spec.kind)) {
        problems.push(
          `${describe(c)} is col.${c.spec.kind}() but references ${describe(target)}, which is col.${target.spec.kind}(); make the types match`,
        );
      }
    }
    for (const [name, handle] of m.relations) {
      let rel: RelationMeta;
      try {
        rel = handle.meta;
      } catch (e) {
        problems.push(
          e instanceof OrmError ? e.message : `relation ${m.name}.${name}: ${String(e)}`,
        );
        continue;
      }
      if (!options.complete) continue;
      for (const other of [rel.target, rel.through?.entity]) {
        if (other !== undefined && !inSet(other)) {
          problems.push(
            `relation ${m.name}.${name} points at entity ${other.name}, which is not in the list; add it`,
          );
        }
      }
    }
    let table: ReturnType<typeof entityTable> | undefined;
    try {
      table = entityTable(m, "postgres");
    } catch {
      continue; // an unresolvable reference, reported above
    }
    for (const n of [
      table.primaryKey?.name,
      ...table.uniques.map((u) => u.name),
      ...table.indexes.map((i) => i.name),
      ...table.foreignKeys.map((f) => f.name),
    ]) {
      if (n === undefined) continue;
      const owner = names.get(n);
      if (owner !== undefined) {
        problems.push(
          `the constraint or index name "${n}" is used twice (${owner} and ${m.name}); give one a different name`,
        );
      }
      names.set(n, m.name);
    }
  }
  if (problems.length > 0) {
    throw new OrmError(
      "ORM_INVALID_ENTITY",
      `${where}: the entity declarations have ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      { details: { problems } },
    );
  }
  return metas;
}
