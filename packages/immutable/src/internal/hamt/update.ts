import { hashValue } from "../../value-equality.ts";
import type { Owner } from "../owner.ts";
import { entryToNode, nodeToEntry, withEntry, withoutEntry, withSlot } from "./edit.ts";
import { BITS, keysEqual, MAX_SHIFT, MapNode, owns, popcount } from "./node.ts";

// Whether the last setKey added a key, and whether the last deleteKey removed one. Each is
// written where the outcome is decided, after the last call into user code (a key's `equals` or
// `hashCode` may itself edit another map), so the caller reads its own outcome.
/** Whether the last `setKey` added a key (rather than replacing a value). */
export let added = false;
/** Whether the last `deleteKey` removed a key. */
export let removed = false;

/** The trie with `key` (hash `h`) mapped to `value`; `root` itself when nothing changed. */
export function setKey(
  root: MapNode,
  h: number,
  key: unknown,
  value: unknown,
  edit: Owner | null,
): MapNode {
  added = false;
  return insert(root, 0, h, key, value, edit);
}

/** The trie without `key` (hash `h`); `root` itself when the key was absent. */
export function deleteKey(root: MapNode, h: number, key: unknown, edit: Owner | null): MapNode {
  removed = false;
  return remove(root, 0, h, key, edit);
}

function insert(
  node: MapNode,
  shift: number,
  h: number,
  key: unknown,
  value: unknown,
  edit: Owner | null,
): MapNode {
  if (shift > MAX_SHIFT) return insertCollision(node, key, value, edit);
  const bit = 1 << ((h >>> shift) & 31);
  const dataMap = node.dataMap;
  if ((dataMap & bit) !== 0) {
    const idx = popcount(dataMap & (bit - 1)) << 1;
    const array = node.array;
    const k = array[idx];
    if (k === key || keysEqual(k, key)) {
      added = false;
      return Object.is(array[idx + 1], value) ? node : withSlot(node, idx + 1, value, edit);
    }
    const other = hashValue(k);
    added = true;
    const sub = merge(k, array[idx + 1], other, key, value, h, shift + BITS, edit);
    return entryToNode(node, bit, idx, sub, edit);
  }
  const nodeMap = node.nodeMap;
  if ((nodeMap & bit) !== 0) {
    const array = node.array;
    const slot = array.length - 1 - popcount(nodeMap & (bit - 1));
    const child: MapNode = array[slot];
    const next = insert(child, shift + BITS, h, key, value, edit);
    return next === child ? node : withSlot(node, slot, next, edit);
  }
  added = true;
  return withEntry(node, bit, popcount(dataMap & (bit - 1)) << 1, key, value, edit);
}

/** The smallest sub-trie holding two entries whose hashes agree below `shift`. */
function merge(
  k1: unknown,
  v1: unknown,
  h1: number,
  k2: unknown,
  v2: unknown,
  h2: number,
  shift: number,
  edit: Owner | null,
): MapNode {
  if (shift > MAX_SHIFT) return new MapNode(0, 0, [k1, v1, k2, v2], edit);
  const f1 = (h1 >>> shift) & 31;
  const f2 = (h2 >>> shift) & 31;
  if (f1 === f2) {
    return new MapNode(0, 1 << f1, [merge(k1, v1, h1, k2, v2, h2, shift + BITS, edit)], edit);
  }
  return new MapNode((1 << f1) | (1 << f2), 0, f1 < f2 ? [k1, v1, k2, v2] : [k2, v2, k1, v1], edit);
}

function insertCollision(node: MapNode, key: unknown, value: unknown, edit: Owner | null): MapNode {
  const array = node.array;
  for (let i = 0; i < array.length; i += 2) {
    const k = array[i];
    if (k === key || keysEqual(k, key)) {
      added = false;
      return Object.is(array[i + 1], value) ? node : withSlot(node, i + 1, value, edit);
    }
  }
  added = true;
  if (owns(node, edit)) {
    array.push(key, value);
    return node;
  }
  return new MapNode(0, 0, [...array, key, value], edit);
}

function remove(
  node: MapNode,
  shift: number,
  h: number,
  key: unknown,
  edit: Owner | null,
): MapNode {
  if (shift > MAX_SHIFT) return removeCollision(node, key, edit);
  const bit = 1 << ((h >>> shift) & 31);
  const dataMap = node.dataMap;
  if ((dataMap & bit) !== 0) {
    const idx = popcount(dataMap & (bit - 1)) << 1;
    const k = node.array[idx];
    if (k !== key && !keysEqual(k, key)) {
      removed = false;
      return node;
    }
    removed = true;
    return withoutEntry(node, bit, idx, edit);
  }
  const nodeMap = node.nodeMap;
  if ((nodeMap & bit) === 0) {
    removed = false;
    return node;
  }
  const array = node.array;
  const slot = array.length - 1 - popcount(nodeMap & (bit - 1));
  const child: MapNode = array[slot];
  const next = remove(child, shift + BITS, h, key, edit);
  if (!removed) return node;
  // Canonical form: a sub-node left with a single entry moves inline into its parent, so
  // every shape a set of keys can take is the same, and no path is longer than it must be.
  if (next.nodeMap === 0 && next.array.length === 2) {
    return nodeToEntry(node, bit, next.array[0], next.array[1], edit);
  }
  return next === child ? node : withSlot(node, slot, next, edit);
}

function removeCollision(node: MapNode, key: unknown, edit: Owner | null): MapNode {
  const array = node.array;
  for (let i = 0; i < array.length; i += 2) {
    const k = array[i];
    if (k === key || keysEqual(k, key)) {
      removed = true;
      if (owns(node, edit)) {
        array.splice(i, 2);
        return node;
      }
      return new MapNode(0, 0, [...array.slice(0, i), ...array.slice(i + 2)], edit);
    }
  }
  removed = false;
  return node;
}
