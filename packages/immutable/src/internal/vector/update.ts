import type { Owner } from "../owner.ts";
import { BITS, type Leaf, MASK, owns, VNode } from "./node.ts";

/**
 * Replaces trie index `i` of a balanced trie by copying the nodes on its path (the hot path of
 * `ImmutableList.set`). Returns `root` itself when the value is already there.
 */
export function setBalanced(root: VNode, shift: number, i: number, value: unknown): VNode {
  const top = new VNode(root.array.slice(), null, null, 0);
  let node = top;
  for (let s = shift; s > BITS; s -= BITS) {
    const slot = (i >>> s) & MASK;
    const child: VNode = node.array[slot];
    const copy = new VNode(child.array.slice(), child.sizes, null, 0);
    node.array[slot] = copy;
    node = copy;
  }
  const slot = (i >>> BITS) & MASK;
  const leaf: Leaf = node.array[slot];
  if (Object.is(leaf[i & MASK], value)) return root;
  const copy = leaf.slice();
  copy[i & MASK] = value;
  node.array[slot] = copy;
  return top;
}

/**
 * Replaces relative index `i` of any trie, relaxed or not. With an `edit` owner, nodes and leaves
 * it owns are written in place and the others are copied and stamped (a builder's `set`).
 * Returns `node` itself when nothing changed.
 */
export function updateIn(
  node: VNode,
  shift: number,
  i: number,
  value: unknown,
  edit: Owner | null,
): VNode {
  const sizes = node.sizes;
  let slot = i >>> shift;
  let rel: number;
  if (sizes === null) {
    rel = i & ((1 << shift) - 1);
  } else {
    while (sizes[slot]! <= i) slot++;
    rel = slot === 0 ? i : i - sizes[slot - 1]!;
  }
  const child = node.array[slot];
  let next: unknown;
  if (shift === BITS) {
    const leaf = child as Leaf;
    if (Object.is(leaf[rel], value)) return node;
    if (owns(node, edit) && ((node.ownedLeaves >>> slot) & 1) === 1) {
      leaf[rel] = value;
      return node;
    }
    const copy = leaf.slice();
    copy[rel] = value;
    next = copy;
  } else {
    next = updateIn(child as VNode, shift - BITS, rel, value, edit);
    if (next === child) return node;
  }
  const target = owns(node, edit) ? node : new VNode(node.array.slice(), sizes, edit, 0);
  target.array[slot] = next;
  if (shift === BITS && edit !== null) target.ownedLeaves |= 1 << slot;
  return target;
}
