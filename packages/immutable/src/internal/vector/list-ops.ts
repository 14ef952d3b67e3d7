import { concatShift, concatTries } from "./concat.ts";
import { BITS, EMPTY_ROOT, type VNode, WIDTH } from "./node.ts";
import type { ListParts } from "./parts.ts";
import { appendLeaf, popLeaf, poppedLeaf, resultShift } from "./push-pop.ts";
import { dropTrie, takeTrie } from "./slice.ts";

const tailOnly = (tail: unknown[]): ListParts => ({
  size: tail.length,
  shift: BITS,
  root: EMPTY_ROOT,
  tail,
  tailOffset: 0,
});

function collapse(root: VNode, shift: number): [VNode, number] {
  while (shift > BITS && root.array.length === 1) {
    root = root.array[0];
    shift -= BITS;
  }
  return [root, shift];
}

/** Elements [begin, end) of a list, 0 <= begin < end <= size; O(log n), sharing untouched nodes. */
export function sliceParts(parts: ListParts, begin: number, end: number): ListParts {
  const { tailOffset } = parts;
  if (begin >= tailOffset) {
    return tailOnly(parts.tail.slice(begin - tailOffset, end - tailOffset));
  }
  let root = parts.root;
  let shift = parts.shift;
  let tail: unknown[];
  let trieEnd: number;
  if (end > tailOffset) {
    tail = parts.tail.slice(0, end - tailOffset);
    trieEnd = tailOffset;
  } else {
    // The last leaf of the kept prefix becomes the tail, copied so no version appends to a leaf.
    root = popLeaf(takeTrie(root, shift, end) as VNode, shift, null);
    shift = resultShift;
    tail = poppedLeaf.slice();
    trieEnd = end - tail.length;
  }
  if (begin >= trieEnd) return tailOnly(tail.slice(begin - trieEnd));
  if (begin > 0) [root, shift] = collapse(dropTrie(root, shift, begin) as VNode, shift);
  return { size: end - begin, shift, root, tail, tailOffset: end - begin - tail.length };
}

/**
 * `left` followed by `right` in O(log n): the left tail goes down as a leaf, then the two tries
 * are joined by RRB concatenation. `right` must hold a non-empty trie.
 */
export function concatParts(left: ListParts, right: ListParts): ListParts {
  const leaf = left.tail.slice(0, left.size - left.tailOffset);
  const joined = appendLeaf(left.root, left.shift, left.tailOffset, leaf, null);
  const root = concatTries(joined, resultShift, right.root, right.shift);
  return {
    size: left.size + right.size,
    shift: concatShift,
    root,
    tail: right.tail,
    tailOffset: left.size + right.tailOffset,
  };
}

/** The list with `value` inserted at `i`, an index inside the tail; a full tail spills a leaf. */
export function insertIntoTail(parts: ListParts, i: number, value: unknown): ListParts {
  const { size, shift, root, tailOffset } = parts;
  const tail = parts.tail.slice(0, size - tailOffset);
  tail.splice(i - tailOffset, 0, value);
  if (tail.length <= WIDTH) return { size: size + 1, shift, root, tail, tailOffset };
  const grown = appendLeaf(root, shift, tailOffset, tail.slice(0, WIDTH), null);
  return {
    size: size + 1,
    shift: resultShift,
    root: grown,
    tail: tail.slice(WIDTH),
    tailOffset: tailOffset + WIDTH,
  };
}

/** The list without index `i`, an index inside a tail of two values or more. */
export function removeFromTail(parts: ListParts, i: number): ListParts {
  const tail = parts.tail.slice(0, parts.size - parts.tailOffset);
  tail.splice(i - parts.tailOffset, 1);
  return { ...parts, size: parts.size - 1, tail };
}
