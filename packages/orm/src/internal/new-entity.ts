import { OrmError } from "../errors.ts";
import { defaultValue } from "../schema/column.ts";
import type { EntityMeta } from "../schema/entity-meta.ts";

type Obj = Record<string, unknown>;
type Builder = (input: Obj, missing: (position: number) => unknown) => Obj;

interface Compiled {
  readonly relations: number;
  readonly known: ReadonlySet<string>;
  readonly build: Builder;
  readonly relationNames: readonly string[];
}

function compile(meta: EntityMeta): Compiled {
  const defaults = meta.columns.map((c) =>
    c.spec.default ? () => defaultValue(c.spec.default!) : undefined,
  );
  const parts = meta.columns.map((c, i) => {
    const get = `i[${JSON.stringify(c.key)}]`;
    const fallback = c.spec.default
      ? `d[${i}]()`
      : c.spec.generated
        ? "undefined"
        : c.spec.nullable
          ? "null"
          : `m(${i})`;
    return `${JSON.stringify(c.key)}: ${get} !== undefined ? ${get} : ${fallback}`;
  });
  // One object literal per entity type: every new entity gets the same hidden class.
  const factory = new Function(
    "d",
    `return function build(i, m) { return { ${parts.join(", ")} }; };`,
  );
  const relationNames = [...meta.relations.keys()];
  return {
    relations: meta.relations.size,
    known: new Set([...meta.byKey.keys(), ...relationNames]),
    build: factory(defaults) as Builder,
    relationNames,
  };
}

function compiled(meta: EntityMeta): Compiled {
  let c = meta.cache.get("new-entity") as Compiled | undefined;
  if (c === undefined || c.relations !== meta.relations.size) {
    c = compile(meta);
    meta.cache.set("new-entity", c);
  }
  return c;
}

/**
 * A new entity object from `db.add()` input: every column present (defaults applied, missing
 * nullable columns null, generated keys left undefined), many-to-one relation objects kept.
 */
export function newEntity(meta: EntityMeta, input: Obj): Obj {
  const c = compiled(meta);
  for (const k in input) {
    if (!c.known.has(k)) {
      throw new OrmError(
        "ORM_ENTITY_STATE",
        `add(${meta.name}): "${k}" is not a column or relation of ${meta.name} (columns: ${[...meta.byKey.keys()].join(", ")})`,
      );
    }
  }
  const obj = c.build(input, (position) => {
    const col = meta.columns[position]!;
    // A foreign key may come from a related object instead (`author: user`), linked on save.
    for (const h of meta.relations.values()) {
      if (h.meta.kind === "manyToOne" && h.meta.ownerColumn === col && input[h.name] != null)
        return null;
    }
    throw new OrmError(
      "ORM_ENTITY_STATE",
      `add(${meta.name}): "${col.key}" is required (not nullable, no default)`,
      {
        details: { entity: meta.name, column: col.key },
      },
    );
  });
  for (let i = 0; i < c.relationNames.length; i++) {
    const name = c.relationNames[i]!;
    if (name in input) obj[name] = input[name];
  }
  return obj;
}
