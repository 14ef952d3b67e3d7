import type { Dialect } from "../../pool/connection-pool.ts";

const pgSynonyms: ReadonlyArray<readonly [RegExp, string]> = [
  [/^character varying/, "varchar"],
  [/^char varying/, "varchar"],
  [/^timestamp with time zone$/, "timestamptz"],
  [/^timestamp without time zone$/, "timestamp"],
  [/^time with time zone$/, "timetz"],
  [/^time without time zone$/, "time"],
  [/^(int4|int|serial|serial4)$/, "integer"],
  [/^(int8|bigserial|serial8)$/, "bigint"],
  [/^(int2|smallserial|serial2)$/, "smallint"],
  [/^float8$/, "double precision"],
  [/^float4$/, "real"],
  [/^bool$/, "boolean"],
  [/^decimal/, "numeric"],
];

/**
 * The form two PostgreSQL types are compared in (`character varying(20)` and `varchar(20)` are
 * one type); SQLite types compare by their column affinity, which is all SQLite enforces.
 */
export function canonicalType(dialect: Dialect, type: string): string {
  const t = type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\s*,\s*/g, ",");
  if (dialect === "sqlite") return sqliteAffinity(t);
  let out = t.replace(/\s*\(\s*/g, "(").replace(/\s*\)/g, ")");
  for (const [pattern, replacement] of pgSynonyms) out = out.replace(pattern, replacement);
  return out;
}

/** SQLite's affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity). */
export function sqliteAffinity(declared: string): string {
  const t = declared.toUpperCase();
  if (t.includes("INT")) return "integer";
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT")) return "text";
  if (t === "" || t.includes("BLOB")) return "blob";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return "real";
  return "numeric";
}

export function sameType(dialect: Dialect, a: string, b: string): boolean {
  return canonicalType(dialect, a) === canonicalType(dialect, b);
}
