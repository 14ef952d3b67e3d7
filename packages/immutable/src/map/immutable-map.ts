import { ImmutableError } from "../errors.ts";
import { describe, requireFunction } from "../internal/arguments.ts";
import { NOT_FOUND, requireEntries, requirePair } from "../internal/hamt/entries.ts";
import { MapIterator, mapValues, someEntry } from "../internal/hamt/iterate.ts";
import { lookup } from "../internal/hamt/lookup.ts";
import { EMPTY_MAP_ROOT, type MapNode } from "../internal/hamt/node.ts";
import { added, deleteKey, removed, setKey } from "../internal/hamt/update.ts";
import { type InspectFn, inspectCollection, inspectCustom } from "../internal/inspect.ts";
import { hashValue, valuesEqual } from "../value-equality.ts";
import { type MapBuilder, mapBuilderFrom } from "./map-builder.ts";

let construct: <K, V>(root: MapNode, size: number) => ImmutableMap<K, V>;
let rootOf: (map: ImmutableMap<unknown, unknown>) => MapNode;
/**
 * A persistent hash map (a CHAMP trie): every update returns a new map in O(log32 n) sharing all
 * untouched nodes with the old one, which never changes. Keys compare by value for primitives,
 * by `equals`/`hashCode` for value objects and by identity otherwise. Iteration follows hash
 * order, not insertion order.
 *
 * @example
 * ```ts
 * import { ImmutableMap } from "@dext/immutable";
 *
 * const prices = ImmutableMap.from([["tea", 3], ["cake", 4]]);
 * const later = prices.set("tea", 4).delete("cake");
 * prices.get("tea"); // 3: prices never changes
 * later.toObject(); // { tea: 4 }
 * ```
 */
export class ImmutableMap<K, V> implements Iterable<[K, V]> {
  static #empty: ImmutableMap<unknown, unknown>;

  static {
    // Node's util.inspect (console.log) shows the contents: `ImmutableMap(2) [ 1, 2 ]`.
    Object.defineProperty(ImmutableMap.prototype, inspectCustom, {
      value(
        this: ImmutableMap<unknown, unknown>,
        depth: number,
        options: object,
        inspect: InspectFn,
      ) {
        const shown = inspectCollection(
          `ImmutableMap(${this.size})`,
          this.toMap(),
          depth,
          options,
          inspect,
        );
        return shown.replace(/ Map\(\d+\) /, " ");
      },
    });
    construct = <K, V>(root: MapNode, size: number) => new ImmutableMap<K, V>(root, size);
    rootOf = (map) => map.#root;
    ImmutableMap.#empty = new ImmutableMap(EMPTY_MAP_ROOT, 0);
  }

  readonly #root: MapNode;
  readonly #size: number;
  #hash: number | undefined = undefined;

  private constructor(root: MapNode, size: number) {
    this.#root = root;
    this.#size = size;
  }

  /** The empty map (one shared instance). */
  static empty<K, V>(): ImmutableMap<K, V> {
    return ImmutableMap.#empty as ImmutableMap<K, V>;
  }

  /** A map of `[key, value]` pairs; later pairs win. An `ImmutableMap` is returned as is. */
  static from<K, V>(entries: Iterable<readonly [K, V]>): ImmutableMap<K, V> {
    if (entries instanceof ImmutableMap) return entries as ImmutableMap<K, V>;
    requireEntries("ImmutableMap.from", entries);
    return ImmutableMap.builder<K, V>().setAll(entries).build();
  }

  /** A map of an object's own enumerable string-keyed properties. */
  static fromObject<V>(object: Readonly<Record<string, V>>): ImmutableMap<string, V> {
    if (object === null || typeof object !== "object") {
      throw new ImmutableError(
        "IMMUTABLE_INVALID_ARGUMENT",
        `ImmutableMap.fromObject: expected an object, got ${describe(object)}`,
      );
    }
    const builder = ImmutableMap.builder<string, V>();
    for (const key of Object.keys(object)) builder.set(key, object[key] as V);
    return builder.build();
  }

  /** A builder that sets and deletes in place; `build()` hands its contents over in O(1). */
  static builder<K, V>(): MapBuilder<K, V> {
    return mapBuilderFrom<K, V>(EMPTY_MAP_ROOT, 0, null);
  }

  /** Whether `value` is an `ImmutableMap`. */
  static isMap(value: unknown): value is ImmutableMap<unknown, unknown> {
    return value instanceof ImmutableMap;
  }

  /** The number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The value under `key`, or `notSetValue` (default `undefined`) when absent. */
  get(key: K): V | undefined;
  get<D>(key: K, notSetValue: D): V | D;
  get(key: K, notSetValue?: unknown): unknown {
    return lookup(this.#root, hashValue(key), key, notSetValue);
  }

  /** Whether `key` is present. */
  has(key: K): boolean {
    return lookup(this.#root, hashValue(key), key, NOT_FOUND) !== NOT_FOUND;
  }

  /** A map with `key` mapped to `value`; the same map when it already was. */
  set(key: K, value: V): ImmutableMap<K, V> {
    const root = setKey(this.#root, hashValue(key), key, value, null);
    return root === this.#root ? this : new ImmutableMap(root, added ? this.#size + 1 : this.#size);
  }

  /** A map without `key`; the same map when it was absent. */
  delete(key: K): ImmutableMap<K, V> {
    const root = deleteKey(this.#root, hashValue(key), key, null);
    if (!removed) return this;
    return this.#size === 1 ? ImmutableMap.empty() : new ImmutableMap(root, this.#size - 1);
  }

  /** A map with `key` mapped to `updater(current value or undefined)`. */
  update(key: K, updater: (value: V | undefined) => V): ImmutableMap<K, V> {
    requireFunction("update", "updater", updater);
    return this.set(key, updater(this.get(key)));
  }

  /** This map with every entry of `sources` set in turn (later sources win). */
  merge(...sources: Iterable<readonly [K, V]>[]): ImmutableMap<K, V> {
    if (this.#size === 0 && sources.length === 1 && sources[0] instanceof ImmutableMap) {
      return sources[0] as ImmutableMap<K, V>;
    }
    const builder = this.toBuilder();
    for (const source of sources) builder.setAll(source);
    return builder.build();
  }

  /** Like `merge`, but `resolve(current, incoming, key)` decides the value of keys in both. */
  mergeWith(
    resolve: (current: V, incoming: V, key: K) => V,
    ...sources: Iterable<readonly [K, V]>[]
  ): ImmutableMap<K, V> {
    requireFunction("mergeWith", "resolve", resolve);
    const builder = this.toBuilder();
    for (const source of sources) {
      requireEntries("mergeWith", source);
      for (const entry of source) {
        requirePair("mergeWith", entry);
        const [key, value] = entry;
        const current = builder.get(key, NOT_FOUND);
        builder.set(key, current === NOT_FOUND ? value : resolve(current, value, key));
      }
    }
    return builder.build();
  }

  /** A map with the same keys and `fn(value, key)` as values; O(n), no key is rehashed. */
  map<U>(fn: (value: V, key: K) => U): ImmutableMap<K, U> {
    requireFunction("map", "fn", fn);
    if (this.#size === 0) return this as unknown as ImmutableMap<K, U>;
    return new ImmutableMap(mapValues(this.#root, 0, fn as never), this.#size);
  }

  /** A map of the entries `predicate` accepts. */
  filter<W extends V>(predicate: (value: V, key: K) => value is W): ImmutableMap<K, W>;
  filter(predicate: (value: V, key: K) => unknown): ImmutableMap<K, V>;
  filter(predicate: (value: V, key: K) => unknown): ImmutableMap<K, V> {
    requireFunction("filter", "predicate", predicate);
    const builder = this.toBuilder();
    someEntry(this.#root, (key, value) => {
      if (!predicate(value as V, key as K)) builder.delete(key as K);
      return false;
    });
    return builder.build();
  }

  /** Calls `fn(value, key)` for every entry, in hash order. */
  forEach(fn: (value: V, key: K) => void): void {
    requireFunction("forEach", "fn", fn);
    someEntry(this.#root, (key, value) => {
      fn(value as V, key as K);
      return false;
    });
  }

  /** Folds the entries, in hash order, into one value starting from `initial`. */
  reduce<A>(reducer: (accumulator: A, value: V, key: K) => A, initial: A): A {
    requireFunction("reduce", "reducer", reducer);
    let acc = initial;
    someEntry(this.#root, (key, value) => {
      acc = reducer(acc, value as V, key as K);
      return false;
    });
    return acc;
  }

  /** Whether `predicate` accepts at least one entry. */
  some(predicate: (value: V, key: K) => unknown): boolean {
    requireFunction("some", "predicate", predicate);
    return someEntry(this.#root, (key, value) => Boolean(predicate(value as V, key as K)));
  }

  /** Whether `predicate` accepts every entry (true when empty). */
  every(predicate: (value: V, key: K) => unknown): boolean {
    requireFunction("every", "predicate", predicate);
    return !someEntry(this.#root, (key, value) => !predicate(value as V, key as K));
  }

  /** The first value, in hash order, whose entry `predicate` accepts, or `undefined`. */
  find(predicate: (value: V, key: K) => unknown): V | undefined {
    requireFunction("find", "predicate", predicate);
    let found: V | undefined;
    someEntry(this.#root, (key, value) => {
      if (!predicate(value as V, key as K)) return false;
      found = value as V;
      return true;
    });
    return found;
  }

  /** The first key, in hash order, whose entry `predicate` accepts, or `undefined`. */
  findKey(predicate: (value: V, key: K) => unknown): K | undefined {
    requireFunction("findKey", "predicate", predicate);
    let found: K | undefined;
    someEntry(this.#root, (key, value) => {
      if (!predicate(value as V, key as K)) return false;
      found = key as K;
      return true;
    });
    return found;
  }

  /** Whether `other` is a map with equal keys mapped to equal values (by `valuesEqual`). */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof ImmutableMap) || other.#size !== this.#size) return false;
    if (this.#hash !== undefined && other.#hash !== undefined && this.#hash !== other.#hash) {
      return false;
    }
    const theirs = other.#root;
    return !someEntry(this.#root, (key, value) => {
      const v = lookup(theirs, hashValue(key), key, NOT_FOUND);
      return v === NOT_FOUND || !valuesEqual(value, v);
    });
  }

  /** A hash consistent with `equals` (independent of order), computed once. */
  hashCode(): number {
    if (this.#hash !== undefined) return this.#hash;
    let h = 0;
    someEntry(this.#root, (key, value) => {
      h = (h + (hashValue(key) ^ Math.imul(hashValue(value), 0x9e3779b1))) | 0;
      return false;
    });
    this.#hash = (Math.imul(h, 31) + this.#size) | 0;
    return this.#hash;
  }

  /** Iterates the keys, in hash order. */
  keys(): IterableIterator<K, undefined> {
    return new MapIterator<K>(this.#root, 0);
  }

  /** Iterates the values, in hash order. */
  values(): IterableIterator<V, undefined> {
    return new MapIterator<V>(this.#root, 1);
  }

  /** Iterates `[key, value]` pairs, in hash order. */
  entries(): IterableIterator<[K, V], undefined> {
    return new MapIterator<[K, V]>(this.#root, 2);
  }

  /** Iterates `[key, value]` pairs, in hash order. */
  [Symbol.iterator](): IterableIterator<[K, V], undefined> {
    return this.entries();
  }

  /** A new native `Map` with the same entries. */
  toMap(): Map<K, V> {
    return new Map(this.entries());
  }

  /** A plain object keyed by `String(key)`; for maps whose keys are strings or numbers. */
  toObject(): Record<string, V> {
    const out: Record<string, V> = {};
    someEntry(this.#root, (key, value) => {
      out[String(key)] = value as V;
      return false;
    });
    return out;
  }

  /** The entries as a plain object, so `JSON.stringify` writes the map as a JSON object. */
  toJSON(): Record<string, V> {
    return this.toObject();
  }

  /** A builder that starts with this map's entries, in O(1); the map itself never changes. */
  toBuilder(): MapBuilder<K, V> {
    return mapBuilderFrom<K, V>(this.#root, this.#size, this);
  }

  toString(): string {
    const parts: string[] = [];
    someEntry(this.#root, (key, value) => {
      parts.push(`${String(key)} => ${String(value)}`);
      return false;
    });
    return `ImmutableMap(${this.#size}) {${parts.join(", ")}}`;
  }
}

/** Wraps a trie in a map; for the builder. */
export const mapFromRoot = <K, V>(root: MapNode, size: number): ImmutableMap<K, V> =>
  size === 0 ? ImmutableMap.empty<K, V>() : construct<K, V>(root, size);

/** The trie behind a map; for tests of structural sharing. */
export const rootOfMap = (map: ImmutableMap<unknown, unknown>): MapNode => rootOf(map);
