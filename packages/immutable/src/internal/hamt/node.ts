import { isValueObject } from "../../value-equality.ts";
import type { Owner } from "../owner.ts";

/** Hash bits each level consumes: 32-way branching over a 32-bit hash, 7 levels deep. */
export const BITS = 5;
/** Levels past this shift have no hash bits left: their nodes are collision nodes. */
export const MAX_SHIFT = 30;

/**
 * A CHAMP node (Steindorfer & Vinju, 2015): entries stored inline as `[key, value]` pairs at the
 * front of `array`, sub-nodes at the back in reverse bit order, `dataMap` and `nodeMap` saying
 * which 5-bit hash fragments each holds. Below MAX_SHIFT the same class holds the keys whose
 * 32-bit hashes are identical (a collision node: pairs only, both maps zero).
 */
export class MapNode {
  dataMap: number;
  nodeMap: number;
  array: any[];
  edit: Owner | null;

  constructor(dataMap: number, nodeMap: number, array: any[], edit: Owner | null) {
    this.dataMap = dataMap;
    this.nodeMap = nodeMap;
    this.array = array;
    this.edit = edit;
  }
}

export const EMPTY_MAP_ROOT: MapNode = new MapNode(0, 0, [], null);

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Key equality once `===` has failed: NaN, then value objects. */
export function keysEqual(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the only value not equal to itself.
  if (a !== a) return b !== b;
  return isValueObject(a) && isValueObject(b) && a.equals(b) === true;
}

export const owns = (node: MapNode, edit: Owner | null): boolean =>
  edit !== null && node.edit === edit;
