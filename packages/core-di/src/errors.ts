/** Every error code @dext/core-di throws; each is documented in the README. */
export type DiErrorCode =
  | "DI_INVALID_GRAPH"
  | "DI_INVALID_MODULES"
  | "DI_INVALID_REGISTRATION"
  | "DI_NOT_REGISTERED"
  | "DI_SCOPED_FROM_ROOT"
  | "DI_NO_SCOPE"
  | "DI_SCOPE_DISPOSED"
  | "DI_ASYNC_NOT_READY"
  | "DI_FACTORY_FAILED"
  | "DI_DISPOSAL_FAILED"
  | "DI_ALREADY_BUILT"
  | "CONFIG_INVALID"
  | "CONFIG_PARSE"
  | "CONFIG_READ"
  | "HOST_INVALID_STATE"
  | "HOST_STARTUP_FAILED"
  | "HOST_STOP_FAILED"
  | "HOST_STOP_TIMEOUT";

/** The base error of @dext/core-di: a stable `code` and, where there is one, the `cause`. */
export class DiError extends Error {
  override readonly name: string = "DiError";
  readonly code: DiErrorCode;

  constructor(code: DiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Thrown when disposing one or more services failed; `errors` holds every failure. */
export class DisposalError extends AggregateError {
  override readonly name: string = "DisposalError";
  readonly code: "DI_DISPOSAL_FAILED" = "DI_DISPOSAL_FAILED";

  constructor(errors: readonly unknown[], what: string) {
    super(
      errors,
      `${errors.length} disposal${errors.length === 1 ? "" : "s"} failed while disposing ${what}: ${errors
        .map((e) => (e instanceof Error ? e.message : String(e)))
        .join("; ")}`,
    );
  }
}
