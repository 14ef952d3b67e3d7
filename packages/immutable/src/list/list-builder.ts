import { requireFunction, resolveIndex } from "../internal/arguments.ts";
import { newOwner, type Owner } from "../internal/owner.ts";
import { sealedBuilder } from "../internal/sealed.ts";
import { getRelaxed } from "../internal/vector/lookup.ts";
import { BITS, type Leaf, MASK, type VNode, WIDTH } from "../internal/vector/node.ts";
import type { ListParts } from "../internal/vector/parts.ts";
import {
  appendLeaf,
  popLeaf,
  poppedLeaf,
  poppedLeafOwned,
  resultShift,
} from "../internal/vector/push-pop.ts";
import { updateIn } from "../internal/vector/update.ts";
import { type ImmutableList, listFromParts } from "./immutable-list.ts";

let create: <T>(parts: ListParts, source: ImmutableList<T> | null) => ListBuilder<T>;

/**
 * A mutable list under one owner: `push`, `pop` and `set` work in place on nodes this builder
 * created and copy any node it shares with a list, so lists are never changed. `build()` hands
 * the contents to a new `ImmutableList` in O(1) and seals the builder: every later call throws
 * `IMMUTABLE_BUILDER_SEALED`.
 *
 * @example
 * ```ts
 * import { ImmutableList } from "@dext/immutable";
 *
 * const builder = ImmutableList.builder<number>();
 * for (let i = 0; i < 1000; i++) builder.push(i);
 * const list = builder.build(); // O(1), no copy
 * list.size; // 1000
 * // builder.push(1) would now throw ImmutableError IMMUTABLE_BUILDER_SEALED
 * ```
 */
export class ListBuilder<T> {
  static {
    create = <T>(parts: ListParts, source: ImmutableList<T> | null) =>
      new ListBuilder<T>(parts, source);
  }

  #size: number;
  #shift: number;
  #root: VNode;
  #tail: unknown[];
  #tailOffset: number;
  // The tail is copied on the first write: until then it may be shared with lists.
  #tailOwned = false;
  #edit: Owner | null = newOwner();
  // Returned by build() when nothing changed, so an untouched toBuilder() costs nothing.
  #source: ImmutableList<T> | null;

  private constructor(parts: ListParts, source: ImmutableList<T> | null) {
    this.#size = parts.size;
    this.#shift = parts.shift;
    this.#root = parts.root;
    this.#tail = parts.tail;
    this.#tailOffset = parts.tailOffset;
    this.#source = source;
  }

  #owner(method: string): Owner {
    const edit = this.#edit;
    if (edit === null) throw sealedBuilder("ListBuilder", method);
    return edit;
  }

  #ownTail(): unknown[] {
    if (!this.#tailOwned) {
      this.#tail = this.#tail.slice(0, this.#size - this.#tailOffset);
      this.#tailOwned = true;
    }
    this.#source = null;
    return this.#tail;
  }

  /** Whether `build()` has sealed this builder. */
  get sealed(): boolean {
    return this.#edit === null;
  }

  /** The number of elements. */
  get size(): number {
    this.#owner("size");
    return this.#size;
  }

  /** The element at `index` (negative counts from the end), or `undefined` when out of range. */
  get(index: number): T | undefined {
    this.#owner("get");
    const size = this.#size;
    const i = index < 0 ? index + size : index;
    if (i >>> 0 !== i || i >= size) {
      if (!Number.isInteger(index)) resolveIndex("ListBuilder.get", index, size, false);
      return undefined;
    }
    if (i >= this.#tailOffset) return this.#tail[i - this.#tailOffset] as T;
    let node = this.#root;
    if (node.sizes !== null) return getRelaxed(node, this.#shift, i) as T;
    for (let s = this.#shift; s > BITS; s -= BITS) node = node.array[(i >>> s) & MASK];
    return (node.array[(i >>> BITS) & MASK] as Leaf)[i & MASK] as T;
  }

  /** Replaces the element at `index` (negative counts from the end) in place. */
  set(index: number, value: T): this {
    const edit = this.#owner("set");
    const i = resolveIndex("ListBuilder.set", index, this.#size, false);
    if (i >= this.#tailOffset) {
      this.#ownTail()[i - this.#tailOffset] = value;
      return this;
    }
    const root = updateIn(this.#root, this.#shift, i, value, edit);
    if (root !== this.#root || root.edit === edit) this.#source = null;
    this.#root = root;
    return this;
  }

  /** Replaces the element at `index` with `updater(element)`. */
  update(index: number, updater: (value: T) => T): this {
    this.#owner("update");
    requireFunction("ListBuilder.update", "updater", updater);
    const i = resolveIndex("ListBuilder.update", index, this.#size, false);
    return this.set(i, updater(this.get(i) as T));
  }

  /** Appends `value`; amortised O(1), in place. */
  push(value: T): this {
    const edit = this.#owner("push");
    const tail = this.#ownTail();
    if (tail.length < WIDTH) {
      tail.push(value);
    } else {
      // The full tail moves into the trie as a leaf this builder owns: no copy.
      this.#root = appendLeaf(this.#root, this.#shift, this.#tailOffset, tail, edit);
      this.#shift = resultShift;
      this.#tailOffset = this.#size;
      this.#tail = [value];
    }
    this.#size++;
    return this;
  }

  /** Appends every value of `values`, in order. */
  pushAll(values: Iterable<T>): this {
    this.#owner("pushAll");
    for (const value of values) this.push(value);
    return this;
  }

  /** Removes and returns the last element, or `undefined` when empty. */
  pop(): T | undefined {
    const edit = this.#owner("pop");
    const size = this.#size;
    if (size === 0) return undefined;
    const tail = this.#ownTail();
    const value = tail.pop() as T;
    if (tail.length === 0 && this.#tailOffset > 0) {
      this.#root = popLeaf(this.#root, this.#shift, edit);
      this.#shift = resultShift;
      // A leaf this builder made is no longer in the trie, so it can become the tail as is.
      this.#tail = poppedLeafOwned ? poppedLeaf : poppedLeaf.slice();
      this.#tailOffset = size - 1 - this.#tail.length;
    }
    this.#size = size - 1;
    return value;
  }

  /** Hands the contents to a new `ImmutableList` in O(1) and seals this builder. */
  build(): ImmutableList<T> {
    this.#owner("build");
    this.#edit = null;
    if (this.#source !== null) return this.#source;
    return listFromParts<T>({
      size: this.#size,
      shift: this.#shift,
      root: this.#root,
      tail: this.#tail,
      tailOffset: this.#tailOffset,
    });
  }
}

/** A builder over list state; `source` is returned by `build()` if nothing changes. */
export const listBuilderFrom = <T>(
  parts: ListParts,
  source: ImmutableList<T> | null,
): ListBuilder<T> => create(parts, source);
