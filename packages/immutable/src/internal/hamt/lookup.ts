import { BITS, keysEqual, MAX_SHIFT, type MapNode, popcount } from "./node.ts";

/** The value stored under `key` (whose hash is `h`), or `notFound`. */
export function lookup(root: MapNode, h: number, key: unknown, notFound: unknown): unknown {
  let node = root;
  let shift = 0;
  for (;;) {
    const bit = 1 << ((h >>> shift) & 31);
    const dataMap = node.dataMap;
    if ((dataMap & bit) !== 0) {
      const idx = popcount(dataMap & (bit - 1)) << 1;
      const k = node.array[idx];
      return k === key || keysEqual(k, key) ? node.array[idx + 1] : notFound;
    }
    const nodeMap = node.nodeMap;
    if ((nodeMap & bit) === 0) return notFound;
    const array = node.array;
    node = array[array.length - 1 - popcount(nodeMap & (bit - 1))];
    shift += BITS;
    if (shift > MAX_SHIFT) return lookupCollision(node, key, notFound);
  }
}

function lookupCollision(node: MapNode, key: unknown, notFound: unknown): unknown {
  const array = node.array;
  for (let i = 0; i < array.length; i += 2) {
    const k = array[i];
    if (k === key || keysEqual(k, key)) return array[i + 1];
  }
  return notFound;
}
