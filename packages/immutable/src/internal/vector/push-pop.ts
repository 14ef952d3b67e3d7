import type { Owner } from "../owner.ts";
import {
  BITS,
  EMPTY_ROOT,
  type Leaf,
  MASK,
  makeBranch,
  newPath,
  owns,
  VNode,
  WIDTH,
} from "./node.ts";

/** Shift of the root `appendLeaf` or `popLeaf` returned last. */
export let resultShift = 0;
/** The leaf `popLeaf` removed last, and whether the builder that popped it owns it. */
export let poppedLeaf: Leaf = [];
export let poppedLeafOwned = false;

/**
 * Appends `leaf` at the right edge of a trie of `trieSize` elements: the path is copied, except
 * branches `edit` owns, which a builder mutates in place (a builder's leaf is its own former
 * tail, so it is marked owned). A balanced trie whose leaves are all full takes Clojure's radix
 * path; anything else rebuilds the right spine with size tables.
 */
export function appendLeaf(
  root: VNode,
  shift: number,
  trieSize: number,
  leaf: Leaf,
  edit: Owner | null,
): VNode {
  if (root.sizes === null && (trieSize & MASK) === 0) {
    if (trieSize === 2 ** (shift + BITS)) {
      resultShift = shift + BITS;
      return new VNode([root, newPath(shift, leaf, edit)], null, edit, 0);
    }
    resultShift = shift;
    return appendBalanced(root, shift, trieSize, leaf, edit);
  }
  const appended = appendRelaxed(root, shift, leaf, edit);
  if (appended !== null) {
    resultShift = shift;
    return appended;
  }
  resultShift = shift + BITS;
  return makeBranch([root, newPath(shift, leaf, edit)], shift + BITS, edit);
}

function appendBalanced(
  node: VNode,
  shift: number,
  index: number,
  leaf: Leaf,
  edit: Owner | null,
): VNode {
  const copy = owns(node, edit) ? node : new VNode(node.array.slice(), null, edit, 0);
  const array = copy.array;
  if (shift === BITS) {
    if (edit !== null) copy.ownedLeaves |= 1 << array.length;
    array.push(leaf);
    return copy;
  }
  const slot = (index >>> shift) & MASK;
  if (slot < array.length)
    array[slot] = appendBalanced(array[slot], shift - BITS, index, leaf, edit);
  else array.push(newPath(shift - BITS, leaf, edit));
  return copy;
}

function appendRelaxed(node: VNode, shift: number, leaf: Leaf, edit: Owner | null): VNode | null {
  const array = node.array;
  const last = array.length - 1;
  if (shift > BITS) {
    const child = appendRelaxed(array[last], shift - BITS, leaf, edit);
    if (child !== null) {
      const children = array.slice();
      children[last] = child;
      return makeBranch(children, shift, edit);
    }
  }
  if (array.length === WIDTH) return null;
  const children = array.slice();
  if (shift === BITS) {
    children.push(leaf);
    const branch = makeBranch(children, shift, edit);
    if (edit !== null) branch.ownedLeaves = 1 << (last + 1);
    return branch;
  }
  children.push(newPath(shift - BITS, leaf, edit));
  return makeBranch(children, shift, edit);
}

/**
 * Removes the last leaf of a non-empty trie (into `poppedLeaf`) and returns the new root, with
 * single-child roots collapsed (its shift in `resultShift`); an emptied trie is `EMPTY_ROOT`.
 */
export function popLeaf(root: VNode, shift: number, edit: Owner | null): VNode {
  let node = popLast(root, shift, edit);
  if (node === null) {
    resultShift = BITS;
    return EMPTY_ROOT;
  }
  while (shift > BITS && node.array.length === 1) {
    node = node.array[0] as VNode;
    shift -= BITS;
  }
  resultShift = shift;
  return node;
}

function popLast(node: VNode, shift: number, edit: Owner | null): VNode | null {
  const array = node.array;
  const last = array.length - 1;
  let child: VNode | null = null;
  if (shift === BITS) {
    poppedLeaf = array[last];
    poppedLeafOwned = owns(node, edit) && ((node.ownedLeaves >>> last) & 1) === 1;
  } else {
    child = popLast(array[last], shift - BITS, edit);
  }
  if (child === null && last === 0) return null;
  if (node.sizes === null) {
    // Dropping or shrinking the last child of a balanced branch leaves it balanced.
    const copy = owns(node, edit) ? node : new VNode(array.slice(), null, edit, 0);
    if (child === null) {
      copy.array.pop();
      copy.ownedLeaves &= ~(1 << last);
    } else {
      copy.array[last] = child;
    }
    return copy;
  }
  const children = array.slice(0, child === null ? last : last + 1);
  if (child !== null) children[last] = child;
  return makeBranch(children, shift, edit);
}
