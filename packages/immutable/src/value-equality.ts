import { ImmutableError } from "./errors.ts";

/**
 * An object compared by value: `ImmutableMap` keys and `equals()` of the collections use
 * `equals` and `hashCode` when a value provides both. Equal objects must return equal hashes.
 *
 * @example
 * ```ts
 * import { ImmutableMap, type ValueObject } from "@dext/immutable";
 *
 * class Point implements ValueObject {
 *   readonly x: number;
 *   readonly y: number;
 *   constructor(x: number, y: number) {
 *     this.x = x;
 *     this.y = y;
 *   }
 *   equals(other: unknown): boolean {
 *     return other instanceof Point && other.x === this.x && other.y === this.y;
 *   }
 *   hashCode(): number {
 *     return (this.x * 31 + this.y) | 0;
 *   }
 * }
 * const grid = ImmutableMap.empty<Point, string>().set(new Point(1, 2), "tree");
 * grid.get(new Point(1, 2)); // "tree"
 * ```
 */
export interface ValueObject {
  equals(other: unknown): boolean;
  hashCode(): number;
}

/**
 * Whether `value` is a {@link ValueObject}: an object with both `equals` and `hashCode` methods.
 *
 * @example
 * ```ts
 * import { ImmutableList, isValueObject } from "@dext/immutable";
 *
 * isValueObject(ImmutableList.of(1)); // true
 * isValueObject({}); // false
 * ```
 */
export function isValueObject(value: unknown): value is ValueObject {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ValueObject).equals === "function" &&
    typeof (value as ValueObject).hashCode === "function"
  );
}

/**
 * The equality every collection in this package uses: SameValueZero for primitives (so `NaN`
 * equals `NaN` and `0` equals `-0`), `a.equals(b)` for {@link ValueObject}s, identity otherwise.
 *
 * @example
 * ```ts
 * import { ImmutableList, valuesEqual } from "@dext/immutable";
 *
 * valuesEqual(Number.NaN, Number.NaN); // true
 * valuesEqual(ImmutableList.of(1, 2), ImmutableList.of(1, 2)); // true
 * valuesEqual({ a: 1 }, { a: 1 }); // false: plain objects compare by identity
 * ```
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the only value not equal to itself.
  if (a !== a) return b !== b;
  return isValueObject(a) && isValueObject(b) && a.equals(b) === true;
}

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const identities = new WeakMap<object | symbol, number>();
let nextIdentity = 1;

// Murmur3's finalizer: spreads hashes whose entropy sits in the high bits over the low bits the
// trie reads first. Small integers and short strings skip it: their low bits already differ.
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function hashNumber(n: number): number {
  if ((n | 0) === n) return n | 0;
  // biome-ignore lint/suspicious/noSelfCompare: every NaN must hash alike.
  if (n !== n) return 0x7ff80000;
  float[0] = n;
  return mix(words[0]! ^ words[1]!);
}

// Long keys (paths, JSON) are hashed once and remembered: a Map finds a string by the hash the
// engine caches inside it, so a repeated lookup costs O(1) instead of O(length).
const LONG_STRING = 64;
const longStringHashes = new Map<string, number>();

// The 32-bit string hash Java and Immutable.js use, so equal strings always hash alike.
function hashString(s: string): number {
  if (s.length > LONG_STRING) {
    const known = longStringHashes.get(s);
    if (known !== undefined) return known;
  }
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  if (s.length > LONG_STRING) {
    if (longStringHashes.size >= 4096) longStringHashes.clear();
    longStringHashes.set(s, h);
  }
  return h;
}

function hashBigInt(n: bigint): number {
  let x = n < 0n ? -n : n;
  let h = 0;
  while (x > 0n) {
    h = (Math.imul(31, h) + Number(x & 0xffffffffn)) | 0;
    x >>= 32n;
  }
  return mix(n < 0n ? ~h : h);
}

function identityHash(value: object | symbol): number {
  let h = identities.get(value);
  if (h === undefined) {
    h = nextIdentity;
    nextIdentity = (nextIdentity + 1) | 0;
    identities.set(value, h);
  }
  return h;
}

function hashOfValueObject(value: ValueObject): number {
  const h: unknown = value.hashCode();
  // biome-ignore lint/suspicious/noSelfCompare: NaN is rejected like a non-number.
  if (typeof h !== "number" || h !== h) {
    throw new ImmutableError(
      "IMMUTABLE_INVALID_HASH",
      `hashCode() of ${value.constructor?.name ?? "a value object"} returned ${String(h)}; it must return a number (a 32-bit integer is best), equal for values that are equal`,
    );
  }
  return (h | 0) === h ? h | 0 : hashNumber(h);
}

/**
 * The 32-bit hash consistent with {@link valuesEqual}: by value for primitives, `hashCode()` for
 * {@link ValueObject}s, a per-object identity otherwise. Use it to implement `hashCode`.
 *
 * @example
 * ```ts
 * import { hashValue } from "@dext/immutable";
 *
 * hashValue("abc") === hashValue("abc"); // true
 * const hashCode = (x: number, label: string) => (hashValue(x) * 31 + hashValue(label)) | 0;
 * ```
 */
export function hashValue(value: unknown): number {
  switch (typeof value) {
    case "number":
      return hashNumber(value);
    case "string":
      return hashString(value);
    case "boolean":
      return value ? 0x42108421 : 0x42108420;
    case "undefined":
      return 0x42108423;
    case "bigint":
      return hashBigInt(value);
    case "symbol": {
      const key = Symbol.keyFor(value);
      // Registered symbols cannot be WeakMap keys; they are equal by key, so hash the key.
      return key === undefined ? identityHash(value) : mix(hashString(key) ^ 0x5bd1e995);
    }
    default:
      if (value === null) return 0x42108422;
      return isValueObject(value) ? hashOfValueObject(value) : identityHash(value as object);
  }
}
