import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";

/** The foreign-key columns of an entity, each with the column it references (cached). */
export function foreignKeys(meta: EntityMeta): readonly (readonly [ColumnMeta, ColumnMeta])[] {
  let f = meta.cache.get("foreign-keys") as [ColumnMeta, ColumnMeta][] | undefined;
  if (f === undefined) {
    f = [];
    for (const c of meta.columns) {
      if (c.spec.references) f.push([c, c.spec.references.target().meta]);
    }
    meta.cache.set("foreign-keys", f);
  }
  return f;
}
