import { leafAt } from "./lookup.ts";
import type { VNode } from "./node.ts";
import type { ListParts } from "./parts.ts";

/**
 * Walks a list leaf by leaf: `next()` reads the current leaf and descends the trie only once per
 * leaf, so iteration costs O(n + n/32 * log32 n) and allocates one result object per value.
 */
export class ListIterator<T> implements IterableIterator<T, undefined> {
  #root: VNode;
  #shift: number;
  #tail: unknown[];
  #tailOffset: number;
  #size: number;
  #leaf: unknown[] = [];
  #i = 0;
  #end = 0;
  #pos = 0;

  constructor(parts: ListParts) {
    this.#root = parts.root;
    this.#shift = parts.shift;
    this.#tail = parts.tail;
    this.#tailOffset = parts.tailOffset;
    this.#size = parts.size;
  }

  next(): IteratorResult<T, undefined> {
    const i = this.#i;
    if (i < this.#end) {
      this.#i = i + 1;
      return { value: this.#leaf[i] as T, done: false };
    }
    return this.#nextLeaf();
  }

  #nextLeaf(): IteratorResult<T, undefined> {
    const pos = this.#pos;
    if (pos >= this.#size) return { value: undefined, done: true };
    if (pos >= this.#tailOffset) {
      this.#leaf = this.#tail;
      this.#end = this.#size - pos;
    } else {
      this.#leaf = leafAt(this.#root, this.#shift, pos);
      this.#end = this.#leaf.length;
    }
    this.#pos = pos + this.#end;
    this.#i = 1;
    return { value: this.#leaf[0] as T, done: false };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Calls `visit` with each chunk (leaf or tail prefix) of the list, in order; stops on `true`. */
export function someChunk(
  parts: ListParts,
  visit: (chunk: readonly unknown[], length: number, start: number) => boolean,
): boolean {
  const { root, shift, tail, tailOffset, size } = parts;
  let pos = 0;
  while (pos < tailOffset) {
    const leaf = leafAt(root, shift, pos);
    if (visit(leaf, leaf.length, pos)) return true;
    pos += leaf.length;
  }
  return size > tailOffset && visit(tail, size - tailOffset, tailOffset);
}
