import { requireFunction } from "../internal/arguments.ts";
import { NOT_FOUND, requireEntries, requirePair } from "../internal/hamt/entries.ts";
import { lookup } from "../internal/hamt/lookup.ts";
import type { MapNode } from "../internal/hamt/node.ts";
import { added, deleteKey, removed, setKey } from "../internal/hamt/update.ts";
import { newOwner, type Owner } from "../internal/owner.ts";
import { sealedBuilder } from "../internal/sealed.ts";
import { hashValue } from "../value-equality.ts";
import { type ImmutableMap, mapFromRoot } from "./immutable-map.ts";

let create: <K, V>(
  root: MapNode,
  size: number,
  source: ImmutableMap<K, V> | null,
) => MapBuilder<K, V>;

/**
 * A mutable map under one owner: `set` and `delete` work in place on nodes this builder created
 * and copy any node it shares with a map, so maps are never changed. `build()` hands the
 * contents to a new `ImmutableMap` in O(1) and seals the builder: every later call throws
 * `IMMUTABLE_BUILDER_SEALED`.
 *
 * @example
 * ```ts
 * import { ImmutableMap } from "@dext/immutable";
 *
 * const builder = ImmutableMap.builder<string, number>();
 * for (const word of ["a", "b", "a"]) builder.update(word, (n) => (n ?? 0) + 1);
 * const counts = builder.build(); // O(1), no copy
 * counts.get("a"); // 2
 * ```
 */
export class MapBuilder<K, V> {
  static {
    create = <K, V>(root: MapNode, size: number, source: ImmutableMap<K, V> | null) =>
      new MapBuilder<K, V>(root, size, source);
  }

  #root: MapNode;
  #size: number;
  #edit: Owner | null = newOwner();
  // Returned by build() when nothing changed, so an untouched toBuilder() costs nothing.
  #source: ImmutableMap<K, V> | null;

  private constructor(root: MapNode, size: number, source: ImmutableMap<K, V> | null) {
    this.#root = root;
    this.#size = size;
    this.#source = source;
  }

  #owner(method: string): Owner {
    const edit = this.#edit;
    if (edit === null) throw sealedBuilder("MapBuilder", method);
    return edit;
  }

  /** Whether `build()` has sealed this builder. */
  get sealed(): boolean {
    return this.#edit === null;
  }

  /** The number of entries. */
  get size(): number {
    this.#owner("size");
    return this.#size;
  }

  /** The value under `key`, or `notSetValue` (default `undefined`) when absent. */
  get(key: K): V | undefined;
  get<D>(key: K, notSetValue: D): V | D;
  get(key: K, notSetValue?: unknown): unknown {
    this.#owner("get");
    return lookup(this.#root, hashValue(key), key, notSetValue);
  }

  /** Whether `key` is present. */
  has(key: K): boolean {
    this.#owner("has");
    return lookup(this.#root, hashValue(key), key, NOT_FOUND) !== NOT_FOUND;
  }

  /** Maps `key` to `value` in place. */
  set(key: K, value: V): this {
    const edit = this.#owner("set");
    const root = setKey(this.#root, hashValue(key), key, value, edit);
    if (added) this.#size++;
    if (root !== this.#root || added || root.edit === edit) this.#source = null;
    this.#root = root;
    return this;
  }

  /** Sets every `[key, value]` pair of `entries`, in order. */
  setAll(entries: Iterable<readonly [K, V]>): this {
    this.#owner("setAll");
    requireEntries("setAll", entries);
    for (const entry of entries) {
      requirePair("setAll", entry);
      this.set(entry[0], entry[1]);
    }
    return this;
  }

  /** Removes `key` in place; returns whether it was present. */
  delete(key: K): boolean {
    const edit = this.#owner("delete");
    const root = deleteKey(this.#root, hashValue(key), key, edit);
    if (!removed) return false;
    this.#root = root;
    this.#size--;
    this.#source = null;
    return true;
  }

  /** Maps `key` to `updater(current value or undefined)` in place. */
  update(key: K, updater: (value: V | undefined) => V): this {
    this.#owner("update");
    requireFunction("MapBuilder.update", "updater", updater);
    return this.set(key, updater(this.get(key)));
  }

  /** Hands the contents to a new `ImmutableMap` in O(1) and seals this builder. */
  build(): ImmutableMap<K, V> {
    this.#owner("build");
    this.#edit = null;
    return this.#source ?? mapFromRoot<K, V>(this.#root, this.#size);
  }
}

/** A builder over a trie; `source` is returned by `build()` if nothing changes. */
export const mapBuilderFrom = <K, V>(
  root: MapNode,
  size: number,
  source: ImmutableMap<K, V> | null,
): MapBuilder<K, V> => create(root, size, source);
