// Packs a payload and its presence into the slot's one 64-bit STATE word, so that every
// operation is a single Atomics operation and no read can ever be torn:
//
//   int32     low 32 bits = the value, bit 32 = present (1) or none (0)
//   float64   the IEEE-754 bits; none is one reserved NaN bit pattern. Every NaN a caller
//             stores is written as the canonical quiet NaN, so no number collides with it.
//   bigint64  the value; none is -2^63, which is therefore not storable
//
// Conversions go through an 8-byte scratch buffer viewed as float64, bigint64 and two int32
// halves (each thread has its own module instance, hence its own scratch).
import { NullableError } from "../errors.ts";
import { describeValue } from "./describe.ts";

const scratch = new ArrayBuffer(8);
const f64 = new Float64Array(scratch);
const i64 = new BigInt64Array(scratch);
const halves = new Int32Array(scratch);

export const INT32 = 1;
export const FLOAT64 = 2;
export const BIGINT64 = 3;

const CANONICAL_NAN = 0x7ff8000000000000n;
const FLOAT64_NONE = 0x7ff4_0000_4e4c_0000n; // a signalling NaN JavaScript never produces here
const BIGINT64_NONE = -(2n ** 63n);
const INT32_NONE = 0n;

/** The STATE word of none for a kind. */
export function noneState(code: number): bigint {
  return code === FLOAT64 ? FLOAT64_NONE : code === BIGINT64 ? BIGINT64_NONE : INT32_NONE;
}

function rangeError(kind: string, value: unknown, holds: string): NullableError {
  return new NullableError(
    "NULLABLE_ATOMIC_RANGE",
    `cannot store ${describeValue(value)} in a ${kind} AtomicNullable: it holds ${holds}.`,
  );
}

/** The STATE word for `value` (a payload, or null/undefined for none). */
export function encode(code: number, value: unknown): bigint {
  if (value === null || value === undefined) return noneState(code);
  if (code === INT32) {
    if (typeof value !== "number" || (value | 0) !== value) {
      throw rangeError(
        "int32",
        value,
        "integers from -2147483648 to 2147483647 (create a float64 or bigint64 AtomicNullable for other numbers)",
      );
    }
    halves[0] = value;
    halves[1] = 1;
    return i64[0]!;
  }
  if (code === FLOAT64) {
    if (typeof value !== "number") throw rangeError("float64", value, "numbers");
    if (Number.isNaN(value)) return CANONICAL_NAN;
    f64[0] = value;
    return i64[0]!;
  }
  if (typeof value !== "bigint" || BigInt.asIntN(64, value) !== value || value === BIGINT64_NONE) {
    throw rangeError(
      "bigint64",
      value,
      "bigints from -(2n ** 63n) + 1n to 2n ** 63n - 1n (-(2n ** 63n) is reserved for none)",
    );
  }
  return value;
}

/** The payload of a STATE word, or undefined for none. */
export function decode(code: number, state: bigint): number | bigint | undefined {
  if (code === INT32) {
    i64[0] = state;
    return halves[1] === 0 ? undefined : halves[0]!;
  }
  if (code === FLOAT64) {
    if (state === FLOAT64_NONE) return undefined;
    i64[0] = state;
    return f64[0]!;
  }
  return state === BIGINT64_NONE ? undefined : state;
}
