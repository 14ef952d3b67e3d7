/** Every error code @dext/orm throws; each is documented in the README. */
export type OrmErrorCode =
  | "ORM_POOL_TIMEOUT"
  | "ORM_POOL_CLOSED"
  | "ORM_ACQUIRE_ABORTED"
  | "ORM_CONNECTION_FAILED"
  | "ORM_CONNECTION_BUSY"
  | "ORM_DRIVER_MISSING"
  | "ORM_INVALID_CONFIG"
  | "ORM_INVALID_ENTITY"
  | "ORM_INVALID_QUERY"
  | "ORM_UNDEFINED_FILTER"
  | "ORM_QUERY_FAILED"
  | "ORM_UNIQUE_VIOLATION"
  | "ORM_FOREIGN_KEY_VIOLATION"
  | "ORM_NOT_NULL_VIOLATION"
  | "ORM_CHECK_VIOLATION"
  | "ORM_SERIALIZATION_FAILURE"
  | "ORM_NOT_FOUND"
  | "ORM_CONCURRENCY_CONFLICT"
  | "ORM_READ_ONLY"
  | "ORM_ENTITY_STATE"
  | "ORM_CONTEXT_DISPOSED"
  | "ORM_TRANSACTION_STATE"
  | "ORM_SCHEMA_MISMATCH"
  | "ORM_MIGRATION_INVALID"
  | "ORM_MIGRATION_FAILED"
  | "ORM_MIGRATION_CHANGED"
  | "ORM_MIGRATION_MISSING"
  | "ORM_MIGRATION_NOT_FOUND"
  | "ORM_MIGRATION_ORDER"
  | "ORM_MIGRATION_PENDING"
  | "ORM_MIGRATION_IRREVERSIBLE"
  | "ORM_MIGRATION_LOCKED"
  | "ORM_SEED_FAILED";

/**
 * The one error class of @dext/orm: a stable `code`, a message that says what was wrong, where
 * and what to do, and the driver error as `cause` where there is one.
 *
 * @example
 * ```ts
 * try {
 *   await db.saveChanges();
 * } catch (e) {
 *   if (e instanceof OrmError && e.code === "ORM_CONCURRENCY_CONFLICT") return conflict(e.message);
 *   throw e;
 * }
 * ```
 */
export class OrmError extends Error {
  override readonly name: string = "OrmError";
  readonly code: OrmErrorCode;
  /** Facts for logs and problem responses (entity, key, constraint, pool stats); never SQL values. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: OrmErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** True when `error` is an {@link OrmError}, optionally with the given code. */
export function isOrmError(error: unknown, code?: OrmErrorCode): error is OrmError {
  return error instanceof OrmError && (code === undefined || error.code === code);
}
