import { BITS, branchWithSizes, childSize, type Leaf, locate, located, VNode } from "./node.ts";

/** The first `n` elements (1 <= n <= size) of a subtree, sharing every node it can. */
export function takeTrie(node: VNode | Leaf, shift: number, n: number): VNode | Leaf {
  if (shift === 0) {
    const leaf = node as Leaf;
    return n === leaf.length ? leaf : leaf.slice(0, n);
  }
  const branch = node as VNode;
  locate(branch, shift, n - 1);
  const slot = located.slot;
  const child = branch.array[slot];
  const kept = takeTrie(child, shift - BITS, n - located.before);
  if (kept === child && slot === branch.array.length - 1) return branch;
  const children = branch.array.slice(0, slot + 1);
  children[slot] = kept;
  // A prefix of a balanced branch ending in a balanced child is still balanced.
  if (branch.sizes === null) return new VNode(children, null, null, 0);
  const sizes = branch.sizes.slice(0, slot + 1);
  sizes[slot] = n;
  return branchWithSizes(children, sizes, shift, null);
}

/** The subtree without its first `n` elements (0 < n < size), sharing every node it can. */
export function dropTrie(node: VNode | Leaf, shift: number, n: number): VNode | Leaf {
  if (shift === 0) return (node as Leaf).slice(n);
  const branch = node as VNode;
  locate(branch, shift, n);
  const slot = located.slot;
  const before = located.before;
  const child = branch.array[slot];
  const children = branch.array.slice(slot);
  children[0] = n === before ? child : dropTrie(child, shift - BITS, n - before);
  const count = children.length;
  const sizes = new Array<number>(count);
  const old = branch.sizes;
  if (old !== null) {
    for (let k = 0; k < count; k++) sizes[k] = old[slot + k]! - n;
  } else {
    // Balanced: every child but the last is full, so only the last one needs measuring.
    const full = 2 ** shift;
    for (let k = 0; k < count - 1; k++) sizes[k] = (slot + k + 1) * full - n;
    const last = branch.array.length - 1;
    sizes[count - 1] = last * full + childSize(branch.array[last], shift) - n;
  }
  return branchWithSizes(children, sizes, shift, null);
}
