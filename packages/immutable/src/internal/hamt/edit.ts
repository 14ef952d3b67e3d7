import type { Owner } from "../owner.ts";
import { MapNode, owns, popcount } from "./node.ts";

// Each helper returns the changed node: the same object when `edit` owns it (a builder mutates
// in place), a new one otherwise. Arrays are rebuilt at their exact size so nodes stay compact.

function finish(
  node: MapNode,
  dataMap: number,
  nodeMap: number,
  array: unknown[],
  edit: Owner | null,
): MapNode {
  if (!owns(node, edit)) return new MapNode(dataMap, nodeMap, array, edit);
  node.dataMap = dataMap;
  node.nodeMap = nodeMap;
  node.array = array;
  return node;
}

/** `node` with `array[i] = value`. */
export function withSlot(node: MapNode, i: number, value: unknown, edit: Owner | null): MapNode {
  if (owns(node, edit)) {
    node.array[i] = value;
    return node;
  }
  const array = node.array.slice();
  array[i] = value;
  return new MapNode(node.dataMap, node.nodeMap, array, edit);
}

/** `node` with an inline entry for `bit` at array index `idx`. */
export function withEntry(
  node: MapNode,
  bit: number,
  idx: number,
  key: unknown,
  value: unknown,
  edit: Owner | null,
): MapNode {
  const src = node.array;
  const n = src.length;
  const dst = new Array(n + 2);
  for (let i = 0; i < idx; i++) dst[i] = src[i];
  dst[idx] = key;
  dst[idx + 1] = value;
  for (let i = idx; i < n; i++) dst[i + 2] = src[i];
  return finish(node, node.dataMap | bit, node.nodeMap, dst, edit);
}

/** `node` without the inline entry for `bit` at array index `idx`. */
export function withoutEntry(node: MapNode, bit: number, idx: number, edit: Owner | null): MapNode {
  const src = node.array;
  const n = src.length;
  const dst = new Array(n - 2);
  for (let i = 0; i < idx; i++) dst[i] = src[i];
  for (let i = idx + 2; i < n; i++) dst[i - 2] = src[i];
  return finish(node, node.dataMap ^ bit, node.nodeMap, dst, edit);
}

/** `node` with the inline entry for `bit` (at `idx`) replaced by the sub-node `sub`. */
export function entryToNode(
  node: MapNode,
  bit: number,
  idx: number,
  sub: MapNode,
  edit: Owner | null,
): MapNode {
  const src = node.array;
  const n = src.length;
  const dataEnd = popcount(node.dataMap) << 1;
  const slot = popcount(node.nodeMap & (bit - 1));
  const dst = new Array(n - 1);
  for (let i = 0; i < idx; i++) dst[i] = src[i];
  for (let i = idx + 2; i < dataEnd; i++) dst[i - 2] = src[i];
  // Sub-nodes sit at the back in reverse bit order: the k-th lowest at length - 1 - k.
  for (let k = 0; k < n - dataEnd; k++) dst[n - 2 - (k < slot ? k : k + 1)] = src[n - 1 - k];
  dst[n - 2 - slot] = sub;
  return finish(node, node.dataMap ^ bit, node.nodeMap | bit, dst, edit);
}

/** `node` with the sub-node for `bit` replaced by the inline entry `key`, `value`. */
export function nodeToEntry(
  node: MapNode,
  bit: number,
  key: unknown,
  value: unknown,
  edit: Owner | null,
): MapNode {
  const src = node.array;
  const n = src.length;
  const dataEnd = popcount(node.dataMap) << 1;
  const idx = popcount(node.dataMap & (bit - 1)) << 1;
  const slot = popcount(node.nodeMap & (bit - 1));
  const dst = new Array(n + 1);
  for (let i = 0; i < idx; i++) dst[i] = src[i];
  dst[idx] = key;
  dst[idx + 1] = value;
  for (let i = idx; i < dataEnd; i++) dst[i + 2] = src[i];
  for (let k = 0; k < n - dataEnd; k++) {
    if (k !== slot) dst[n - (k < slot ? k : k - 1)] = src[n - 1 - k];
  }
  return finish(node, node.dataMap | bit, node.nodeMap ^ bit, dst, edit);
}
