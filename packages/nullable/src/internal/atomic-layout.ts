// One AtomicNullable slot: 16 bytes at an 8-byte aligned offset.
//
//   bytes 0-7    STATE    the whole value, presence included, as one 64-bit word, so every
//                         read and write is a single Atomics operation on a BigInt64Array
//   bytes 8-11   WAITERS  threads sleeping on STATE, so writers notify only when needed
//   bytes 12-15  HEADER   MAGIC | kind code, written once when the slot is created
//
// How each kind packs into STATE is in atomic-codec.ts.
import { NullableError } from "../errors.ts";

export const STATE = 0; // index in the BigInt64Array view
export const WAITERS = 2; // indexes in the Int32Array view
export const HEADER = 3;
export const BYTES: number = 16;

export const MAGIC = 0x4e4c5500; // "NLU" and a kind byte

export type AtomicKind = "int32" | "float64" | "bigint64";

export const KIND_CODES: Readonly<Record<AtomicKind, number>> = {
  int32: 1,
  float64: 2,
  bigint64: 3,
};
const KINDS: readonly (AtomicKind | undefined)[] = [undefined, "int32", "float64", "bigint64"];

/** The two views of one slot. */
export interface SlotViews {
  readonly state: BigInt64Array;
  readonly words: Int32Array;
}

function views(buffer: unknown, byteOffset: unknown, operation: string): SlotViews {
  const type = Object.prototype.toString.call(buffer);
  if (type !== "[object SharedArrayBuffer]") {
    throw new NullableError(
      "NULLABLE_ATOMIC_BUFFER",
      `AtomicNullable.${operation} needs a SharedArrayBuffer (pass atomic.buffer to the worker) but got ${type}.`,
    );
  }
  const sab = buffer as SharedArrayBuffer;
  if (
    typeof byteOffset !== "number" ||
    !Number.isInteger(byteOffset) ||
    byteOffset < 0 ||
    byteOffset % 8 !== 0
  ) {
    throw new NullableError(
      "NULLABLE_ATOMIC_BUFFER",
      `AtomicNullable.${operation}: byteOffset ${String(byteOffset)} must be a non-negative multiple of 8.`,
    );
  }
  if (byteOffset + BYTES > sab.byteLength) {
    throw new NullableError(
      "NULLABLE_ATOMIC_BUFFER",
      `AtomicNullable.${operation}: a slot needs ${BYTES} bytes at byteOffset ${byteOffset} but the buffer has ${sab.byteLength}.`,
    );
  }
  return {
    state: new BigInt64Array(sab, byteOffset, 2),
    words: new Int32Array(sab, byteOffset, 4),
  };
}

/** The code of a kind, rejecting anything else (callers may not be type-checked). */
export function kindCode(kind: unknown): number {
  if (typeof kind !== "string" || !Object.hasOwn(KIND_CODES, kind)) {
    throw new NullableError(
      "NULLABLE_INVALID_ARGUMENT",
      `AtomicNullable kind must be "int32", "float64" or "bigint64" but got ${String(kind)}.`,
    );
  }
  return KIND_CODES[kind as AtomicKind];
}

/** Writes a new slot's initial state and header at `byteOffset`, which must be free. */
export function claimSlot(
  buffer: unknown,
  byteOffset: number,
  code: number,
  initial: bigint,
): SlotViews {
  const slot = views(buffer, byteOffset, "create");
  if (Atomics.load(slot.words, HEADER) !== 0) {
    throw new NullableError(
      "NULLABLE_ATOMIC_BUFFER",
      `AtomicNullable.create: byte ${byteOffset} of the buffer already holds a slot; use AtomicNullable.attach(buffer, kind, ${byteOffset}) to use it, or pick free bytes.`,
    );
  }
  Atomics.store(slot.state, STATE, initial);
  // The header goes last: a slot is only recognised once its value is in place.
  Atomics.store(slot.words, HEADER, MAGIC | code);
  return slot;
}

/** The views of the existing slot of `kind` at `byteOffset`, after checking its header. */
export function openSlot(buffer: unknown, byteOffset: number, kind: AtomicKind): SlotViews {
  const slot = views(buffer, byteOffset, "attach");
  const header = Atomics.load(slot.words, HEADER);
  const found = (header & ~0xff) === MAGIC ? KINDS[header & 0xff] : undefined;
  if (found !== kind) {
    throw new NullableError(
      "NULLABLE_ATOMIC_BUFFER",
      found
        ? `AtomicNullable.attach: the slot at byte ${byteOffset} holds ${found}, not ${String(kind)}.`
        : `AtomicNullable.attach: byte ${byteOffset} of the buffer holds no AtomicNullable; create one with AtomicNullable.create and send its buffer.`,
    );
  }
  return slot;
}
