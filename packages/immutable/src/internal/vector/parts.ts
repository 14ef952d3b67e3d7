import { BITS, EMPTY_ROOT, VNode, WIDTH } from "./node.ts";

/**
 * The state of a list: a trie holding elements [0, tailOffset) and a tail holding the rest.
 * `tail` may be longer than `size - tailOffset`: versions share one tail array and each sees
 * only its own prefix (see ImmutableList.push).
 */
export interface ListParts {
  readonly size: number;
  readonly shift: number;
  readonly root: VNode;
  readonly tail: unknown[];
  readonly tailOffset: number;
}

/** Builds a balanced trie bottom-up from an array in O(n): full leaves, then the tail. */
export function partsFromArray(values: readonly unknown[]): ListParts {
  const size = values.length;
  const tailOffset = size === 0 ? 0 : ((size - 1) >>> BITS) << BITS;
  const tail = values.slice(tailOffset);
  if (tailOffset === 0) return { size, shift: BITS, root: EMPTY_ROOT, tail, tailOffset };
  let level: unknown[] = [];
  for (let i = 0; i < tailOffset; i += WIDTH) {
    level.push(values.slice(i, i + WIDTH));
  }
  let shift = BITS;
  while (level.length > WIDTH) {
    const parents: VNode[] = [];
    for (let i = 0; i < level.length; i += WIDTH) {
      parents.push(new VNode(level.slice(i, i + WIDTH), null, null, 0));
    }
    level = parents;
    shift += BITS;
  }
  return { size, shift, root: new VNode(level, null, null, 0), tail, tailOffset };
}
