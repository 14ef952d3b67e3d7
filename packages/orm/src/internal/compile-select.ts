import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import type { Dialect } from "../pool/connection-pool.ts";
import type { Condition } from "../query/condition.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";
import { compileHydrator, encode, extraAlias, fieldAlias, selectsAsText } from "./codec.ts";
import { type CompiledShape, type ShapeCache, Slot, toShape } from "./shape-cache.ts";

/** A join: `entity` joined on `entityColumn = otherColumn` (a column of a table already in the query). */
export interface JoinState {
  readonly entity: EntityMeta;
  readonly entityColumn: ColumnMeta;
  readonly otherColumn: ColumnMeta;
  readonly left: boolean;
}

/** An output field: its key in the result object, and its column. */
export interface Field {
  readonly key: string;
  readonly column: ColumnMeta;
}

/** Everything a SELECT depends on. Values live in the conditions; the rest is the shape. */
export interface SelectState {
  readonly root: EntityMeta;
  readonly joins: readonly JoinState[];
  readonly where: readonly Condition[];
  /** `undefined`: the root entity's full row. */
  readonly fields: readonly Field[] | undefined;
  /** Columns appended after the fields (an include's grouping key). */
  readonly extra: readonly ColumnMeta[];
  readonly order: readonly { readonly column: ColumnMeta; readonly desc: boolean }[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  readonly distinct: boolean;
}

export type SelectMode = "rows" | "count" | "exists";

/** `in` lists are padded to a few sizes so they share compiled shapes. */
export function listBucket(n: number): number {
  if (n <= 8) return n;
  let b = 16;
  while (b < n) b *= 2;
  return b;
}

function collectCondition(c: Condition, key: string[], values: unknown[], dialect: Dialect): void {
  switch (c.op) {
    case "and":
    case "or":
      key.push(c.op === "and" ? "&(" : "|(");
      for (const item of c.items!) collectCondition(item, key, values, dialect);
      key.push(")");
      return;
    case "not":
      key.push("!(");
      collectCondition(c.items![0]!, key, values, dialect);
      key.push(")");
      return;
    case "true":
    case "false":
      key.push(c.op === "true" ? "T" : "F");
      return;
    case "is null":
    case "is not null":
      key.push(`${c.column!.entity.id}.${c.column!.key} ${c.op};`);
      return;
    case "in":
    case "not in": {
      const list = c.value as readonly unknown[];
      const bucket = listBucket(list.length);
      key.push(`${c.column!.entity.id}.${c.column!.key} ${c.op}${bucket};`);
      for (let i = 0; i < bucket; i++) {
        values.push(encode(c.column!, list[Math.min(i, list.length - 1)], dialect));
      }
      return;
    }
    default:
      key.push(`${c.column!.entity.id}.${c.column!.key}${c.op};`);
      values.push(encode(c.column!, c.value, dialect));
  }
}

/** The shape key and the parameter values of one SELECT, collected in one pass. */
export function collectSelect(
  state: SelectState,
  mode: SelectMode,
  dialect: Dialect,
): { key: string; values: unknown[] } {
  const key: string[] = [mode, String(state.root.id), state.distinct ? "D" : ""];
  for (const j of state.joins) {
    key.push(
      `${j.left ? "L" : "J"}${j.entity.id}.${j.entityColumn.key}=${j.otherColumn.entity.id}.${j.otherColumn.key}`,
    );
  }
  if (mode === "rows") {
    if (state.fields) {
      key.push("F");
      for (const f of state.fields) key.push(`${f.key}:${f.column.entity.id}.${f.column.key}`);
    }
    for (const x of state.extra) key.push(`X${x.entity.id}.${x.key}`);
  }
  const values: unknown[] = [];
  key.push("W");
  for (const c of state.where) collectCondition(c, key, values, dialect);
  if (mode === "rows") {
    for (const o of state.order) {
      key.push(`O${o.column.entity.id}.${o.column.key}${o.desc ? "-" : "+"}`);
    }
    if (state.limit !== undefined) {
      key.push("L");
      values.push(state.limit);
    }
    if (state.offset !== undefined) {
      key.push("S");
      values.push(state.offset);
    }
  }
  return { key: key.join(","), values };
}

type Aliases = ReadonlyMap<EntityMeta, string>;

function ref(aliases: Aliases, c: ColumnMeta): string {
  return `${aliases.get(c.entity) ?? c.entity.table}.${c.dbName}`;
}

function conditionExpr(
  eb: ExpressionBuilder<any, any>,
  c: Condition,
  aliases: Aliases,
  next: () => Slot,
): Expression<SqlBool> {
  switch (c.op) {
    case "and":
      return eb.and(c.items!.map((i) => conditionExpr(eb, i, aliases, next)));
    case "or":
      return eb.or(c.items!.map((i) => conditionExpr(eb, i, aliases, next)));
    case "not":
      return eb.not(conditionExpr(eb, c.items![0]!, aliases, next));
    case "true":
      return sql<SqlBool>`1 = 1`;
    case "false":
      return sql<SqlBool>`1 = 0`;
    case "is null":
      return eb(ref(aliases, c.column!), "is", null);
    case "is not null":
      return eb(ref(aliases, c.column!), "is not", null);
    case "in":
    case "not in": {
      const n = listBucket((c.value as readonly unknown[]).length);
      return eb(
        ref(aliases, c.column!),
        c.op,
        Array.from({ length: n }, () => next()),
      );
    }
    default:
      return eb(ref(aliases, c.column!), c.op, next());
  }
}

function selectExpr(aliases: Aliases, c: ColumnMeta, as: string, dialect: Dialect) {
  const r = sql.ref(ref(aliases, c));
  return selectsAsText(c.spec.kind, dialect) ? sql`cast(${r} as text)`.as(as) : r.as(as);
}

/** Compiles (or finds) the shape of a SELECT; `key` comes from {@link collectSelect}. */
export function compileSelect(
  k: Kysely<any>,
  cache: ShapeCache,
  key: string,
  state: SelectState,
  mode: SelectMode,
  dialect: Dialect,
): CompiledShape {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;

  const aliases = new Map<EntityMeta, string>([[state.root, "t0"]]);
  let q = k.selectFrom(`${state.root.table} as t0`);
  state.joins.forEach((j, i) => {
    const alias = `t${i + 1}`;
    const on = ref(aliases, j.otherColumn);
    if (!aliases.has(j.entity)) aliases.set(j.entity, alias);
    const table = `${j.entity.table} as ${alias}`;
    const mine = `${alias}.${j.entityColumn.dbName}`;
    q = j.left ? q.leftJoin(table, mine, on) : q.innerJoin(table, mine, on);
  });
  let slot = 0;
  const next = (): Slot => new Slot(slot++);

  let fields: readonly { key: string; column: ColumnMeta }[] = [];
  if (mode === "rows") {
    fields = state.fields ?? state.root.columns.map((c) => ({ key: c.key, column: c }));
    const width = fields.length;
    q = q.select([
      ...fields.map((f, i) =>
        selectExpr(aliases, f.column, fieldAlias(f.key, i, dialect), dialect),
      ),
      ...state.extra.map((c, i) => selectExpr(aliases, c, extraAlias(i, width, dialect), dialect)),
    ]);
    if (state.distinct) q = q.distinct();
  } else if (mode === "count") {
    q = q.select((eb) => eb.fn.countAll().as("count"));
  } else {
    q = q.select(sql.lit(1).as("one"));
  }
  for (const c of state.where) q = q.where((eb) => conditionExpr(eb, c, aliases, next));
  if (mode === "rows") {
    for (const o of state.order)
      q = q.orderBy(sql.ref(ref(aliases, o.column)), o.desc ? "desc" : "asc");
    if (state.limit !== undefined) q = q.limit(next() as never);
    if (state.offset !== undefined) {
      // SQLite allows OFFSET only after a LIMIT.
      if (state.limit === undefined && dialect === "sqlite") q = q.limit(-1);
      q = q.offset(next() as never);
    }
  } else if (mode === "exists") {
    q = q.limit(1);
  }
  const hydrate = mode === "rows" && state.fields ? compileHydrator(fields, dialect) : undefined;
  return cache.set(key, toShape(q.compile(), "select", hydrate));
}
