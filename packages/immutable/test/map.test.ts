import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ImmutableError, ImmutableList, ImmutableMap, type ValueObject } from "../src/index.ts";
import { checkMap } from "./support/check-map.ts";

class Point implements ValueObject {
  readonly x: number;
  readonly y: number;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
  equals(other: unknown): boolean {
    return other instanceof Point && other.x === this.x && other.y === this.y;
  }
  hashCode(): number {
    return (Math.imul(this.x, 31) + this.y) | 0;
  }
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImmutableError);
    return (error as ImmutableError).code;
  }
  return undefined;
}

describe("ImmutableMap basics", () => {
  const fruit = ImmutableMap.from([
    ["apple", 1],
    ["pear", 2],
    ["fig", 3],
  ]);

  it("get, has, size and notSetValue", () => {
    expect(fruit.size).toBe(3);
    expect(fruit.get("pear")).toBe(2);
    expect(fruit.get("kiwi")).toBeUndefined();
    expect(fruit.get("kiwi", 0)).toBe(0);
    expect(fruit.has("fig")).toBe(true);
    expect(fruit.has("kiwi")).toBe(false);
    expect(ImmutableMap.empty().size).toBe(0);
    expect(ImmutableMap.empty()).toBe(ImmutableMap.empty());
  });

  it("set and delete return new maps and leave the old one alone", () => {
    const more = fruit.set("kiwi", 4);
    const less = fruit.delete("apple");
    expect(more.size).toBe(4);
    expect(less.size).toBe(2);
    expect(fruit.size).toBe(3);
    expect(fruit.get("apple")).toBe(1);
    expect(less.get("apple")).toBeUndefined();
    expect(fruit.set("pear", 2)).toBe(fruit);
    expect(fruit.delete("kiwi")).toBe(fruit);
    expect(fruit.set("pear", 5).get("pear")).toBe(5);
    expect(fruit.set("pear", 5).size).toBe(3);
    expect(ImmutableMap.from([["a", 1]]).delete("a")).toBe(ImmutableMap.empty());
  });

  it("stores undefined values and tells them from absent keys", () => {
    const map = ImmutableMap.empty<string, undefined>().set("x", undefined);
    expect(map.has("x")).toBe(true);
    expect(map.get("x", "absent")).toBeUndefined();
    expect(map.get("y", "absent")).toBe("absent");
  });

  it("update, merge and mergeWith", () => {
    expect(fruit.update("apple", (n) => (n ?? 0) + 10).get("apple")).toBe(11);
    expect(fruit.update("kiwi", (n) => (n ?? 0) + 10).get("kiwi")).toBe(10);
    const merged = fruit.merge(new Map([["apple", 9]]), [["plum", 7]]);
    expect(merged.toObject()).toEqual({ apple: 9, pear: 2, fig: 3, plum: 7 });
    expect(ImmutableMap.empty<string, number>().merge(fruit)).toBe(fruit);
    const summed = fruit.mergeWith((a, b) => a + b, [["apple", 100]], fruit);
    expect(summed.toObject()).toEqual({ apple: 102, pear: 4, fig: 6 });
  });

  it("map, filter, forEach, reduce, some, every, find and findKey", () => {
    expect(fruit.map((v, k) => `${k}:${v}`).get("fig")).toBe("fig:3");
    expect(fruit.filter((v) => v > 1).toObject()).toEqual({ pear: 2, fig: 3 });
    expect(fruit.filter(() => true)).toBe(fruit);
    const seen: string[] = [];
    fruit.forEach((v, k) => {
      seen.push(`${k}=${v}`);
    });
    expect(seen.sort()).toEqual(["apple=1", "fig=3", "pear=2"]);
    expect(fruit.reduce((sum, v) => sum + v, 0)).toBe(6);
    expect(fruit.some((v) => v === 3)).toBe(true);
    expect(fruit.every((v) => v < 3)).toBe(false);
    expect(fruit.find((v) => v === 2)).toBe(2);
    expect(fruit.findKey((v) => v === 2)).toBe("pear");
    expect(fruit.find((v) => v === 9)).toBeUndefined();
    expect(fruit.findKey((v) => v === 9)).toBeUndefined();
    expect(ImmutableMap.empty().map((v) => v)).toBe(ImmutableMap.empty());
  });

  it("iterates keys, values and entries in one consistent order", () => {
    const big = ImmutableMap.from(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i] as const));
    const keys = [...big.keys()];
    const values = [...big.values()];
    const entries = [...big];
    expect(keys).toHaveLength(5000);
    expect(new Set(keys).size).toBe(5000);
    expect(entries.map(([k]) => k)).toEqual(keys);
    expect(entries.map(([, v]) => v)).toEqual(values);
    expect(values.map((v) => `k${v}`)).toEqual(keys);
    expect(big.toMap().get("k42")).toBe(42);
  });

  it("fromObject, toObject and JSON", () => {
    const map = ImmutableMap.fromObject({ a: 1, b: 2 });
    expect(map.get("b")).toBe(2);
    expect(JSON.stringify(map)).toBe(JSON.stringify(Object.fromEntries(map)));
    expect(String(ImmutableMap.fromObject({ a: 1 }))).toBe("ImmutableMap(1) {a => 1}");
    expect(inspect(ImmutableMap.fromObject({ a: 1 }))).toBe("ImmutableMap(1) { 'a' => 1 }");
    expect(ImmutableMap.isMap(map)).toBe(true);
    expect(ImmutableMap.isMap(new Map())).toBe(false);
  });

  it("rejects bad arguments with IMMUTABLE_INVALID_ARGUMENT", () => {
    expect(codeOf(() => ImmutableMap.from(5 as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => ImmutableMap.from({ a: 1 } as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => ImmutableMap.from([1] as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => ImmutableMap.fromObject(null as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => fruit.merge(7 as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => fruit.mergeWith(null as never, []))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => fruit.mergeWith((a) => a, [null] as never))).toBe(
      "IMMUTABLE_INVALID_ARGUMENT",
    );
    expect(codeOf(() => fruit.map(1 as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(codeOf(() => fruit.update("a", 1 as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    for (const method of ["filter", "forEach", "some", "every", "find", "findKey"] as const) {
      expect(codeOf(() => fruit[method](null as never))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    }
    expect(codeOf(() => fruit.reduce(null as never, 0))).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(fruit.size).toBe(3);
  });
});

describe("ImmutableMap keys", () => {
  it("compares primitives by value: NaN, -0, bigint, registered symbols", () => {
    const map = ImmutableMap.from<unknown, string>([
      [Number.NaN, "nan"],
      [0, "zero"],
      [10n ** 30n, "big"],
      [Symbol.for("app.key"), "registered"],
      [true, "yes"],
      [null, "null"],
      [undefined, "undefined"],
      [1.5, "float"],
    ]);
    expect(map.get(Number.NaN)).toBe("nan");
    expect(map.get(-0)).toBe("zero");
    expect(map.get(10n ** 30n)).toBe("big");
    expect(map.get(-(10n ** 30n))).toBeUndefined();
    expect(map.get(Symbol.for("app.key"))).toBe("registered");
    expect(map.get(true)).toBe("yes");
    expect(map.get(null)).toBe("null");
    expect(map.get(undefined)).toBe("undefined");
    expect(map.get(3 / 2)).toBe("float");
    expect(map.get("1.5")).toBeUndefined();
    checkMap(map);
  });

  it("compares value objects by equals/hashCode and other objects by identity", () => {
    const a = {};
    const sym = Symbol("local");
    const map = ImmutableMap.empty<unknown, string>()
      .set(new Point(1, 2), "point")
      .set(a, "object")
      .set(sym, "symbol")
      .set(ImmutableList.of(1, 2), "list");
    expect(map.get(new Point(1, 2))).toBe("point");
    expect(map.get(a)).toBe("object");
    expect(map.get({})).toBeUndefined();
    expect(map.get(sym)).toBe("symbol");
    expect(map.get(Symbol("local"))).toBeUndefined();
    expect(map.get(ImmutableList.of(1, 2))).toBe("list");
    expect(map.set(new Point(1, 2), "moved").size).toBe(4);
  });

  it("a hashCode that is not a number throws IMMUTABLE_INVALID_HASH", () => {
    const bad = { equals: () => true, hashCode: () => "x" };
    let caught: unknown;
    try {
      ImmutableMap.empty().set(bad, 1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImmutableError);
    expect((caught as ImmutableError).code).toBe("IMMUTABLE_INVALID_HASH");
    expect((caught as ImmutableError).message).toContain("hashCode() of Object returned x");
  });
});

describe("ImmutableMap equality", () => {
  it("equals() ignores insertion order; hashCode() agrees", () => {
    const a = ImmutableMap.from(
      Array.from({ length: 300 }, (_, i): [number, string] => [i, `v${i}`]),
    );
    const b = ImmutableMap.from(
      Array.from({ length: 300 }, (_, i): [number, string] => [299 - i, `v${299 - i}`]),
    );
    expect(a.equals(b)).toBe(true);
    expect(a.hashCode()).toBe(b.hashCode());
    expect(a.equals(b.set(3, "x"))).toBe(false);
    expect(a.equals(b.delete(3))).toBe(false);
    expect(a.equals(b.delete(3).set(1000, "v3"))).toBe(false);
    expect(a.equals(new Map(a))).toBe(false);
    const nested = ImmutableMap.from([["k", ImmutableList.of(1)]]);
    expect(nested.equals(ImmutableMap.from([["k", ImmutableList.of(1)]]))).toBe(true);
  });

  it("maps work as keys of other maps", () => {
    const key = ImmutableMap.fromObject({ a: 1 });
    const outer = ImmutableMap.empty<unknown, string>().set(key, "found");
    expect(outer.get(ImmutableMap.fromObject({ a: 1 }))).toBe("found");
  });
});
