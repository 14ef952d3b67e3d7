import { OrmError, type OrmErrorCode } from "../errors.ts";
import type { Dialect } from "../pool/connection-pool.ts";

interface DriverError {
  code?: string;
  message?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

const pgCodes: Readonly<Record<string, OrmErrorCode>> = {
  "23505": "ORM_UNIQUE_VIOLATION",
  "23503": "ORM_FOREIGN_KEY_VIOLATION",
  "23502": "ORM_NOT_NULL_VIOLATION",
  "23514": "ORM_CHECK_VIOLATION",
  "25006": "ORM_READ_ONLY",
  "40001": "ORM_SERIALIZATION_FAILURE",
  "40P01": "ORM_SERIALIZATION_FAILURE",
};

function sqliteCode(e: DriverError): OrmErrorCode | undefined {
  const c = e.code ?? "";
  if (c === "SQLITE_CONSTRAINT_UNIQUE" || c === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return "ORM_UNIQUE_VIOLATION";
  }
  if (c === "SQLITE_CONSTRAINT_FOREIGNKEY") return "ORM_FOREIGN_KEY_VIOLATION";
  if (c === "SQLITE_CONSTRAINT_NOTNULL") return "ORM_NOT_NULL_VIOLATION";
  if (c === "SQLITE_CONSTRAINT_CHECK") return "ORM_CHECK_VIOLATION";
  if (c.startsWith("SQLITE_READONLY")) return "ORM_READ_ONLY";
  if (c === "SQLITE_BUSY" || c === "SQLITE_BUSY_SNAPSHOT") return "ORM_SERIALIZATION_FAILURE";
  if (e instanceof TypeError && /busy executing a query/.test(e.message ?? "")) {
    return "ORM_CONNECTION_BUSY";
  }
  return undefined;
}

const advice: Partial<Record<OrmErrorCode, string>> = {
  ORM_UNIQUE_VIOLATION: "a row with the same unique value exists",
  ORM_FOREIGN_KEY_VIOLATION: "a referenced row is missing, or rows still reference this one",
  ORM_NOT_NULL_VIOLATION: "a required column got no value",
  ORM_CHECK_VIOLATION: "a check constraint rejected the values",
  ORM_READ_ONLY: "this connection is read-only: write through a DbContext, not a ReadOnlyDbContext",
  ORM_SERIALIZATION_FAILURE: "the transaction conflicted with another one; retry it",
  ORM_CONNECTION_BUSY:
    "the connection is streaming rows: finish the stream (or run the other query outside the transaction) first",
};

/**
 * Turns a driver error into an `OrmError` with a code the app can branch on, the statement it
 * came from (parameterized: values are never in messages), and the driver error as `cause`.
 */
export function translateError(
  error: unknown,
  dialect: Dialect,
  what: string,
  sql?: string,
): OrmError {
  if (error instanceof OrmError) return error;
  const e = (error ?? {}) as DriverError;
  const code: OrmErrorCode =
    (dialect === "postgres" ? pgCodes[e.code ?? ""] : sqliteCode(e)) ?? "ORM_QUERY_FAILED";
  const driverMessage = e.message ?? String(error);
  const why = advice[code];
  const details: Record<string, unknown> = { dialect };
  if (e.code !== undefined) details.driverCode = e.code;
  if (e.constraint !== undefined) details.constraint = e.constraint;
  if (e.table !== undefined) details.table = e.table;
  if (e.column !== undefined) details.column = e.column;
  if (code === "ORM_SERIALIZATION_FAILURE") details.retryable = true;
  return new OrmError(
    code,
    `${what} failed: ${driverMessage}${why ? ` (${why})` : ""}${sql ? `\n  statement: ${sql}` : ""}`,
    { cause: error, details },
  );
}
