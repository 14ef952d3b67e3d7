import { createHash } from "node:crypto";
import type { Dialect } from "../../pool/connection-pool.ts";
import type { ColumnSpec } from "../../schema/column.ts";

/** A quoted identifier (both dialects use double quotes). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `("a", "b")`. */
export function identList(names: readonly string[]): string {
  return `(${names.map(ident).join(", ")})`;
}

/** A quoted string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

// PostgreSQL cuts identifiers at 63 bytes; made-up names are shortened the same way on both
// dialects (with a hash, so two long names never collide) so they match what the database keeps.
const MAX_IDENTIFIER = 63;

/** A generated constraint or index name that fits PostgreSQL's identifier limit. */
export function autoName(...parts: string[]): string {
  const name = parts.join("_");
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  let head = name;
  while (Buffer.byteLength(head) > MAX_IDENTIFIER - 9) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

/** The default of a column as a SQL expression, as `createTables` and migrations declare it. */
export function defaultSql(spec: ColumnSpec, dialect: Dialect): string | undefined {
  const d = spec.default;
  if (d === undefined) return undefined;
  if (d.kind === "now") {
    return dialect === "postgres" ? "now()" : "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  }
  // SQLite has no UUID function: `db.add()` always supplies the value.
  if (d.kind === "uuid") return dialect === "postgres" ? "gen_random_uuid()" : undefined;
  const v = d.value;
  if (v === null || v === undefined) return undefined;
  if (spec.kind === "json") return literal(JSON.stringify(v));
  if (typeof v === "boolean") return dialect === "postgres" ? String(v) : v ? "1" : "0";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return literal(v.toISOString());
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex");
    return dialect === "postgres" ? `'\\x${hex}'::bytea` : `X'${hex}'`;
  }
  return literal(String(v));
}

/** Whether SQLite's ADD COLUMN accepts this default (no expressions, no CURRENT_*). */
export function isConstantDefault(expr: string | undefined): boolean {
  if (expr === undefined) return true;
  const e = expr.trim();
  if (e.startsWith("(")) return false;
  return !/^current_(time|date|timestamp)$/i.test(e);
}
