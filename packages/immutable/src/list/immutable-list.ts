import { ImmutableError } from "../errors.ts";
import {
  describe,
  requireFunction,
  requireIterable,
  resolveBound,
  resolveIndex,
} from "../internal/arguments.ts";
import { type InspectFn, inspectCollection, inspectCustom } from "../internal/inspect.ts";
import { ListIterator } from "../internal/vector/iterator.ts";
import {
  concatParts,
  insertIntoTail,
  removeFromTail,
  sliceParts,
} from "../internal/vector/list-ops.ts";
import { getRelaxed } from "../internal/vector/lookup.ts";
import { BITS, EMPTY_ROOT, type Leaf, MASK, type VNode, WIDTH } from "../internal/vector/node.ts";
import { type ListParts, partsFromArray } from "../internal/vector/parts.ts";
import { appendLeaf, popLeaf, poppedLeaf, resultShift } from "../internal/vector/push-pop.ts";
import {
  findIndexOf,
  forEachValue,
  hashValues,
  reduceValues,
  valuesMatch,
  valuesToArray,
} from "../internal/vector/traverse.ts";
import { setBalanced, updateIn } from "../internal/vector/update.ts";
import { valuesEqual } from "../value-equality.ts";
import { type ListBuilder, listBuilderFrom } from "./list-builder.ts";

let construct: <T>(parts: ListParts) => ImmutableList<T>;
let read: (list: ImmutableList<unknown>) => ListParts;

const defaultCompare = (a: unknown, b: unknown): number =>
  (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;

/**
 * A persistent vector: every update returns a new list in O(log32 n) and shares all untouched
 * nodes with the old one, which never changes. An RRB trie with a tail makes `push`, `pop` and
 * `get` near O(1) and `slice`, `concat`, `insert` and `remove` O(log n).
 *
 * @example
 * ```ts
 * import { ImmutableList } from "@dext/immutable";
 *
 * const a = ImmutableList.of(1, 2, 3);
 * const b = a.push(4).set(0, 10);
 * a.toArray(); // [1, 2, 3]: a never changes
 * b.toArray(); // [10, 2, 3, 4]
 * ```
 */
export class ImmutableList<T> implements Iterable<T> {
  static #empty: ImmutableList<unknown>;

  static {
    // Node's util.inspect (console.log) shows the contents: `ImmutableList(2) [ 1, 2 ]`.
    Object.defineProperty(ImmutableList.prototype, inspectCustom, {
      value(this: ImmutableList<unknown>, depth: number, options: object, inspect: InspectFn) {
        return inspectCollection(
          `ImmutableList(${this.size})`,
          this.toArray(),
          depth,
          options,
          inspect,
        );
      },
    });
    construct = <T>(p: ListParts) =>
      new ImmutableList<T>(p.size, p.shift, p.root, p.tail, p.tailOffset);
    read = (l) => ({
      size: l.#size,
      shift: l.#shift,
      root: l.#root,
      tail: l.#tail,
      tailOffset: l.#tailOffset,
    });
    ImmutableList.#empty = new ImmutableList(0, BITS, EMPTY_ROOT, [], 0);
  }

  readonly #size: number;
  readonly #shift: number;
  readonly #root: VNode;
  readonly #tail: unknown[];
  readonly #tailOffset: number;
  #hash: number | undefined = undefined;

  private constructor(
    size: number,
    shift: number,
    root: VNode,
    tail: unknown[],
    tailOffset: number,
  ) {
    this.#size = size;
    this.#shift = shift;
    this.#root = root;
    this.#tail = tail;
    this.#tailOffset = tailOffset;
  }

  /** The empty list (one shared instance). */
  static empty<T>(): ImmutableList<T> {
    return ImmutableList.#empty as ImmutableList<T>;
  }

  /** A list of the arguments, in order. */
  static of<T>(...values: T[]): ImmutableList<T> {
    return listFromParts(partsFromArray(values));
  }

  /**
   * A list of the values of an iterable or array-like, optionally mapped; an `ImmutableList` is
   * returned as is. Arrays are copied into a balanced trie in O(n).
   */
  static from<T>(values: Iterable<T> | ArrayLike<T>): ImmutableList<T>;
  static from<T, U>(
    values: Iterable<T> | ArrayLike<T>,
    mapFn: (value: T, index: number) => U,
  ): ImmutableList<U>;
  static from(
    values: Iterable<unknown> | ArrayLike<unknown>,
    mapFn?: (value: unknown, index: number) => unknown,
  ): ImmutableList<unknown> {
    if (mapFn !== undefined) requireFunction("ImmutableList.from", "mapFn", mapFn);
    if (values instanceof ImmutableList && mapFn === undefined) return values;
    requireIterable("ImmutableList.from", values);
    const array =
      Array.isArray(values) && mapFn === undefined ? values : Array.from(values, mapFn!);
    return listFromParts(partsFromArray(array));
  }

  /**
   * A builder that appends and replaces in place; `build()` hands its contents to a new list in
   * O(1) and seals it.
   */
  static builder<T>(): ListBuilder<T> {
    return listBuilderFrom<T>(read(ImmutableList.#empty), null);
  }

  /** Whether `value` is an `ImmutableList`. */
  static isList(value: unknown): value is ImmutableList<unknown> {
    return value instanceof ImmutableList;
  }

  /** The number of elements. */
  get size(): number {
    return this.#size;
  }

  /** The element at `index` (negative counts from the end), or `undefined` when out of range. */
  get(index: number): T | undefined {
    const i = index < 0 ? index + this.#size : index;
    if (i >>> 0 !== i || i >= this.#size) {
      if (!Number.isInteger(index)) resolveIndex("get", index, this.#size, false);
      return undefined;
    }
    if (i >= this.#tailOffset) return this.#tail[i - this.#tailOffset] as T;
    let node = this.#root;
    if (node.sizes !== null) return getRelaxed(node, this.#shift, i) as T;
    for (let s = this.#shift; s > BITS; s -= BITS) node = node.array[(i >>> s) & MASK];
    return (node.array[(i >>> BITS) & MASK] as Leaf)[i & MASK] as T;
  }

  /** The first element, or `undefined` when empty. */
  first(): T | undefined {
    return this.get(0);
  }

  /** The last element, or `undefined` when empty. */
  last(): T | undefined {
    return this.get(this.#size - 1);
  }

  /** A list with `value` at `index` (negative counts from the end); the same list if unchanged. */
  set(index: number, value: T): ImmutableList<T> {
    const size = this.#size;
    let i = index < 0 ? index + size : index;
    if (i >>> 0 !== i || i >= size) i = resolveIndex("set", index, size, false);
    const tailOffset = this.#tailOffset;
    if (i >= tailOffset) {
      const tail = this.#tail;
      if (Object.is(tail[i - tailOffset], value)) return this;
      const copy = tail.slice(0, size - tailOffset);
      copy[i - tailOffset] = value;
      return new ImmutableList(size, this.#shift, this.#root, copy, tailOffset);
    }
    const root = this.#root;
    const next =
      root.sizes === null
        ? setBalanced(root, this.#shift, i, value)
        : updateIn(root, this.#shift, i, value, null);
    return next === root
      ? this
      : new ImmutableList(size, this.#shift, next, this.#tail, tailOffset);
  }

  /** A list with the element at `index` replaced by `updater(element)`. */
  update(index: number, updater: (value: T) => T): ImmutableList<T> {
    requireFunction("update", "updater", updater);
    const i = resolveIndex("update", index, this.#size, false);
    return this.set(i, updater(this.get(i) as T));
  }

  /** A list with `value` appended; amortised O(1). */
  push(value: T): ImmutableList<T> {
    const size = this.#size;
    const tailOffset = this.#tailOffset;
    const tailLength = size - tailOffset;
    const tail = this.#tail;
    if (tailLength < WIDTH) {
      // Versions share a tail array and each reads only its own prefix, so the first version to
      // grow past the array's end may append in place; any other copies its prefix first.
      let next: unknown[];
      if (tail.length === tailLength && tailLength !== 0) {
        tail.push(value);
        next = tail;
      } else {
        next = tail.slice(0, tailLength);
        next.push(value);
      }
      return new ImmutableList(size + 1, this.#shift, this.#root, next, tailOffset);
    }
    const root = appendLeaf(this.#root, this.#shift, tailOffset, tail.slice(0, WIDTH), null);
    return new ImmutableList(size + 1, resultShift, root, [value], size);
  }

  /** A list without its last element; the empty list stays empty. */
  pop(): ImmutableList<T> {
    const size = this.#size;
    if (size <= 1) return size === 0 ? this : (ImmutableList.#empty as ImmutableList<T>);
    const tailOffset = this.#tailOffset;
    const tailLength = size - tailOffset;
    if (tailLength > 1) {
      // A copy, so the popped value is not kept alive by the shorter list.
      const tail = this.#tail.slice(0, tailLength - 1);
      return new ImmutableList(size - 1, this.#shift, this.#root, tail, tailOffset);
    }
    const root = popLeaf(this.#root, this.#shift, null);
    const tail = poppedLeaf.slice();
    return new ImmutableList(size - 1, resultShift, root, tail, size - 1 - tail.length);
  }

  /** A list with `value` inserted before `index` (`size` appends); O(log n). */
  insert(index: number, value: T): ImmutableList<T> {
    const size = this.#size;
    const i = resolveIndex("insert", index, size, true);
    if (i === size) return this.push(value);
    if (i < this.#tailOffset) return this.slice(0, i).push(value).concat(this.slice(i));
    return construct(insertIntoTail(read(this), i, value));
  }

  /** A list without the element at `index`; O(log n). */
  remove(index: number): ImmutableList<T> {
    const size = this.#size;
    const i = resolveIndex("remove", index, size, false);
    if (i === size - 1) return this.pop();
    if (i === 0) return this.slice(1);
    if (i < this.#tailOffset) return this.slice(0, i).concat(this.slice(i + 1));
    return construct(removeFromTail(read(this), i));
  }

  /** Elements `begin` to `end` (exclusive), bounds as in `Array.prototype.slice`; O(log n). */
  slice(begin?: number, end?: number): ImmutableList<T> {
    const size = this.#size;
    const from = resolveBound("slice", begin, size, 0);
    const to = resolveBound("slice", end, size, size);
    if (from >= to) return ImmutableList.#empty as ImmutableList<T>;
    if (from === 0 && to === size) return this;
    return construct(sliceParts(read(this), from, to));
  }

  /** This list followed by each argument's values; lists are joined in O(log n). */
  concat(...others: Iterable<T>[]): ImmutableList<T> {
    let result: ImmutableList<T> = this;
    for (const other of others) {
      if (other instanceof ImmutableList) {
        const right = read(other);
        if (right.size === 0) continue;
        if (result.#size === 0) result = other;
        else if (right.tailOffset === 0) result = result.toBuilder().pushAll(other).build();
        else result = construct(concatParts(read(result), right));
      } else {
        if (other === null || typeof (other as Iterable<T>)?.[Symbol.iterator] !== "function") {
          throw new ImmutableError(
            "IMMUTABLE_INVALID_ARGUMENT",
            `concat: expected lists or iterables, got ${describe(other)}`,
          );
        }
        result = result.toBuilder().pushAll(other).build();
      }
    }
    return result;
  }

  /** A list of `fn(value, index)` for every element. */
  map<U>(fn: (value: T, index: number) => U): ImmutableList<U> {
    requireFunction("map", "fn", fn);
    const builder = listBuilderFrom<U>(read(ImmutableList.#empty), null);
    forEachValue(read(this), (value, index) => builder.push(fn(value as T, index)));
    return builder.build();
  }

  /** A list of the elements `predicate` accepts, in order. */
  filter<S extends T>(predicate: (value: T, index: number) => value is S): ImmutableList<S>;
  filter(predicate: (value: T, index: number) => unknown): ImmutableList<T>;
  filter(predicate: (value: T, index: number) => unknown): ImmutableList<T> {
    requireFunction("filter", "predicate", predicate);
    const builder = listBuilderFrom<T>(read(ImmutableList.#empty), null);
    forEachValue(read(this), (value, index) => {
      if (predicate(value as T, index)) builder.push(value as T);
    });
    return builder.size === this.#size ? this : builder.build();
  }

  /** Folds the elements from first to last into one value, starting from `initial`. */
  reduce<A>(reducer: (accumulator: A, value: T, index: number) => A, initial: A): A {
    requireFunction("reduce", "reducer", reducer);
    return reduceValues(read(this), reducer as (a: A, v: unknown, i: number) => A, initial);
  }

  /** Calls `fn(value, index)` for every element, in order. */
  forEach(fn: (value: T, index: number) => void): void {
    requireFunction("forEach", "fn", fn);
    forEachValue(read(this), fn as (value: unknown, index: number) => void);
  }

  /** The index of the first element `predicate` accepts, or -1. */
  findIndex(predicate: (value: T, index: number) => unknown): number {
    requireFunction("findIndex", "predicate", predicate);
    return findIndexOf(read(this), predicate as (value: unknown, index: number) => unknown);
  }

  /** The first element `predicate` accepts, or `undefined`. */
  find<S extends T>(predicate: (value: T, index: number) => value is S): S | undefined;
  find(predicate: (value: T, index: number) => unknown): T | undefined;
  find(predicate: (value: T, index: number) => unknown): T | undefined {
    const i = this.findIndex(predicate);
    return i < 0 ? undefined : this.get(i);
  }

  /** The index of the first element equal to `value` (by `valuesEqual`), or -1. */
  indexOf(value: T): number {
    return this.findIndex((v) => valuesEqual(v, value));
  }

  /** Whether some element equals `value` (by `valuesEqual`). */
  includes(value: T): boolean {
    return this.indexOf(value) >= 0;
  }

  /** Whether `predicate` accepts at least one element. */
  some(predicate: (value: T, index: number) => unknown): boolean {
    return this.findIndex(predicate) >= 0;
  }

  /** Whether `predicate` accepts every element (true when empty). */
  every(predicate: (value: T, index: number) => unknown): boolean {
    requireFunction("every", "predicate", predicate);
    return this.findIndex((v, i) => !predicate(v, i)) < 0;
  }

  /**
   * A sorted list (stable). Without `compare`, values sort by `<` and `>`: numbers numerically,
   * strings by code unit, unlike `Array.prototype.sort`'s string conversion.
   */
  sort(compare?: (a: T, b: T) => number): ImmutableList<T> {
    if (compare !== undefined) requireFunction("sort", "compare", compare);
    return listFromParts(partsFromArray(this.toArray().sort(compare ?? defaultCompare)));
  }

  /** A list of the elements in reverse order. */
  reverse(): ImmutableList<T> {
    return listFromParts(partsFromArray(this.toArray().reverse()));
  }

  /** The elements joined into a string, as `Array.prototype.join` does. */
  join(separator?: string): string {
    return this.toArray().join(separator);
  }

  /** Whether `other` is a list of equal elements (by `valuesEqual`) in the same order. */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof ImmutableList) || other.#size !== this.#size) return false;
    if (this.#hash !== undefined && other.#hash !== undefined && this.#hash !== other.#hash) {
      return false;
    }
    return valuesMatch(read(this), other[Symbol.iterator]());
  }

  /** A hash consistent with `equals`, computed once. */
  hashCode(): number {
    if (this.#hash === undefined) this.#hash = hashValues(read(this));
    return this.#hash;
  }

  /** A new array of the elements. */
  toArray(): T[] {
    return valuesToArray(read(this)) as T[];
  }

  /** The elements as an array, so `JSON.stringify` writes the list as a JSON array. */
  toJSON(): T[] {
    return this.toArray();
  }

  /** A builder that starts with this list's elements, in O(1); the list itself never changes. */
  toBuilder(): ListBuilder<T> {
    return listBuilderFrom<T>(read(this), this);
  }

  /** Iterates the elements in order. */
  [Symbol.iterator](): IterableIterator<T, undefined> {
    return new ListIterator<T>(read(this));
  }

  /** Pairs of `[index, value]`, as `Array.prototype.entries`. */
  *entries(): IterableIterator<[number, T]> {
    let i = 0;
    for (const value of this) yield [i++, value];
  }

  toString(): string {
    return `ImmutableList(${this.#size}) [${this.join(", ")}]`;
  }
}

/** Wraps list state in a list; for the builder. */
export const listFromParts = <T>(parts: ListParts): ImmutableList<T> =>
  parts.size === 0 ? ImmutableList.empty<T>() : construct<T>(parts);

/** The state behind a list; for the builder and for tests of structural sharing. */
export const partsOfList = (list: ImmutableList<unknown>): ListParts => read(list);
