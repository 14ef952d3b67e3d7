import { describe, expect, it } from "vitest";
import { ImmutableList } from "../src/index.ts";
import type { VNode } from "../src/internal/vector/node.ts";
import { partsOfList } from "../src/list/immutable-list.ts";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Every node (branch or leaf) reachable from a list's root. */
function nodesOf(list: ImmutableList<unknown>): Set<unknown> {
  const { root, shift } = partsOfList(list);
  const out = new Set<unknown>();
  const walk = (node: VNode, s: number) => {
    out.add(node);
    for (const child of node.array) {
      if (s === 5) out.add(child);
      else walk(child as VNode, s - 5);
    }
  };
  walk(root, shift);
  return out;
}

describe("structural sharing", () => {
  const big = ImmutableList.from(range(100_000));

  it("set() copies only the path to one leaf and leaves the old list unchanged", () => {
    const before = nodesOf(big);
    const after = big.set(54_321, -1);
    const fresh = [...nodesOf(after)].filter((node) => !before.has(node));
    // Root, two inner branches and one leaf: a path of log32(100,000) + 1 nodes.
    expect(fresh).toHaveLength(partsOfList(big).shift / 5 + 1);
    expect(nodesOf(after).size).toBe(before.size);
    expect(big.get(54_321)).toBe(54_321);
    expect(after.get(54_321)).toBe(-1);
  });

  it("push() into the tail shares the whole trie", () => {
    const list = ImmutableList.from(range(1000));
    const pushed = list.push(1000);
    expect(partsOfList(pushed).root).toBe(partsOfList(list).root);
  });

  it("versions share one tail array, each reading its own prefix", () => {
    const a = ImmutableList.of(1, 2, 3).push(4);
    const b = a.push(5);
    const c = a.push(6);
    expect(partsOfList(b).tail).toBe(partsOfList(a).tail);
    expect(partsOfList(c).tail).not.toBe(partsOfList(a).tail);
    expect(a.toArray()).toEqual([1, 2, 3, 4]);
    expect(b.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(c.toArray()).toEqual([1, 2, 3, 4, 6]);
    expect(b.pop().push(7).toArray()).toEqual([1, 2, 3, 4, 7]);
    expect(b.last()).toBe(5);
    expect(a.set(3, 0).push(8).toArray()).toEqual([1, 2, 3, 0, 8]);
    expect(b.toArray()).toEqual([1, 2, 3, 4, 5]);
  });

  it("the empty list's tail is never appended to", () => {
    const one = ImmutableList.empty<number>().push(1);
    const other = ImmutableList.empty<number>().push(2);
    expect(partsOfList(ImmutableList.empty()).tail).toEqual([]);
    expect(one.toArray()).toEqual([1]);
    expect(other.toArray()).toEqual([2]);
  });

  it("pop() does not keep the popped value alive", () => {
    const value = { big: true };
    const popped = ImmutableList.of<object>({}, value).pop();
    expect(partsOfList(popped).tail).not.toContain(value);
  });

  it("push() past a full tail shares every existing leaf", () => {
    const list = ImmutableList.from(range(32 * 40));
    const before = nodesOf(list);
    const pushed = list.push(-1);
    const leavesKept = [...nodesOf(pushed)].filter((n) => Array.isArray(n) && before.has(n));
    expect(leavesKept).toHaveLength(39);
  });

  it("slice() and concat() reuse interior nodes of their inputs", () => {
    const bigNodes = nodesOf(big);
    const sliced = big.slice(20_000, 80_000);
    const slicedNodes = nodesOf(sliced);
    const shared = [...slicedNodes].filter((n) => bigNodes.has(n));
    expect(shared.length / slicedNodes.size).toBeGreaterThan(0.95);
    const joined = nodesOf(sliced.concat(big));
    const reused = [...joined].filter((n) => bigNodes.has(n) || slicedNodes.has(n));
    expect(reused.length / joined.size).toBeGreaterThan(0.95);
  });

  it("a list handed out never changes, whatever is done to later versions", () => {
    const handedOut = ImmutableList.from(range(5000));
    const snapshot = handedOut.toArray();
    let v = handedOut;
    for (let i = 0; i < 200; i++) {
      v = v
        .set(i * 13, -i)
        .push(i)
        .insert(i * 7, i)
        .remove(i * 3);
      if (i % 10 === 0) v = v.slice(1).concat(handedOut.slice(0, 50));
    }
    const builder = handedOut.toBuilder();
    for (let i = 0; i < 5000; i += 3) builder.set(i, -1);
    builder.push(1).pop();
    builder.build();
    expect(handedOut.toArray()).toEqual(snapshot);
  });
});
