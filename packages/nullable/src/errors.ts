/** Every error code @dext/nullable throws; each is documented in the README. */
export type NullableErrorCode =
  | "NULLABLE_NONE"
  | "NULLABLE_NULL_VALUE"
  | "NULLABLE_NOT_COMPARABLE"
  | "NULLABLE_NOT_REVIVABLE"
  | "NULLABLE_INVALID_ARGUMENT"
  | "NULLABLE_ATOMIC_RANGE"
  | "NULLABLE_ATOMIC_BUFFER"
  | "NULLABLE_WAIT_TIMEOUT"
  | "NULLABLE_WAIT_ABORTED";

/**
 * The base error of @dext/nullable: a stable `code` and, where there is one, the `cause`.
 *
 * @example
 * ```ts
 * try {
 *   Nullable.none<string>().getOrThrow("user.email");
 * } catch (error) {
 *   if (error instanceof NullableError && error.code === "NULLABLE_NONE") console.log(error.message);
 * }
 * ```
 */
export class NullableError extends Error {
  override readonly name: string = "NullableError";
  readonly code: NullableErrorCode;

  constructor(code: NullableErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
