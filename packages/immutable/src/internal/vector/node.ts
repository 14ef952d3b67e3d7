import type { Owner } from "../owner.ts";

/** Bits of the index each trie level consumes: 32-way branching. */
export const BITS = 5;
export const WIDTH = 32;
export const MASK = 31;

/** A leaf: up to 32 values, a plain array with no wrapper, so lookups take one hop less. */
export type Leaf = unknown[];

/**
 * A branch of the RRB trie. At shift 5 its children are leaves, above that branches. `sizes` is
 * null when the branch is balanced (every child but the last is full and the last is itself
 * balanced), so radix indexing works all the way down; otherwise it holds the cumulative
 * element counts. `edit` is the builder allowed to change this branch in place; for a branch
 * at shift 5 that builder owns, bit k of `ownedLeaves` says it also made leaf k.
 */
export class VNode {
  array: any[];
  sizes: number[] | null;
  edit: Owner | null;
  ownedLeaves: number;

  constructor(array: any[], sizes: number[] | null, edit: Owner | null, ownedLeaves: number) {
    this.array = array;
    this.sizes = sizes;
    this.edit = edit;
    this.ownedLeaves = ownedLeaves;
  }
}

/** The root of a trie with no leaves; a list of up to 32 values keeps them all in its tail. */
export const EMPTY_ROOT: VNode = new VNode([], null, null, 0);

export const owns = (node: VNode, edit: Owner | null): boolean =>
  edit !== null && node.edit === edit;

/** Number of elements under a branch; O(1) when relaxed, O(height) when balanced. */
export function treeSize(node: VNode, shift: number): number {
  let total = 0;
  for (;;) {
    const array = node.array;
    const last = array.length - 1;
    if (last < 0) return total;
    const sizes = node.sizes;
    if (sizes !== null) return total + sizes[last]!;
    total += last * 2 ** shift;
    if (shift === BITS) return total + (array[last] as Leaf).length;
    node = array[last];
    shift -= BITS;
  }
}

/** Elements in a child of a branch at `shift` (a leaf when shift is 5). */
export const childSize = (child: any, shift: number): number =>
  shift === BITS ? (child as Leaf).length : treeSize(child as VNode, shift - BITS);

/** Items (values or children) held directly by a node at `shift`. */
export const itemCount = (node: any, shift: number): number =>
  shift === 0 ? (node as Leaf).length : (node as VNode).array.length;

/**
 * A branch over `children` with its size table, or none when it turns out balanced. Every path
 * that can unbalance a node builds it here, so "balanced" stays true all the way down.
 */
export function makeBranch(children: any[], shift: number, edit: Owner | null): VNode {
  const n = children.length;
  const sizes = new Array<number>(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += childSize(children[k], shift);
    sizes[k] = total;
  }
  return branchWithSizes(children, sizes, shift, edit);
}

/** A branch over `children` whose cumulative `sizes` are known; drops them if balanced. */
export function branchWithSizes(
  children: any[],
  sizes: number[],
  shift: number,
  edit: Owner | null,
): VNode {
  const n = children.length;
  const full = 2 ** shift;
  let balanced = shift === BITS || (children[n - 1] as VNode).sizes === null;
  for (let k = 0; balanced && k < n - 1; k++) {
    if (sizes[k]! - (k === 0 ? 0 : sizes[k - 1]!) !== full) balanced = false;
  }
  return new VNode(children, balanced ? null : sizes, edit, 0);
}

/**
 * A chain of single-child branches from `shift` down to `leaf`; with an `edit` owner the leaf is
 * the builder's own (its former tail) and is marked so.
 */
export function newPath(shift: number, leaf: Leaf, edit: Owner | null): VNode {
  let node = new VNode([leaf], null, edit, edit === null ? 0 : 1);
  for (let s = 2 * BITS; s <= shift; s += BITS) node = new VNode([node], null, edit, 0);
  return node;
}

/**
 * The child slot holding relative index `i` of a branch, and how many elements precede that
 * slot; written to `located` so the callers' loops allocate nothing.
 */
export const located: { slot: number; before: number } = { slot: 0, before: 0 };

export function locate(node: VNode, shift: number, i: number): void {
  const sizes = node.sizes;
  // Children hold at most 2^shift elements, so this never overshoots the right slot.
  let slot = Math.floor(i / 2 ** shift);
  if (sizes === null) {
    located.slot = slot;
    located.before = slot * 2 ** shift;
    return;
  }
  while (sizes[slot]! <= i) slot++;
  located.slot = slot;
  located.before = slot === 0 ? 0 : sizes[slot - 1]!;
}
