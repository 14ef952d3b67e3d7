import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ImmutableError, ImmutableList, ImmutableMap } from "../src/index.ts";
import { checkList } from "./support/check-list.ts";

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

function expectCode(fn: () => unknown, code: string): ImmutableError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImmutableError);
    expect((error as ImmutableError).code).toBe(code);
    return error as ImmutableError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe("ImmutableList construction", () => {
  it("empty() is one shared instance", () => {
    expect(ImmutableList.empty()).toBe(ImmutableList.empty());
    expect(ImmutableList.empty().size).toBe(0);
    expect(ImmutableList.of().size).toBe(0);
  });

  it("of() and from() keep order across trie levels", () => {
    for (const n of [1, 31, 32, 33, 1024, 1025, 32 * 32 * 32 + 33]) {
      const list = ImmutableList.from(range(n));
      checkList(list);
      expect(list.size).toBe(n);
      expect(list.toArray()).toEqual(range(n));
    }
    expect(ImmutableList.of("a", "b").toArray()).toEqual(["a", "b"]);
  });

  it("from() takes iterables, array-likes and a mapper, and returns lists as they are", () => {
    expect(ImmutableList.from(new Set([1, 2, 3])).toArray()).toEqual([1, 2, 3]);
    expect(ImmutableList.from("hey").toArray()).toEqual(["h", "e", "y"]);
    expect(ImmutableList.from({ length: 2, 0: "x", 1: "y" }).toArray()).toEqual(["x", "y"]);
    expect(ImmutableList.from([1, 2], (v, i) => v * 10 + i).toArray()).toEqual([10, 21]);
    const list = ImmutableList.of(1);
    expect(ImmutableList.from(list)).toBe(list);
  });

  it("from() copies the array it is given", () => {
    const source = range(40);
    const list = ImmutableList.from(source);
    source[0] = 99;
    source.push(1);
    expect(list.get(0)).toBe(0);
    expect(list.size).toBe(40);
  });

  it("rejects what is not iterable with IMMUTABLE_INVALID_ARGUMENT", () => {
    const error = expectCode(() => ImmutableList.from(42 as never), "IMMUTABLE_INVALID_ARGUMENT");
    expect(error.message).toContain(
      "ImmutableList.from: expected an iterable or an array-like, got 42",
    );
    expectCode(() => ImmutableList.from(null as never), "IMMUTABLE_INVALID_ARGUMENT");
    expectCode(() => ImmutableList.from([1], "x" as never), "IMMUTABLE_INVALID_ARGUMENT");
  });
});

describe("ImmutableList reads", () => {
  const list = ImmutableList.from(range(100));

  it("get() counts negative indexes from the end and answers undefined out of range", () => {
    expect(list.get(0)).toBe(0);
    expect(list.get(99)).toBe(99);
    expect(list.get(-1)).toBe(99);
    expect(list.get(-100)).toBe(0);
    expect(list.get(100)).toBeUndefined();
    expect(list.get(-101)).toBeUndefined();
    expect(list.get(2 ** 40)).toBeUndefined();
    expect(list.first()).toBe(0);
    expect(list.last()).toBe(99);
    expect(ImmutableList.empty().first()).toBeUndefined();
  });

  it("get() rejects indexes that are not integers", () => {
    const error = expectCode(() => list.get(1.5), "IMMUTABLE_INVALID_ARGUMENT");
    expect(error.message).toBe(
      "get(1.5): the index must be an integer (negative counts from the end)",
    );
    expectCode(() => list.get(Number.NaN), "IMMUTABLE_INVALID_ARGUMENT");
    expectCode(() => list.get("1" as never), "IMMUTABLE_INVALID_ARGUMENT");
  });

  it("searches: indexOf, includes, find, findIndex, some, every", () => {
    expect(list.indexOf(42)).toBe(42);
    expect(list.indexOf(-1)).toBe(-1);
    expect(list.includes(99)).toBe(true);
    expect(list.find((v) => v > 50)).toBe(51);
    expect(list.find((v) => v > 500)).toBeUndefined();
    expect(list.findIndex((v) => v * 2 === 140)).toBe(70);
    expect(list.some((v) => v === 3)).toBe(true);
    expect(list.every((v) => v < 100)).toBe(true);
    expect(list.every((v) => v < 99)).toBe(false);
    expect(ImmutableList.empty<number>().every(() => false)).toBe(true);
  });

  it("indexOf and includes compare by value, NaN included", () => {
    const values = ImmutableList.of<unknown>(Number.NaN, ImmutableList.of(1, 2), 0);
    expect(values.indexOf(Number.NaN)).toBe(0);
    expect(values.indexOf(ImmutableList.of(1, 2))).toBe(1);
    expect(values.includes(-0)).toBe(true);
  });

  it("reduce, forEach and map pass the index", () => {
    expect(list.reduce((sum, v) => sum + v, 0)).toBe(4950);
    const seen: number[] = [];
    list.forEach((v, i) => {
      expect(v).toBe(i);
      seen.push(i);
    });
    expect(seen).toEqual(range(100));
    expect(list.map((v, i) => v + i).toArray()).toEqual(range(100).map((v) => 2 * v));
  });

  it("iterates, and entries() pairs indexes with values", () => {
    expect([...list]).toEqual(range(100));
    expect([...ImmutableList.of("a", "b").entries()]).toEqual([
      [0, "a"],
      [1, "b"],
    ]);
    const iterator = ImmutableList.of(1)[Symbol.iterator]();
    expect(iterator.next()).toEqual({ value: 1, done: false });
    expect(iterator.next()).toEqual({ value: undefined, done: true });
    expect(iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("callbacks must be functions", () => {
    for (const call of [
      () => list.map(1 as never),
      () => list.filter(null as never),
      () => list.reduce(1 as never, 0),
      () => list.forEach(undefined as never),
      () => list.findIndex({} as never),
      () => list.every("x" as never),
      () => list.sort(1 as never),
      () => list.update(0, 1 as never),
    ]) {
      expectCode(call, "IMMUTABLE_INVALID_ARGUMENT");
    }
  });
});

describe("ImmutableList updates", () => {
  const base = ImmutableList.from(range(100));

  it("set() replaces one element, counts negative indexes from the end, returns the same list when unchanged", () => {
    expect(base.set(5, -5).get(5)).toBe(-5);
    expect(base.set(-1, -1).last()).toBe(-1);
    expect(base.set(99, -1).toArray()).toEqual([...range(99), -1]);
    expect(base.set(5, 5)).toBe(base);
    expect(base.set(99, 99)).toBe(base);
    expect(base.get(5)).toBe(5);
  });

  it("set() out of range throws IMMUTABLE_INDEX_OUT_OF_RANGE naming the range", () => {
    const error = expectCode(() => base.set(100, 0), "IMMUTABLE_INDEX_OUT_OF_RANGE");
    expect(error.message).toBe(
      "set(100): the index must be within -100..99 for a collection of 100 elements",
    );
    expectCode(() => base.set(-101, 0), "IMMUTABLE_INDEX_OUT_OF_RANGE");
    const empty = expectCode(() => ImmutableList.empty().set(0, 1), "IMMUTABLE_INDEX_OUT_OF_RANGE");
    expect(empty.message).toBe("set(0): the collection is empty");
    expectCode(() => base.set(0.5, 0), "IMMUTABLE_INVALID_ARGUMENT");
  });

  it("update() applies a function", () => {
    expect(base.update(3, (v) => v * 100).get(3)).toBe(300);
    expectCode(() => base.update(100, (v) => v), "IMMUTABLE_INDEX_OUT_OF_RANGE");
  });

  it("push() and pop() work across tail and trie boundaries", () => {
    let list = ImmutableList.empty<number>();
    for (let i = 0; i < 2000; i++) list = list.push(i);
    checkList(list);
    expect(list.toArray()).toEqual(range(2000));
    for (let i = 1999; i >= 0; i--) {
      expect(list.last()).toBe(i);
      list = list.pop();
      if (i % 97 === 0) checkList(list);
    }
    expect(list).toBe(ImmutableList.empty());
    expect(list.pop()).toBe(list);
  });

  it("insert() and remove() anywhere", () => {
    const model = range(100);
    let list = base;
    for (const [index, value] of [
      [0, -1],
      [50, -2],
      [102, -3],
      [-1, -4],
      [70, -5],
    ] as const) {
      list = list.insert(index, value);
      model.splice(index < 0 ? model.length + index : index, 0, value);
    }
    checkList(list);
    expect(list.toArray()).toEqual(model);
    for (const index of [0, 50, -1, 60, 3]) {
      list = list.remove(index);
      model.splice(index < 0 ? model.length + index : index, 1);
    }
    checkList(list);
    expect(list.toArray()).toEqual(model);
    expect(base.toArray()).toEqual(range(100));
  });

  it("insert() fills a full tail into the trie", () => {
    const list = ImmutableList.from(range(64));
    const inserted = list.insert(40, -1);
    checkList(inserted);
    expect(inserted.toArray()).toEqual([...range(40), -1, ...range(24, 40)]);
  });

  it("insert() and remove() out of range throw IMMUTABLE_INDEX_OUT_OF_RANGE", () => {
    expectCode(() => base.insert(101, 0), "IMMUTABLE_INDEX_OUT_OF_RANGE");
    expect(base.insert(100, 0).size).toBe(101);
    expectCode(() => base.remove(100), "IMMUTABLE_INDEX_OUT_OF_RANGE");
    expectCode(() => ImmutableList.empty().remove(0), "IMMUTABLE_INDEX_OUT_OF_RANGE");
  });

  it("slice() follows Array.prototype.slice", () => {
    const array = range(100);
    const cases: [number | undefined, number | undefined][] = [
      [undefined, undefined],
      [10, undefined],
      [10, 20],
      [-10, undefined],
      [-10, -5],
      [50, 10],
      [0, 1000],
      [-1000, 3],
      [2.7, 9.9],
      [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    ];
    for (const [a, b] of cases) {
      const sliced = base.slice(a, b);
      checkList(sliced);
      expect(sliced.toArray()).toEqual(array.slice(a, b));
    }
    expect(base.slice()).toBe(base);
    expect(base.slice(5, 5)).toBe(ImmutableList.empty());
    expectCode(() => base.slice(Number.NaN), "IMMUTABLE_INVALID_ARGUMENT");
    expectCode(() => base.slice("1" as never), "IMMUTABLE_INVALID_ARGUMENT");
  });

  it("concat() joins lists and iterables", () => {
    const a = ImmutableList.from(range(50));
    const b = ImmutableList.from(range(2000, 50));
    const joined = a.concat(b, [1, 2], new Set([3]), ImmutableList.of(4));
    checkList(joined);
    expect(joined.toArray()).toEqual([...range(50), ...range(2000, 50), 1, 2, 3, 4]);
    expect(a.concat()).toBe(a);
    expect(ImmutableList.empty<number>().concat(b)).toBe(b);
    expect(a.concat(ImmutableList.empty())).toBe(a);
    expectCode(() => a.concat(5 as never), "IMMUTABLE_INVALID_ARGUMENT");
  });

  it("filter() keeps order and returns the same list when everything passes", () => {
    expect(base.filter((v) => v % 10 === 0).toArray()).toEqual([
      0, 10, 20, 30, 40, 50, 60, 70, 80, 90,
    ]);
    expect(base.filter(() => true)).toBe(base);
    expect(base.filter(() => false).size).toBe(0);
  });

  it("sort() is stable and orders numbers numerically by default", () => {
    expect(ImmutableList.of(10, 9, 1, 100).sort().toArray()).toEqual([1, 9, 10, 100]);
    const people = ImmutableList.of({ n: "b", a: 1 }, { n: "a", a: 1 }, { n: "c", a: 0 });
    expect(
      people
        .sort((x, y) => x.a - y.a)
        .map((p) => p.n)
        .toArray(),
    ).toEqual(["c", "b", "a"]);
    expect(ImmutableList.of(3, 1, 2).reverse().toArray()).toEqual([2, 1, 3]);
    expect(ImmutableList.of(1, 2).join("-")).toBe("1-2");
  });
});

describe("ImmutableList equality and output", () => {
  it("equals() compares elements by value, hashCode() agrees", () => {
    const a = ImmutableList.from(range(1000));
    const b = ImmutableList.from(range(1000)).set(3, 3);
    const built = ImmutableList.from(range(500)).concat(ImmutableList.from(range(500, 500)));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(built)).toBe(true);
    expect(a.hashCode()).toBe(built.hashCode());
    expect(a.equals(a.set(999, -1))).toBe(false);
    expect(a.equals(a.pop())).toBe(false);
    expect(a.equals(range(1000))).toBe(false);
    expect(
      ImmutableList.of(ImmutableList.of(1)).equals(ImmutableList.of(ImmutableList.of(1))),
    ).toBe(true);
    expect(ImmutableList.of(Number.NaN).equals(ImmutableList.of(Number.NaN))).toBe(true);
    expect(ImmutableList.of({}).equals(ImmutableList.of({}))).toBe(false);
    expect(ImmutableList.of(1, 2).hashCode()).not.toBe(ImmutableList.of(2, 1).hashCode());
  });

  it("lists work as ImmutableMap keys by value", () => {
    const map = ImmutableMap.empty<ImmutableList<number>, string>().set(
      ImmutableList.of(1, 2),
      "x",
    );
    expect(map.get(ImmutableList.of(1, 2))).toBe("x");
  });

  it("serializes as a JSON array and prints its contents", () => {
    const list = ImmutableList.of<unknown>(1, "a", { b: 2 });
    expect(JSON.stringify({ list })).toBe('{"list":[1,"a",{"b":2}]}');
    expect(String(ImmutableList.of(1, 2))).toBe("ImmutableList(2) [1, 2]");
    expect(inspect(ImmutableList.of(1, 2))).toBe("ImmutableList(2) [ 1, 2 ]");
    expect(inspect({ deep: { deeper: ImmutableList.of(1) } }, { depth: 1 })).toBe(
      "{ deep: { deeper: [ImmutableList(1)] } }",
    );
    expect(ImmutableList.isList(ImmutableList.of())).toBe(true);
    expect(ImmutableList.isList([])).toBe(false);
  });
});

describe("empty results", () => {
  it("every way to an empty list gives the shared empty list", () => {
    const empty = ImmutableList.empty();
    expect(ImmutableList.of()).toBe(empty);
    expect(ImmutableList.from([])).toBe(empty);
    expect(ImmutableList.of<number>().sort()).toBe(empty);
    expect(ImmutableList.of().reverse()).toBe(empty);
    expect(ImmutableList.of(1).pop()).toBe(empty);
    expect(ImmutableList.of(1).slice(1)).toBe(empty);
    expect(ImmutableList.of(1).remove(0)).toBe(empty);
  });
});
