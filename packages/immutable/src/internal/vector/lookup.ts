import { BITS, type Leaf, MASK, type VNode } from "./node.ts";

/**
 * The value at trie index `i` when the root is relaxed: size tables pick the slot until the
 * descent reaches a balanced branch, then radix indexing takes over.
 */
export function getRelaxed(node: VNode, shift: number, i: number): unknown {
  for (;;) {
    const sizes = node.sizes;
    if (sizes === null) break;
    let slot = i >>> shift;
    while (sizes[slot]! <= i) slot++;
    if (slot !== 0) i -= sizes[slot - 1]!;
    if (shift === BITS) return (node.array[slot] as Leaf)[i];
    node = node.array[slot];
    shift -= BITS;
  }
  for (; shift > BITS; shift -= BITS) node = node.array[(i >>> shift) & MASK];
  return (node.array[(i >>> BITS) & MASK] as Leaf)[i & MASK];
}

/** The trie index of the first value of the leaf `leafAt` returned last. */
export let leafStart = 0;

/** The leaf holding trie index `i`. */
export function leafAt(node: VNode, shift: number, i: number): Leaf {
  let start = 0;
  for (;;) {
    const sizes = node.sizes;
    let slot: number;
    if (sizes === null) {
      slot = (i >>> shift) & MASK;
      const before = slot * 2 ** shift;
      start += before;
      i -= before;
    } else {
      slot = i >>> shift;
      while (sizes[slot]! <= i) slot++;
      if (slot !== 0) {
        start += sizes[slot - 1]!;
        i -= sizes[slot - 1]!;
      }
    }
    if (shift === BITS) {
      leafStart = start;
      return node.array[slot];
    }
    node = node.array[slot];
    shift -= BITS;
  }
}
