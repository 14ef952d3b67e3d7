import { describe, expect, it } from "vitest";
import { ImmutableMap } from "../src/index.ts";
import { checkMap } from "./support/check-map.ts";
import { Colliding } from "./support/keys.ts";
import { prng } from "./support/prng.ts";

// Every operation is replayed on a native Map keyed by a canonical string (value-object keys
// are rebuilt fresh for each call, so equality by value is exercised); every version is kept
// and compared at the end.

type Key = number | string | Colliding;
type Rng = ReturnType<typeof prng>;
const canonical = (key: Key): string =>
  typeof key === "object" ? `c:${key.id}` : `${typeof key}:${key}`;

function randomKey(rng: Rng, space: number): Key {
  const n = rng.int(space);
  switch (rng.int(4)) {
    case 0:
      return n;
    case 1:
      return `key-${n}`;
    case 2:
      return n * 1.5 + 0.25;
    default:
      // Few distinct hashes: plenty of partial and full collisions.
      return new Colliding(n, n % 97);
  }
}

function same(map: ImmutableMap<Key, number>, model: Map<string, number>): void {
  expect(map.size).toBe(model.size);
  const seen = new Map<string, number>();
  for (const [k, v] of map) seen.set(canonical(k), v);
  expect(seen).toEqual(model);
}

describe("ImmutableMap against a native Map, seeded", () => {
  for (const size of [0, 1, 31, 32, 33, 1023, 1024, 1025, 32767, 32768, 32769]) {
    it(`random operations from ${size} entries keep every version intact`, () => {
      const rng = prng(size * 31 + 3);
      const space = Math.max(64, size * 2);
      const builder = ImmutableMap.builder<Key, number>();
      const model = new Map<string, number>();
      while (model.size < size) {
        const key = randomKey(rng, space);
        builder.set(key, model.size);
        model.set(canonical(key), model.size);
      }
      let map = builder.build();
      checkMap(map);
      same(map, model);
      // Snapshots of the model are taken every few steps; the versions in between are checked
      // against the model as it was when they were made.
      const every = size > 30000 ? 60 : 10;
      const history: [ImmutableMap<Key, number>, Map<string, number>][] = [[map, new Map(model)]];
      for (let s = 1; s <= 300; s++) {
        const key = randomKey(rng, space);
        const op = rng.int(6);
        if (op <= 2) {
          map = map.set(key, s);
          model.set(canonical(key), s);
        } else if (op <= 4) {
          map = map.delete(key);
          model.delete(canonical(key));
        } else {
          const edit = map.toBuilder();
          for (let k = rng.int(40); k > 0; k--) {
            const kk = randomKey(rng, space);
            if (rng.int(2) === 0) {
              edit.set(kk, -k);
              model.set(canonical(kk), -k);
            } else {
              expect(edit.delete(kk)).toBe(model.delete(canonical(kk)));
            }
            expect(edit.size).toBe(model.size);
          }
          map = edit.build();
        }
        expect(map.size).toBe(model.size);
        expect(map.get(key)).toBe(model.get(canonical(key)));
        expect(map.has(key)).toBe(model.has(canonical(key)));
        if (s % every === 0) {
          checkMap(map);
          history.push([map, new Map(model)]);
        }
      }
      for (const [version, snapshot] of history) same(version, snapshot);
    });
  }
});
