import { fromNullable, toNullable } from "../nullable.ts";
import type { Dialect } from "../pool/connection-pool.ts";
import type { ColumnKind } from "../schema/column.ts";
import type { ColumnMeta, EntityMeta } from "../schema/entity-meta.ts";

/** Converts one value between JavaScript and the driver; `undefined` means "as is". */
export type Convert = ((value: unknown) => unknown) | undefined;

const toBuffer = (v: unknown): unknown =>
  v instanceof Uint8Array && !Buffer.isBuffer(v)
    ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
    : v;

function encoderFor(kind: ColumnKind, dialect: Dialect): Convert {
  if (dialect === "sqlite") {
    switch (kind) {
      case "boolean":
        return (v) => (typeof v === "boolean" ? (v ? 1 : 0) : v);
      case "timestamp":
        return (v) => (v instanceof Date ? v.toISOString() : v);
      case "json":
        return (v) => (v === null ? null : JSON.stringify(v));
      case "bytes":
        return toBuffer;
      default:
        return undefined;
    }
  }
  switch (kind) {
    case "json":
      // pg would send a JS array as a PostgreSQL array, so JSON is always serialised here.
      return (v) => (v === null ? null : JSON.stringify(v));
    case "bytes":
      return toBuffer;
    default:
      return undefined;
  }
}

function decoderFor(kind: ColumnKind, dialect: Dialect): Convert {
  if (dialect === "sqlite") {
    switch (kind) {
      case "boolean":
        return (v) => (v === null ? null : v !== 0 && v !== 0n);
      case "timestamp":
        return (v) => (v === null ? null : new Date(v as string));
      case "json":
        return (v) => (v === null ? null : JSON.parse(v as string));
      case "bigint":
        // Selected as text (see selectExpression) so values past 2^53 keep every digit.
        return (v) => (v === null ? null : BigInt(v as string));
      case "decimal":
        return (v) => (v === null ? null : String(v));
      default:
        return undefined;
    }
  }
  switch (kind) {
    case "real":
      // float4/float8 arrive as numbers; numeric would be text, so normalise defensively.
      return (v) => (typeof v === "string" ? Number(v) : v);
    default:
      return undefined;
  }
}

/** Whether a column's values are objects a snapshot must freeze deeply. */
export function isObjectKind(kind: ColumnKind): boolean {
  return kind === "json" || kind === "timestamp" || kind === "bytes";
}

/** Columns that SQLite must select through `cast(... as text)` to keep precision. */
export function selectsAsText(kind: ColumnKind, dialect: Dialect): boolean {
  return dialect === "sqlite" && (kind === "bigint" || kind === "decimal");
}

// Cache keys as constants: these lookups run once per row.
const encKey: Readonly<Record<Dialect, string>> = {
  sqlite: "enc:sqlite",
  postgres: "enc:postgres",
};
const hydKey: Readonly<Record<Dialect, string>> = {
  sqlite: "hyd:sqlite",
  postgres: "hyd:postgres",
};

/** Per-entity, per-dialect encoders, by column position. */
export function encoders(meta: EntityMeta, dialect: Dialect): readonly Convert[] {
  const key = encKey[dialect];
  let e = meta.cache.get(key) as Convert[] | undefined;
  if (e === undefined) {
    e = meta.columns.map((c) => {
      const base = encoderFor(c.spec.kind, dialect);
      if (!c.spec.wrapped) return base;
      return base ? (v: unknown) => base(fromNullable(v)) : fromNullable;
    });
    meta.cache.set(key, e);
  }
  return e;
}

/** Encodes one value for a column, for parameters. */
export function encode(col: ColumnMeta, value: unknown, dialect: Dialect): unknown {
  const e = encoders(col.entity, dialect)[col.position];
  if (value === null || value === undefined) return null;
  return e === undefined ? value : e(value);
}

function decoder(col: ColumnMeta, dialect: Dialect): Convert {
  const base = decoderFor(col.spec.kind, dialect);
  if (!col.spec.wrapped) return base;
  return base ? (v: unknown) => toNullable(base(v)) : toNullable;
}

/**
 * Whether a dialect's ORM queries read rows as objects keyed by property (SQLite: better-sqlite3
 * builds them natively, so no second object is made) or as arrays (PostgreSQL).
 */
export function objectRows(dialect: Dialect): boolean {
  return dialect === "sqlite";
}

/** The alias a selected field gets in SQL: its key for object rows, its position otherwise. */
export function fieldAlias(key: string, position: number, dialect: Dialect): string {
  return objectRows(dialect) ? key : `c${position}`;
}

/** The alias of an extra column appended after the fields (an include's grouping key). */
export function extraAlias(index: number, width: number, dialect: Dialect): string {
  return objectRows(dialect) ? `__x${index}` : `c${width + index}`;
}

/** Reads an extra column from a raw row, decoded, and removes it from object rows. */
export function readExtra(
  row: unknown,
  index: number,
  width: number,
  column: ColumnMeta,
  dialect: Dialect,
): unknown {
  let v: unknown;
  if (objectRows(dialect)) {
    const o = row as Record<string, unknown>;
    const key = `__x${index}`;
    v = o[key];
    delete o[key];
  } else {
    v = (row as unknown[])[width + index];
  }
  const d = decoder(column, dialect);
  return v === null || d === undefined ? v : d(v);
}

/**
 * Builds the row reader for the given output keys and columns (generated once per shape): from an
 * array for PostgreSQL, and for SQLite an in-place fix of the converted fields only (often none).
 */
export function compileHydrator(
  fields: readonly { readonly key: string; readonly column: ColumnMeta }[],
  dialect: Dialect,
): (row: any) => Record<string, unknown> {
  const converters: Convert[] = [];
  if (objectRows(dialect)) {
    const fixes: string[] = [];
    fields.forEach((f, i) => {
      const d = decoder(f.column, dialect);
      converters.push(d);
      if (d !== undefined)
        fixes.push(`r[${JSON.stringify(f.key)}] = c[${i}](r[${JSON.stringify(f.key)}]);`);
    });
    if (fixes.length === 0) return identity;
    const fixer = new Function("c", `return function fix(r) { ${fixes.join(" ")} return r; };`);
    return fixer(converters) as (row: any) => Record<string, unknown>;
  }
  const parts = fields.map((f, i) => {
    const d = decoder(f.column, dialect);
    converters.push(d);
    return `${JSON.stringify(f.key)}: ${d === undefined ? `r[${i}]` : `c[${i}](r[${i}])`}`;
  });
  // A generated literal gives every row the same hidden class and no per-field branching.
  const factory = new Function(
    "c",
    `return function hydrate(r) { return { ${parts.join(", ")} }; };`,
  );
  return factory(converters) as (row: any) => Record<string, unknown>;
}

const identity = (row: any): Record<string, unknown> => row;

/** The full-row hydrator of an entity (columns in declaration order). */
export function entityHydrator(
  meta: EntityMeta,
  dialect: Dialect,
): (row: any) => Record<string, unknown> {
  const key = hydKey[dialect];
  let h = meta.cache.get(key) as ((row: any) => Record<string, unknown>) | undefined;
  if (h === undefined) {
    h = compileHydrator(
      meta.columns.map((c) => ({ key: c.key, column: c })),
      dialect,
    );
    meta.cache.set(key, h);
  }
  return h;
}

/** Keys of an entity's columns that hold objects (deep-frozen in snapshots). */
export function objectKeys(meta: EntityMeta): readonly string[] {
  let k = meta.cache.get("objkeys") as string[] | undefined;
  if (k === undefined) {
    k = meta.columns.filter((c) => isObjectKind(c.spec.kind)).map((c) => c.key);
    meta.cache.set("objkeys", k);
  }
  return k;
}
