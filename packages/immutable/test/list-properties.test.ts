import { describe, expect, it } from "vitest";
import { ImmutableList } from "../src/index.ts";
import { partsOfList } from "../src/list/immutable-list.ts";
import { checkList } from "./support/check-list.ts";
import { prng } from "./support/prng.ts";

// Every operation is replayed on a plain array (the model); every version ever produced is kept
// and compared with the model's copy at the end, so any write that leaked into a shared node
// shows up as a changed old version.

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

type Rng = ReturnType<typeof prng>;

/** A list of `n` values built one of several ways, so tries of every shape take part. */
function randomList(rng: Rng, n: number, from: number): [ImmutableList<number>, number[]] {
  const model = range(n, from);
  switch (rng.int(4)) {
    case 0:
      return [ImmutableList.from(model), model];
    case 1: {
      let list = ImmutableList.empty<number>();
      for (const v of model) list = list.push(v);
      return [list, model];
    }
    case 2: {
      const builder = ImmutableList.builder<number>();
      for (const v of model) builder.push(v);
      return [builder.build(), model];
    }
    default: {
      // A relaxed trie: pieces of random sizes joined by concat.
      let list = ImmutableList.empty<number>();
      let at = 0;
      while (at < n) {
        const piece = Math.min(n - at, 1 + rng.int(700));
        list = list.concat(ImmutableList.from(range(piece, from + at)));
        at += piece;
      }
      return [list, model];
    }
  }
}

function step(
  rng: Rng,
  list: ImmutableList<number>,
  model: number[],
  tag: number,
): [ImmutableList<number>, number[]] {
  const n = model.length;
  const op = rng.int(n === 0 ? 3 : 10);
  const next = model.slice();
  switch (op) {
    case 0: {
      next.push(tag);
      return [list.push(tag), next];
    }
    case 1: {
      const other = randomList(rng, rng.int(n < 2000 ? 3000 : 800), tag);
      return [list.concat(other[0]), next.concat(other[1])];
    }
    case 2: {
      const i = rng.int(n + 1);
      next.splice(i, 0, tag);
      return [list.insert(i, tag), next];
    }
    case 3: {
      next.pop();
      return [list.pop(), next];
    }
    case 4:
    case 5: {
      const i = rng.int(n);
      next[i] = tag;
      return [list.set(i, tag), next];
    }
    case 6: {
      const i = rng.int(n);
      next.splice(i, 1);
      return [list.remove(i), next];
    }
    case 7: {
      const a = rng.int(n + 1);
      const b = a + rng.int(n - a + 1);
      return [list.slice(a, b), next.slice(a, b)];
    }
    case 8: {
      const a = -1 - rng.int(n);
      return [list.slice(a), next.slice(a)];
    }
    default: {
      const builder = list.toBuilder();
      for (let k = rng.int(80); k > 0; k--) {
        const choice = rng.int(3);
        if (choice === 0) {
          builder.push(tag + k);
          next.push(tag + k);
        } else if (choice === 1) {
          expect(builder.pop()).toBe(next.pop());
        } else if (next.length > 0) {
          const i = rng.int(next.length);
          builder.set(i, tag - k);
          next[i] = tag - k;
        }
      }
      expect(builder.size).toBe(next.length);
      return [builder.build(), next];
    }
  }
}

function probe(rng: Rng, list: ImmutableList<number>, model: number[]): void {
  expect(list.size).toBe(model.length);
  if (model.length === 0) return;
  for (const i of [0, model.length - 1, rng.int(model.length), rng.int(model.length)]) {
    expect(list.get(i)).toBe(model[i]);
  }
}

describe("ImmutableList against arrays, seeded", () => {
  const sizes = [0, 1, 31, 32, 33, 1023, 1024, 1025, 1056, 32767, 32768, 32769, 33825];

  for (const size of sizes) {
    it(`random operations from ${size} elements keep every version intact`, () => {
      const rng = prng(size * 7919 + 17);
      let [list, model] = randomList(rng, size, 0);
      const history: [ImmutableList<number>, number[]][] = [[list, model]];
      const steps = size > 30000 ? 60 : 150;
      for (let s = 1; s <= steps; s++) {
        [list, model] = step(rng, list, model, -s * 1000);
        probe(rng, list, model);
        history.push([list, model]);
        if (model.length < 5000 || s % 20 === 0) checkList(list);
      }
      expect(list.toArray()).toEqual(model);
      expect([...list]).toEqual(model);
      for (const [version, snapshot] of history) expect(version.toArray()).toEqual(snapshot);
    });
  }

  it("push then pop across the 32, 1024 and 32768 boundaries", () => {
    const limit = 32 * 32 * 32 + 32 * 32 + 64;
    const boundaries = new Set<number>();
    for (const b of [32, 64, 1024, 1056, 32768, 32800, 33824])
      for (let d = -2; d <= 2; d++) boundaries.add(b + d);
    let list = ImmutableList.empty<number>();
    const versions: ImmutableList<number>[] = [];
    for (let i = 0; i < limit; i++) {
      list = list.push(i);
      if (boundaries.has(list.size)) {
        checkList(list);
        versions.push(list);
        expect(list.get(i)).toBe(i);
      }
    }
    expect(list.toArray()).toEqual(range(limit));
    for (let i = limit - 1; i >= 0; i--) {
      list = list.pop();
      if (boundaries.has(list.size)) checkList(list);
    }
    for (const version of versions) expect(version.toArray()).toEqual(range(version.size));
  });

  it("builder push and pop across the same boundaries", () => {
    const limit = 32 * 32 * 32 + 32 * 32 + 64;
    const builder = ImmutableList.builder<number>();
    for (let i = 0; i < limit; i++) builder.push(i);
    for (let i = limit - 1; i >= 1000; i--) expect(builder.pop()).toBe(i);
    const list = builder.build();
    checkList(list);
    expect(list.toArray()).toEqual(range(1000));
  });

  it("a deque built from the front (insert(0), remove(0)) stays correct and shallow", () => {
    const rng = prng(99);
    let list = ImmutableList.empty<number>();
    const model: number[] = [];
    for (let i = 0; i < 3000; i++) {
      if (model.length > 0 && rng.int(4) === 0) {
        list = list.remove(0);
        model.shift();
      } else {
        list = list.insert(0, i);
        model.unshift(i);
      }
    }
    checkList(list);
    expect(list.toArray()).toEqual(model);
    // 3,000 values fit under a root at shift 10; RRB slack may add at most one level.
    expect(partsOfList(list).shift).toBeLessThanOrEqual(15);
  });

  it("random concatenation trees equal array concatenation", () => {
    const rng = prng(2024);
    for (let round = 0; round < 20; round++) {
      let pieces: [ImmutableList<number>, number[]][] = [];
      for (let k = 0; k < 24; k++)
        pieces.push(randomList(rng, rng.int(rng.int(2) ? 40 : 1500), k * 10000));
      while (pieces.length > 1) {
        const i = rng.int(pieces.length - 1);
        const [a, am] = pieces[i]!;
        const [b, bm] = pieces[i + 1]!;
        const joined = a.concat(b);
        checkList(joined);
        pieces = [...pieces.slice(0, i), [joined, am.concat(bm)], ...pieces.slice(i + 2)];
      }
      const [list, model] = pieces[0]!;
      expect(list.toArray()).toEqual(model);
      for (let k = 0; k < 50; k++) {
        const a = rng.int(model.length + 1);
        const b = a + rng.int(model.length - a + 1);
        const sliced = list.slice(a, b);
        checkList(sliced);
        expect(sliced.toArray()).toEqual(model.slice(a, b));
      }
    }
  });

  it("set on every index of a relaxed list matches the model", () => {
    const rng = prng(5);
    const [list, model] = randomList(
      { ...rng, int: (n: number) => (n === 4 ? 3 : rng.int(n)) },
      5000,
      0,
    );
    let current = list;
    const next = model.slice();
    for (let i = 0; i < model.length; i += 7) {
      current = current.set(i, -i);
      next[i] = -i;
    }
    checkList(current);
    expect(current.toArray()).toEqual(next);
    expect(list.toArray()).toEqual(model);
  });
});
