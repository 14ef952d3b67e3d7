import type { AtomicKind } from "./internal/atomic-layout.ts";
import type { Nullable } from "./nullable.ts";

export type { AtomicKind };

/** The payload type of a kind: `bigint` for `"bigint64"`, `number` otherwise. */
export type AtomicValue<K extends AtomicKind> = K extends "bigint64" ? bigint : number;

/** What `store`, `exchange` and `compareAndSet` accept: a value, a Nullable, or null for none. */
export type AtomicInput<T> = T | Nullable<T> | null | undefined;

/** Options of `AtomicNullable.create`. */
export interface AtomicNullableOptions<T> {
  /** The value the slot starts with; none when omitted. */
  readonly initial?: AtomicInput<T>;
  /** Place the slot in this buffer (several slots can share one) instead of a new one. */
  readonly buffer?: SharedArrayBuffer;
  /** Byte offset of the slot in `buffer`: a multiple of 8 with `AtomicNullable.byteLength` (16) bytes free. */
  readonly byteOffset?: number;
}

/** Options of `waitFor`. */
export interface WaitOptions {
  /** Give up after this many milliseconds with `NULLABLE_WAIT_TIMEOUT`; waits forever when omitted. */
  readonly timeoutMs?: number;
}

/** Options of `waitForAsync`. */
export interface WaitAsyncOptions extends WaitOptions {
  /** Stops waiting with `NULLABLE_WAIT_ABORTED` when aborted. */
  readonly signal?: AbortSignal;
}
