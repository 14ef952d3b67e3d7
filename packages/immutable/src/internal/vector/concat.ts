import { BITS, itemCount, type Leaf, makeBranch, VNode, WIDTH } from "./node.ts";

// The RRB concatenation of Bagwell & Rompf (2011) as librrb implements it: along the seam,
// nodes are redistributed only until a level holds at most EXTRAS more nodes than the minimum,
// which bounds both the copying and the extra slots a relaxed lookup may have to scan.
const EXTRAS = 2;

/** Shift of the root `concatTries` returned last. */
export let concatShift = 0;
let grew = false;

/** Concatenates two non-empty tries (every element of `left`, then every one of `right`). */
export function concatTries(left: VNode, lShift: number, right: VNode, rShift: number): VNode {
  grew = false;
  let root = concatSubTree(left, lShift, right, rShift, true);
  let shift = Math.max(lShift, rShift) + (grew ? BITS : 0);
  while (shift > BITS && root.array.length === 1) {
    root = root.array[0];
    shift -= BITS;
  }
  concatShift = shift;
  return root;
}

const lastChild = (node: unknown): any => (node as VNode).array.at(-1);
const firstChild = (node: unknown): any => (node as VNode).array[0];

// Returns the merged node when `top`, otherwise a carrier holding one or two nodes at the
// height of the inputs, which the caller spreads into its own rebalance.
function concatSubTree(
  left: VNode | Leaf,
  lShift: number,
  right: VNode | Leaf,
  rShift: number,
  top: boolean,
): VNode {
  if (lShift > rShift) {
    const center = concatSubTree(lastChild(left), lShift - BITS, right, rShift, false);
    return rebalance(left as VNode, center, null, lShift, top);
  }
  if (lShift < rShift) {
    const center = concatSubTree(left, lShift, firstChild(right), rShift - BITS, false);
    return rebalance(null, center, right as VNode, rShift, top);
  }
  if (lShift === 0) return new VNode([left, right], null, null, 0);
  const center = concatSubTree(
    lastChild(left),
    lShift - BITS,
    firstChild(right),
    rShift - BITS,
    false,
  );
  return rebalance(left as VNode, center, right as VNode, lShift, top);
}

function rebalance(
  left: VNode | null,
  center: VNode,
  right: VNode | null,
  shift: number,
  top: boolean,
): VNode {
  const all: any[] = [];
  if (left !== null) for (let k = 0; k < left.array.length - 1; k++) all.push(left.array[k]);
  for (const node of center.array) all.push(node);
  if (right !== null) for (let k = 1; k < right.array.length; k++) all.push(right.array[k]);
  const childShift = shift - BITS;
  const nodes = executePlan(all, plan(all, childShift), childShift);
  if (nodes.length <= WIDTH) {
    const node = makeBranch(nodes, shift, null);
    return top ? node : new VNode([node], null, null, 0);
  }
  const a = makeBranch(nodes.slice(0, WIDTH), shift, null);
  const b = makeBranch(nodes.slice(WIDTH), shift, null);
  if (!top) return new VNode([a, b], null, null, 0);
  grew = true;
  return makeBranch([a, b], shift + BITS, null);
}

/** How many items each redistributed node gets; untouched nodes keep their count. */
function plan(all: readonly unknown[], childShift: number): number[] {
  const counts = all.map((node) => itemCount(node, childShift));
  const total = counts.reduce((sum, c) => sum + c, 0);
  const optimal = Math.ceil(total / WIDTH);
  let n = counts.length;
  let i = 0;
  while (n > optimal + EXTRAS) {
    while (counts[i]! >= WIDTH) i++;
    let remaining = counts[i]!;
    do {
      const merged = Math.min(remaining + counts[i + 1]!, WIDTH);
      remaining = remaining + counts[i + 1]! - merged;
      counts[i] = merged;
      i++;
    } while (remaining > 0);
    for (let j = i; j < n - 1; j++) counts[j] = counts[j + 1]!;
    n--;
    i--;
  }
  counts.length = n;
  return counts;
}

function executePlan(all: readonly any[], counts: readonly number[], childShift: number): any[] {
  const items = (node: any): unknown[] => (childShift === 0 ? node : node.array);
  const out: any[] = [];
  let idx = 0;
  let offset = 0;
  for (const want of counts) {
    const old = all[idx];
    if (offset === 0 && items(old).length === want) {
      out.push(old);
      idx++;
      continue;
    }
    const merged: unknown[] = [];
    while (merged.length < want) {
      const src = items(all[idx]);
      const take = Math.min(src.length - offset, want - merged.length);
      for (let j = 0; j < take; j++) merged.push(src[offset + j]);
      offset += take;
      if (offset === src.length) {
        idx++;
        offset = 0;
      }
    }
    out.push(childShift === 0 ? merged : makeBranch(merged, childShift, null));
  }
  return out;
}
