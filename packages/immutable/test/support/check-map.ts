import { MAX_SHIFT, type MapNode, popcount } from "../../src/internal/hamt/node.ts";
import type { ImmutableMap } from "../../src/map/immutable-map.ts";
import { rootOfMap } from "../../src/map/immutable-map.ts";
import { hashValue } from "../../src/value-equality.ts";

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(`map invariant broken: ${message}`);
}

function checkCollision(node: MapNode, prefix: number): number {
  assert((node.dataMap | node.nodeMap) === 0, "a collision node has no bitmaps");
  assert(node.array.length % 2 === 0, "a collision node holds pairs");
  assert(node.array.length >= 4, "a collision node holds two entries or more");
  for (let i = 0; i < node.array.length; i += 2) {
    assert(hashValue(node.array[i]) === (prefix | 0), "a collision node holds one full hash");
  }
  return node.array.length / 2;
}

function checkNode(node: MapNode, shift: number, prefix: number, isRoot: boolean): number {
  if (shift > MAX_SHIFT) return checkCollision(node, prefix);
  const entries = popcount(node.dataMap);
  const nodes = popcount(node.nodeMap);
  assert((node.dataMap & node.nodeMap) === 0, "a fragment is an entry or a sub-node, not both");
  assert(node.array.length === 2 * entries + nodes, "the array length matches the bitmaps");
  if (!isRoot) {
    assert(entries + nodes > 0, "a non-root node is never empty");
    assert(!(entries === 1 && nodes === 0), "canonical: a single entry lives in its parent");
  }
  const mask = shift === 0 ? 0 : (2 ** shift - 1) | 0;
  let count = 0;
  let i = 0;
  for (let bit = 0; bit < 32; bit++) {
    if ((node.dataMap >>> bit) & 1) {
      const h = hashValue(node.array[i]);
      assert(((h >>> shift) & 31) === bit, "an entry sits under its hash fragment");
      assert((h & mask) === (prefix & mask), "an entry sits under its hash prefix");
      i += 2;
      count++;
    }
  }
  let k = 0;
  for (let bit = 0; bit < 32; bit++) {
    if ((node.nodeMap >>> bit) & 1) {
      const child = node.array[node.array.length - 1 - k] as MapNode;
      count += checkNode(child, shift + 5, prefix | (bit << shift), false);
      k++;
    }
  }
  return count;
}

/** Asserts the CHAMP invariants (placement, canonical form, collision nodes) and the size. */
export function checkMap(map: ImmutableMap<unknown, unknown>): void {
  assert(checkNode(rootOfMap(map), 0, 0, true) === map.size, "the size counts the entries");
}

const isNode = (x: unknown): x is MapNode => x !== null && typeof x === "object" && "dataMap" in x;

/**
 * The trie as plain data, to compare shapes. Pairs inside collision nodes keep insertion order,
 * so they are listed sorted: the shape is canonical up to that order.
 */
export function shapeOf(map: ImmutableMap<unknown, unknown>): unknown {
  const walk = (node: MapNode, depth: number): unknown => {
    if (depth > MAX_SHIFT / 5) {
      const pairs: string[] = [];
      for (let i = 0; i < node.array.length; i += 2) {
        pairs.push(`${String(node.array[i])}=${String(node.array[i + 1])}`);
      }
      return pairs.sort();
    }
    return {
      dataMap: node.dataMap,
      nodeMap: node.nodeMap,
      array: node.array.map((x) => (isNode(x) ? walk(x, depth + 1) : x)),
    };
  };
  return walk(rootOfMap(map), 0);
}
