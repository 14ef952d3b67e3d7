import { describe, expect, it } from "vitest";
import { ImmutableMap } from "../src/index.ts";
import { checkMap, shapeOf } from "./support/check-map.ts";
import { Colliding } from "./support/keys.ts";
import { prng } from "./support/prng.ts";

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = prng(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("hash collisions", () => {
  it("keys with one full 32-bit hash share a collision node and stay distinct", () => {
    const keys = Array.from({ length: 100 }, (_, i) => new Colliding(i, 0x5eed));
    let map = ImmutableMap.empty<Colliding, number>();
    for (const key of keys) map = map.set(key, key.id);
    checkMap(map);
    expect(map.size).toBe(100);
    for (const key of keys) expect(map.get(new Colliding(key.id, 0x5eed))).toBe(key.id);
    expect(map.get(new Colliding(100, 0x5eed))).toBeUndefined();
    expect(map.set(new Colliding(5, 0x5eed), -5).get(keys[5]!)).toBe(-5);
    expect(map.set(new Colliding(5, 0x5eed), 5)).toBe(map);
    for (const key of shuffled(keys, 1)) {
      const next = map.delete(new Colliding(key.id, 0x5eed));
      expect(next.size).toBe(map.size - 1);
      expect(next.has(key)).toBe(false);
      checkMap(next);
      map = next;
    }
    expect(map.size).toBe(0);
  });

  it("a primitive and a value object with the same hash collide without being equal", () => {
    const object = new Colliding(1, 42);
    const map = ImmutableMap.empty<unknown, string>().set(42, "number").set(object, "object");
    checkMap(map);
    expect(map.get(42)).toBe("number");
    expect(map.get(new Colliding(1, 42))).toBe("object");
    expect(map.delete(42).get(object)).toBe("object");
    expect(map.delete(object).get(42)).toBe("number");
    checkMap(map.delete(42));
  });

  it("hashes that agree on their low bits split where they first differ", () => {
    // Same low 30 bits, different top 2 bits: the keys part only at the deepest level.
    const keys = [0, 1, 2, 3].map((top, id) => new Colliding(id, (top << 30) | 0x2aaaaaaa));
    const withCollision = [...keys, new Colliding(9, keys[0]!.hash)];
    const map = ImmutableMap.from(withCollision.map((k) => [k, k.id] as const));
    checkMap(map);
    for (const key of withCollision) expect(map.get(key)).toBe(key.id);
    let rest = map;
    for (const key of withCollision) {
      rest = rest.delete(key);
      checkMap(rest);
    }
    expect(rest.size).toBe(0);
  });

  it("the trie has one shape per key set, whatever the order of sets and deletes", () => {
    const rng = prng(7);
    const keys: unknown[] = [];
    for (let i = 0; i < 400; i++) keys.push(i * 7, `s${i}`);
    for (let i = 0; i < 60; i++)
      keys.push(new Colliding(i, i % 5), new Colliding(1000 + i, (i % 3) << 25));
    const a = ImmutableMap.from(keys.map((k) => [k, 1] as const));
    const b = ImmutableMap.from(shuffled(keys, 3).map((k) => [k, 1] as const));
    expect(shapeOf(b)).toEqual(shapeOf(a));
    const removed = keys.filter(() => rng.int(3) === 0);
    let fewer = a;
    for (const key of shuffled(removed, 4)) fewer = fewer.delete(key);
    const remaining = keys.filter((k) => !removed.includes(k));
    const fresh = ImmutableMap.from(shuffled(remaining, 5).map((k) => [k, 1] as const));
    checkMap(fewer);
    expect(fewer.size).toBe(remaining.length);
    expect(shapeOf(fewer)).toEqual(shapeOf(fresh));
  });

  it("builders handle collision nodes in place", () => {
    const builder = ImmutableMap.builder<Colliding, number>();
    for (let i = 0; i < 50; i++) builder.set(new Colliding(i, 7), i);
    for (let i = 0; i < 50; i += 2) expect(builder.delete(new Colliding(i, 7))).toBe(true);
    expect(builder.delete(new Colliding(0, 7))).toBe(false);
    const map = builder.build();
    checkMap(map);
    expect(map.size).toBe(25);
    expect(map.get(new Colliding(3, 7))).toBe(3);
    expect(map.get(new Colliding(4, 7))).toBeUndefined();
  });
});

describe("keys whose equals() edits another map", () => {
  // Regression: the "added"/"removed" outcome of set and delete was a flag reset on entry, so an
  // equals() that itself added to another map made the outer set count a replaced key as new.
  class Meddling extends Colliding {
    static journal = ImmutableMap.empty<number, number>();
    override equals(other: unknown): boolean {
      Meddling.journal = Meddling.journal.set(Meddling.journal.size, this.id).delete(-1);
      return super.equals(other);
    }
  }

  it("keeps the size right when a replaced key's equals() adds elsewhere", () => {
    let map = ImmutableMap.empty<Colliding, string>();
    map = map.set(new Meddling(1, 9), "a").set(new Meddling(2, 9), "b");
    map = map.set(new Meddling(1, 9), "c");
    expect(map.size).toBe(2);
    expect(map.get(new Meddling(1, 9))).toBe("c");
    expect(map.delete(new Meddling(3, 9))).toBe(map);
    expect(map.delete(new Meddling(2, 9)).size).toBe(1);
    const builder = map.toBuilder();
    builder.set(new Meddling(2, 9), "d");
    expect(builder.size).toBe(2);
    expect(builder.delete(new Meddling(7, 9))).toBe(false);
    checkMap(builder.build());
    expect(Meddling.journal.size).toBeGreaterThan(0);
  });
});
