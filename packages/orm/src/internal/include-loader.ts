import { Condition } from "../query/condition.ts";
import type { ColumnMeta } from "../schema/entity-meta.ts";
import type { RelationMeta } from "../schema/relation.ts";
import { objectRows, readExtra } from "./codec.ts";
import { collectSelect, compileSelect, type SelectState } from "./compile-select.ts";
import type { ContextCore } from "./context-core.ts";
import { include, isIncluded } from "./relation-slots.ts";
import { bind } from "./shape-cache.ts";

/** An `include()`: a relation, and what to include on its rows in turn. */
export interface IncludeSpec {
  readonly relation: RelationMeta;
  readonly nested: readonly IncludeSpec[];
}

/** Keys per `IN (...)` query: large parent sets take a few queries, never one per parent. */
const CHUNK = 500;

/**
 * Loads `include` for all `parents` with one query per relation (per 500 distinct keys), then
 * attaches the results: the answer to N+1. Every row goes through the context's identity map;
 * a snapshot that holds the relation already keeps it (its rows are not loaded again), and its
 * related rows still get the nested includes.
 */
export async function loadIncludes(
  core: ContextCore,
  parents: readonly Record<string, unknown>[],
  includes: readonly IncludeSpec[],
  tracked: boolean,
): Promise<void> {
  for (const inc of includes) await loadOne(core, parents, inc, tracked);
}

async function loadOne(
  core: ContextCore,
  parents: readonly Record<string, unknown>[],
  inc: IncludeSpec,
  tracked: boolean,
): Promise<void> {
  const rel = inc.relation;
  const name = rel.name;
  const groups = new Map<unknown, Record<string, unknown>[]>();
  const children: Record<string, unknown>[] = [];
  const seenChildren = new Set<object>();
  const addChild = (child: Record<string, unknown>): void => {
    if (!seenChildren.has(child)) {
      seenChildren.add(child);
      children.push(child);
    }
  };
  let pending: readonly Record<string, unknown>[] = parents;
  if (!tracked) {
    pending = parents.filter((p) => !isIncluded(p, name));
    if (inc.nested.length > 0 && pending.length < parents.length) {
      for (const p of parents) {
        if (pending.includes(p)) continue;
        const v = p[name];
        if (Array.isArray(v)) for (const c of v) addChild(c as Record<string, unknown>);
        else if (v !== null && v !== undefined) addChild(v as Record<string, unknown>);
      }
    }
  }
  const keys = new Set<unknown>();
  for (const p of pending) {
    const v = p[rel.ownerColumn.key];
    if (v !== null && v !== undefined) keys.add(v);
  }
  const many = rel.kind === "manyToMany";
  const groupColumn: ColumnMeta = many ? rel.through!.toOwner : rel.targetColumn;
  const all = [...keys];

  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const state: SelectState = {
      root: rel.target,
      joins: many
        ? [
            {
              entity: rel.through!.entity,
              entityColumn: rel.through!.toTarget,
              otherColumn: rel.targetColumn,
              left: false,
            },
          ]
        : [],
      where: [new Condition("in", groupColumn, chunk, undefined)],
      fields: undefined,
      extra: many ? [groupColumn] : [],
      order: rel.target.primaryKey.map((c) => ({ column: c, desc: false })),
      limit: undefined,
      offset: undefined,
      distinct: false,
    };
    const { key, values } = collectSelect(state, "rows", core.dialect);
    const shape = compileSelect(core.db.compiler, core.db.shapes, key, state, "rows", core.dialect);
    const r = core.session.query(
      shape.sql,
      bind(shape, values),
      "select",
      !objectRows(core.dialect),
    );
    const rows = (r instanceof Promise ? await r : r).rows as unknown[][];
    const width = rel.target.columns.length;
    for (const raw of rows) {
      // The grouping column of a many-to-many comes first: it is not part of the entity.
      const joined = many ? readExtra(raw, 0, width, groupColumn, core.dialect) : undefined;
      const child = (
        tracked ? core.track(rel.target, raw) : core.snapshot(rel.target, raw)
      ) as Record<string, unknown>;
      const g = many ? joined : child[groupColumn.key];
      let list = groups.get(g);
      if (list === undefined) {
        list = [];
        groups.set(g, list);
      }
      list.push(child);
      addChild(child);
    }
  }
  if (inc.nested.length > 0) await loadIncludes(core, children, inc.nested, tracked);
  for (const p of pending) {
    const list = groups.get(p[rel.ownerColumn.key]);
    const value = rel.kind === "manyToOne" ? (list?.[0] ?? null) : (list ?? []);
    if (tracked) p[name] = value;
    else include(p, name, Array.isArray(value) ? Object.freeze(value) : value);
  }
}
