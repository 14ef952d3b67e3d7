import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { freezeDeep, ImmutableError, ImmutableList, ImmutableMap } from "../src/index.ts";

function errorOf(fn: () => unknown): ImmutableError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImmutableError);
    return error as ImmutableError;
  }
  throw new Error("expected an ImmutableError, nothing was thrown");
}

/** Every object reachable through own data properties, elements, Map and Set contents. */
function reachable(root: unknown): object[] {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== "object" || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const entry of v) entry.forEach(visit);
    if (v instanceof Set) for (const x of v) visit(x);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && "value" in d) visit(d.value);
    }
  };
  visit(root);
  return [...seen];
}

describe("freezeDeep on plain data", () => {
  it("freezes every object and array at every depth and returns the same reference", () => {
    const row = {
      id: 1,
      name: "ada",
      tags: ["a", ["nested"]],
      profile: { links: [{ url: "https://x.example" }], settings: { theme: "dark" } },
      nothing: null,
    };
    const frozen = freezeDeep(row);
    expect(frozen).toBe(row);
    for (const o of reachable(row)) expect(Object.isFrozen(o)).toBe(true);
    expect(() => {
      (row.profile.settings as { theme: string }).theme = "light";
    }).toThrow(TypeError);
    expect(() => (row.tags as string[]).push("b")).toThrow(TypeError);
    expect(row.profile.settings.theme).toBe("dark");
  });

  it("returns primitives, null and functions as they are", () => {
    expect(freezeDeep(1)).toBe(1);
    expect(freezeDeep("s")).toBe("s");
    expect(freezeDeep(null)).toBeNull();
    expect(freezeDeep(undefined)).toBeUndefined();
    const fn = () => 1;
    expect(freezeDeep(fn)).toBe(fn);
    expect(Object.isFrozen(fn)).toBe(false);
  });

  it("handles cycles and shared references", () => {
    const shared = { n: 1 };
    const a: Record<string, unknown> = { shared };
    const b = { a, shared, list: [] as unknown[] };
    a.b = b;
    a.self = a;
    b.list.push(b.list, a);
    freezeDeep(a);
    for (const o of reachable(a)) expect(Object.isFrozen(o)).toBe(true);
  });

  it("freezes the children of objects someone froze only shallowly", () => {
    const inner = { deep: { value: 1 } };
    const outer = Object.freeze({ inner });
    freezeDeep({ outer, again: outer });
    expect(Object.isFrozen(inner)).toBe(true);
    expect(Object.isFrozen(inner.deep)).toBe(true);
  });

  it("reaches symbol-keyed, non-enumerable and null-prototype properties", () => {
    const key = Symbol("hidden");
    const target = Object.create(null) as Record<string | symbol, unknown>;
    target.plain = { a: 1 };
    target[key] = { b: 2 };
    Object.defineProperty(target, "secret", { value: { c: 3 }, enumerable: false });
    freezeDeep(target);
    expect(Object.isFrozen(target.plain)).toBe(true);
    expect(Object.isFrozen(target[key])).toBe(true);
    expect(Object.isFrozen(target.secret)).toBe(true);
  });

  it("freezes class instances but never their prototypes", () => {
    class Account {
      balance = 10;
      readonly history = [{ amount: 10 }];
      deposit(amount: number) {
        this.balance += amount;
      }
    }
    const account = freezeDeep(new Account());
    expect(Object.isFrozen(account.history[0])).toBe(true);
    expect(Object.isFrozen(Account.prototype)).toBe(false);
    expect(() => (account as Account).deposit(5)).toThrow(TypeError);
    expect(account.balance).toBe(10);
  });

  it("survives a 100,000-deep linked list (no recursion)", () => {
    let head: { next: unknown } = { next: null };
    for (let i = 0; i < 100_000; i++) head = { next: head };
    expect(() => freezeDeep(head)).not.toThrow();
    let at: unknown = head;
    let frozen = 0;
    while (at !== null) {
      if (Object.isFrozen(at)) frozen++;
      at = (at as { next: unknown }).next;
    }
    expect(frozen).toBe(100_001);
  });

  it("freezing again is harmless", () => {
    const value = { a: [1] };
    expect(freezeDeep(freezeDeep(value))).toBe(value);
  });

  it("rejects an unknown typedArrays option", () => {
    const error = errorOf(() => freezeDeep({}, { typedArrays: "copy" as never }));
    expect(error.code).toBe("IMMUTABLE_INVALID_ARGUMENT");
    expect(error.message).toBe('freezeDeep: typedArrays must be "throw" or "allow", got "copy"');
  });
});

describe("freezeDeep on Dates, Maps and Sets", () => {
  it("makes Dates read-only: getters work, setters throw IMMUTABLE_FROZEN", () => {
    const date = new Date(Date.UTC(2024, 0, 2));
    const frozen = freezeDeep({ at: date }).at;
    expect(frozen).toBe(date);
    expect(frozen).toBeInstanceOf(Date);
    expect(frozen.getUTCDate()).toBe(2);
    expect(frozen.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(JSON.stringify({ frozen })).toBe('{"frozen":"2024-01-02T00:00:00.000Z"}');
    expect(structuredClone(frozen).getTime()).toBe(date.getTime());
    expect(inspect(frozen)).toBe("2024-01-02T00:00:00.000Z");
    for (const setter of [
      "setTime",
      "setFullYear",
      "setUTCHours",
      "setMonth",
      "setMilliseconds",
    ] as const) {
      const error = errorOf(() => (date[setter] as (n: number) => number)(0));
      expect(error.code).toBe("IMMUTABLE_FROZEN");
      expect(error.message).toBe(
        `Date.prototype.${setter}: this Date belongs to a frozen snapshot (freezeDeep), so it cannot change; copy it (new Date(value)) to get a mutable one`,
      );
    }
    expect(date.getTime()).toBe(Date.UTC(2024, 0, 2));
    expect(new Date(date).setTime(5)).toBe(5);
  });

  it("makes Maps read-only and freezes their keys and values", () => {
    const key = { id: 1 };
    const map = new Map<object, { n: number }>([[key, { n: 1 }]]);
    freezeDeep({ map });
    expect(map).toBeInstanceOf(Map);
    expect(map.get(key)).toEqual({ n: 1 });
    expect(map.size).toBe(1);
    expect([...map.keys()]).toEqual([key]);
    expect(Object.isFrozen(key)).toBe(true);
    expect(Object.isFrozen(map.get(key))).toBe(true);
    for (const call of [
      () => map.set({ id: 2 }, { n: 2 }),
      () => map.delete(key),
      () => map.clear(),
    ]) {
      expect(errorOf(call).code).toBe("IMMUTABLE_FROZEN");
    }
    expect(map.size).toBe(1);
    expect(inspect(map)).toBe("Map(1) { { id: 1 } => { n: 1 } }");
    expect(new Map(map).set(1 as never, { n: 0 }).size).toBe(2);
  });

  it("makes Sets read-only and freezes their values", () => {
    const item = { x: 1 };
    const set = freezeDeep(new Set([item]));
    expect(set.has(item)).toBe(true);
    expect(Object.isFrozen(item)).toBe(true);
    for (const call of [
      () => (set as Set<object>).add({}),
      () => (set as Set<object>).delete(item),
      () => (set as Set<object>).clear(),
    ]) {
      expect(errorOf(call).code).toBe("IMMUTABLE_FROZEN");
    }
    expect(set.size).toBe(1);
  });

  it("keeps the methods of Map subclasses", () => {
    class Registry extends Map<string, number> {
      total(): number {
        return [...this.values()].reduce((a, b) => a + b, 0);
      }
    }
    const registry = new Registry([
      ["a", 1],
      ["b", 2],
    ]);
    freezeDeep(registry);
    expect(registry).toBeInstanceOf(Registry);
    expect(registry.total()).toBe(3);
    expect(errorOf(() => registry.set("c", 3)).code).toBe("IMMUTABLE_FROZEN");
  });

  it("makes WeakMaps and WeakSets read-only", () => {
    const key = {};
    const weakMap = new WeakMap([[key, 1]]);
    const weakSet = new WeakSet([key]);
    freezeDeep({ weakMap, weakSet });
    expect(weakMap.get(key)).toBe(1);
    expect(weakSet.has(key)).toBe(true);
    expect(errorOf(() => weakMap.set({}, 2)).code).toBe("IMMUTABLE_FROZEN");
    expect(errorOf(() => weakMap.delete(key)).code).toBe("IMMUTABLE_FROZEN");
    expect(errorOf(() => weakSet.add({})).code).toBe("IMMUTABLE_FROZEN");
  });

  it("refuses a Map someone froze with Object.freeze: it would still change", () => {
    const map = Object.freeze(new Map([["a", 1]]));
    const error = errorOf(() => freezeDeep({ settings: { map } }));
    expect(error.code).toBe("IMMUTABLE_UNFREEZABLE");
    expect(error.message).toContain(
      "freezeDeep: $.settings.map is a Map frozen with Object.freeze",
    );
  });

  it("freezes the contents of ImmutableList and ImmutableMap, which keep working", () => {
    const element = { a: 1 };
    const value = { b: 2 };
    const list = ImmutableList.of(element);
    const map = ImmutableMap.from([["k", value]]);
    freezeDeep({ list, map });
    expect(Object.isFrozen(element)).toBe(true);
    expect(Object.isFrozen(value)).toBe(true);
    expect(list.push({ a: 2 }).size).toBe(2);
    expect(list.hashCode()).toBe(ImmutableList.of(element).hashCode());
    expect(map.set("j", { b: 3 }).size).toBe(2);
  });
});

describe("freezeDeep on binary data", () => {
  it("refuses non-empty typed arrays with IMMUTABLE_UNFREEZABLE and their path", () => {
    const rows = [{ id: 1 }, { id: 2, avatar: new Uint8Array([1, 2, 3]) }];
    const error = errorOf(() => freezeDeep({ rows }));
    expect(error.code).toBe("IMMUTABLE_UNFREEZABLE");
    expect(error.message).toBe(
      'freezeDeep: $.rows[1].avatar is a Uint8Array of 3 bytes: JavaScript cannot freeze the contents of typed arrays, DataViews or ArrayBuffers. Convert it (Array.from, a string) before freezing, or pass { typedArrays: "allow" } to leave it mutable inside the snapshot.',
    );
    expect(rows[1]!.avatar![0]).toBe(1);
  });

  it("refuses Buffers, DataViews and ArrayBuffers the same way", () => {
    for (const bytes of [Buffer.from("hi"), new DataView(new ArrayBuffer(4)), new ArrayBuffer(2)]) {
      const error = errorOf(() => freezeDeep({ bytes }));
      expect(error.code).toBe("IMMUTABLE_UNFREEZABLE");
      expect(error.message).toContain("$.bytes is a");
    }
  });

  it("freezes empty typed arrays, which engines can freeze", () => {
    const empty = new Float64Array(0);
    freezeDeep({ empty });
    expect(Object.isFrozen(empty)).toBe(true);
  });

  it('with { typedArrays: "allow" } leaves binary data mutable and freezes the rest', () => {
    const bytes = new Uint8Array([1]);
    const row = { bytes, meta: { a: 1 } };
    freezeDeep(row, { typedArrays: "allow" });
    expect(Object.isFrozen(row)).toBe(true);
    expect(Object.isFrozen(row.meta)).toBe(true);
    bytes[0] = 9;
    expect(bytes[0]).toBe(9);
    // A graph frozen leniently is not a strict snapshot: the strict call still refuses it.
    expect(errorOf(() => freezeDeep(row)).code).toBe("IMMUTABLE_UNFREEZABLE");
  });
});
