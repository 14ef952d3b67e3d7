// Snapshots are frozen, yet a relation can be included into a row the context loaded earlier
// (find, then include) and must land on that same object, or the identity map would hand out
// two objects for one row. So a snapshot of an entity with relations gets, before it is frozen,
// one enumerable accessor per relation, reading the value included for it from a side table.
// Each value is set once: a snapshot never changes a value it has shown, it can only gain a
// relation that read `undefined` until then.
import type { EntityMeta } from "../schema/entity-meta.ts";

const included = new WeakMap<object, Record<string, unknown>>();
const getters = new Map<string, () => unknown>();

function getterFor(name: string): () => unknown {
  let g = getters.get(name);
  if (g === undefined) {
    g = function relation(this: object): unknown {
      return included.get(this)?.[name];
    };
    getters.set(name, g);
  }
  return g;
}

/** The relation names of an entity (cached per relation count: relations are added later). */
export function relationNames(meta: EntityMeta): readonly string[] {
  const cached = meta.cache.get("relation-names") as { n: number; names: string[] } | undefined;
  if (cached !== undefined && cached.n === meta.relations.size) return cached.names;
  const names = [...meta.relations.keys()];
  meta.cache.set("relation-names", { n: meta.relations.size, names });
  return names;
}

/** Gives a row about to be frozen a slot per relation (reading `undefined` until included). */
export function addRelationSlots(row: object, names: readonly string[]): void {
  for (let i = 0; i < names.length; i++) {
    Object.defineProperty(row, names[i]!, {
      get: getterFor(names[i]!),
      enumerable: true,
      configurable: false,
    });
  }
}

/** Whether a relation was included into a snapshot already. */
export function isIncluded(row: object, name: string): boolean {
  const r = included.get(row);
  return r !== undefined && Object.hasOwn(r, name);
}

/** Includes a relation's (frozen) value into a snapshot; the first value stays. */
export function include(row: object, name: string, value: unknown): void {
  let r = included.get(row);
  if (r === undefined) {
    r = Object.create(null) as Record<string, unknown>;
    included.set(row, r);
  }
  if (!Object.hasOwn(r, name)) r[name] = value;
}
