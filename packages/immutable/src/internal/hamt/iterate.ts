import { MAX_SHIFT, MapNode, popcount } from "./node.ts";

// Depth at which nodes are collision nodes: entries only, both bitmaps zero.
const COLLISION_DEPTH = MAX_SHIFT / 5 + 1;

const entryEnd = (node: MapNode, depth: number): number =>
  depth === COLLISION_DEPTH ? node.array.length : popcount(node.dataMap) << 1;

/** What a map iterator yields: 0 keys, 1 values, 2 `[key, value]` pairs. */
export type IterationKind = 0 | 1 | 2;

/**
 * Depth-first walk over a trie with an explicit stack: each node's inline entries, then its
 * sub-nodes. The order is the hash order, stable for a given set of keys.
 */
export class MapIterator<R> implements IterableIterator<R, undefined> {
  readonly #kind: IterationKind;
  readonly #nodes: MapNode[];
  readonly #positions: number[];
  #depth = 0;

  constructor(root: MapNode, kind: IterationKind) {
    this.#kind = kind;
    this.#nodes = [root];
    this.#positions = [0];
  }

  next(): IteratorResult<R, undefined> {
    const nodes = this.#nodes;
    const positions = this.#positions;
    while (this.#depth >= 0) {
      const depth = this.#depth;
      const node = nodes[depth]!;
      const array = node.array;
      const pos = positions[depth]!;
      const end = entryEnd(node, depth);
      if (pos < end) {
        positions[depth] = pos + 2;
        const kind = this.#kind;
        const value =
          kind === 0 ? array[pos] : kind === 1 ? array[pos + 1] : [array[pos], array[pos + 1]];
        return { value, done: false };
      }
      if (pos < array.length) {
        positions[depth] = pos + 1;
        nodes[depth + 1] = array[pos];
        positions[depth + 1] = 0;
        this.#depth = depth + 1;
      } else {
        this.#depth = depth - 1;
      }
    }
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Calls `visit` with every entry, depth-first; stops and returns true when it returns true. */
export function someEntry(
  root: MapNode,
  visit: (key: unknown, value: unknown) => boolean,
): boolean {
  return walk(root, 0, visit);
}

function walk(node: MapNode, depth: number, visit: (k: unknown, v: unknown) => boolean): boolean {
  const array = node.array;
  const end = entryEnd(node, depth);
  for (let i = 0; i < end; i += 2) if (visit(array[i], array[i + 1])) return true;
  for (let i = end; i < array.length; i++) if (walk(array[i], depth + 1, visit)) return true;
  return false;
}

/** The same trie shape with every value replaced by `fn(value, key)`: no key is rehashed. */
export function mapValues(
  node: MapNode,
  depth: number,
  fn: (value: unknown, key: unknown) => unknown,
): MapNode {
  const src = node.array;
  const end = entryEnd(node, depth);
  const dst = new Array(src.length);
  for (let i = 0; i < end; i += 2) {
    dst[i] = src[i];
    dst[i + 1] = fn(src[i + 1], src[i]);
  }
  for (let i = end; i < src.length; i++) dst[i] = mapValues(src[i], depth + 1, fn);
  return new MapNode(node.dataMap, node.nodeMap, dst, null);
}
