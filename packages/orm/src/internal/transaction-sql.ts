import { OrmError } from "../errors.ts";
import type { DriverConnection } from "./driver-connection.ts";

/** Transaction options; the isolation level applies on PostgreSQL (SQLite is always serializable). */
export interface TransactionOptions {
  readonly isolationLevel?: "read committed" | "repeatable read" | "serializable";
  /** `read only` lets PostgreSQL skip work and rejects writes. */
  readonly accessMode?: "read write" | "read only";
}

const isolationLevels = new Set(["read committed", "repeatable read", "serializable"]);
const accessModes = new Set(["read write", "read only"]);

/** The statement that opens a transaction, checked so nothing unexpected reaches the SQL. */
export function beginSql(c: DriverConnection, readOnly: boolean, o: TransactionOptions): string {
  if (o.isolationLevel !== undefined && !isolationLevels.has(o.isolationLevel)) {
    throw new OrmError(
      "ORM_INVALID_QUERY",
      `isolationLevel "${String(o.isolationLevel)}" is not one of: ${[...isolationLevels].join(", ")}`,
    );
  }
  if (o.accessMode !== undefined && !accessModes.has(o.accessMode)) {
    throw new OrmError(
      "ORM_INVALID_QUERY",
      `accessMode "${String(o.accessMode)}" is not one of: ${[...accessModes].join(", ")}`,
    );
  }
  if (c.dialect === "sqlite") {
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way with
    // SQLITE_BUSY when it upgrades from reading to writing.
    return readOnly || o.accessMode === "read only" ? "begin" : "begin immediate";
  }
  const parts = ["begin"];
  if (o.isolationLevel) parts.push(`isolation level ${o.isolationLevel}`);
  if (o.accessMode) parts.push(o.accessMode);
  return parts.join(" ");
}
