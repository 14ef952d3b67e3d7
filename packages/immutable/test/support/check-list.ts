import { BITS, type Leaf, treeSize, type VNode, WIDTH } from "../../src/internal/vector/node.ts";
import type { ImmutableList } from "../../src/list/immutable-list.ts";
import { partsOfList } from "../../src/list/immutable-list.ts";

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(`list invariant broken: ${message}`);
}

function checkBranch(node: VNode, shift: number, isRoot: boolean): number {
  const n = node.array.length;
  assert(isRoot || n > 0, "a non-root branch is never empty");
  assert(n <= WIDTH, "a branch holds at most 32 children");
  const sizes: number[] = [];
  let total = 0;
  for (const child of node.array) {
    if (shift === BITS) {
      const leaf = child as Leaf;
      assert(Array.isArray(leaf), "children at shift 5 are leaves");
      assert(leaf.length > 0 && leaf.length <= WIDTH, "a leaf holds 1 to 32 values");
      total += leaf.length;
    } else {
      total += checkBranch(child as VNode, shift - BITS, false);
    }
    sizes.push(total);
  }
  if (node.sizes === null) {
    const full = 2 ** shift;
    for (let k = 0; k < n - 1; k++) {
      const size = sizes[k]! - (k === 0 ? 0 : sizes[k - 1]!);
      assert(size === full, "balanced: every child but the last is full");
    }
    if (shift > BITS && n > 0) {
      const last = node.array[n - 1] as VNode;
      assert(last.sizes === null, "balanced: the last child is balanced too");
    }
  } else {
    assert(node.sizes.join() === sizes.join(), "the size table counts the elements");
    assert(total < WIDTH * 2 ** shift, "a full subtree is always balanced");
  }
  assert(treeSize(node, shift) === total, "treeSize agrees with the count");
  return total;
}

/** Asserts every structural invariant of a list's trie and tail. */
export function checkList(list: ImmutableList<unknown>): void {
  const p = partsOfList(list);
  assert(p.shift % BITS === 0 && p.shift >= BITS, "the root shift is a positive multiple of 5");
  const tailLength = p.size - p.tailOffset;
  if (p.size === 0) assert(tailLength === 0, "the empty list has no tail");
  else assert(tailLength > 0 && tailLength <= WIDTH, "a non-empty list has 1 to 32 tail values");
  assert(p.tail.length >= tailLength, "the tail array holds the list's tail");
  assert(p.shift === BITS || p.root.array.length > 1, "no single-child root above shift 5");
  assert(checkBranch(p.root, p.shift, true) === p.tailOffset, "the trie holds tailOffset values");
}
