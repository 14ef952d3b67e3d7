/**
 * Every error code @dext/immutable throws; each is documented in the README.
 *
 * @example
 * ```ts
 * import { ImmutableError, type ImmutableErrorCode } from "@dext/immutable";
 *
 * const isSealed = (error: unknown): boolean =>
 *   error instanceof ImmutableError && error.code === ("IMMUTABLE_BUILDER_SEALED" satisfies ImmutableErrorCode);
 * ```
 */
export type ImmutableErrorCode =
  | "IMMUTABLE_BUILDER_SEALED"
  | "IMMUTABLE_INDEX_OUT_OF_RANGE"
  | "IMMUTABLE_INVALID_ARGUMENT"
  | "IMMUTABLE_INVALID_HASH"
  | "IMMUTABLE_FROZEN"
  | "IMMUTABLE_UNFREEZABLE";

/**
 * The base error of @dext/immutable: a stable `code` and, where there is one, the `cause`.
 *
 * @example
 * ```ts
 * import { ImmutableError, ImmutableList } from "@dext/immutable";
 *
 * try {
 *   ImmutableList.of(1, 2).set(5, 0);
 * } catch (error) {
 *   if (error instanceof ImmutableError) console.log(error.code); // "IMMUTABLE_INDEX_OUT_OF_RANGE"
 * }
 * ```
 */
export class ImmutableError extends Error {
  override readonly name: string = "ImmutableError";
  readonly code: ImmutableErrorCode;

  constructor(code: ImmutableErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
