import type { Dialect } from "../pool/connection-pool.ts";
import type { ColumnSpec } from "./column.ts";

/**
 * The SQL type a column has on a dialect: what `createTables` declares and what schema
 * validation and generated migrations compare against.
 *
 * @example
 * ```ts
 * columnSqlType(col.timestamp().spec, "postgres"); // "timestamptz"
 * ```
 */
export function columnSqlType(spec: ColumnSpec, dialect: Dialect): string {
  const pg = dialect === "postgres";
  switch (spec.kind) {
    case "int":
      return "integer";
    case "bigint":
      return pg ? "bigint" : "integer";
    case "real":
      return pg ? "double precision" : "real";
    case "decimal":
      return pg
        ? spec.precision !== undefined
          ? `numeric(${spec.precision}, ${spec.scale ?? 0})`
          : "numeric"
        : "numeric";
    case "text":
      return "text";
    case "varchar":
      return pg ? `varchar(${spec.length})` : "text";
    case "boolean":
      return pg ? "boolean" : "integer";
    case "timestamp":
      return pg ? "timestamptz" : "text";
    case "date":
      return pg ? "date" : "text";
    case "json":
      return pg ? "jsonb" : "text";
    case "uuid":
      return pg ? "uuid" : "text";
    case "bytes":
      return pg ? "bytea" : "blob";
  }
}
