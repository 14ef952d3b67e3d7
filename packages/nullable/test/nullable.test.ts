import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { spawnNode } from "@dext/test-kit";
import { describe, expect, it } from "vitest";
import { Nullable, NullableError } from "../src/index.ts";

const none = Nullable.none<number>();
const expectCode = (fn: () => unknown, code: string): NullableError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NullableError);
    expect((error as NullableError).code).toBe(code);
    return error as NullableError;
  }
  throw new Error(`expected ${code} to be thrown`);
};

describe("constructors", () => {
  it("of wraps a present value, including falsy ones", () => {
    for (const value of [0, -0, "", false, Number.NaN, 0n, [], {}]) {
      const n = Nullable.of(value);
      expect(n.isSome()).toBe(true);
      expect(n.value).toBe(value);
    }
  });

  it("of rejects null and undefined with NULLABLE_NULL_VALUE and points at from", () => {
    const error = expectCode(() => Nullable.of(null as unknown as number), "NULLABLE_NULL_VALUE");
    expect(error.message).toContain("Nullable.from");
    expectCode(() => Nullable.of(undefined as unknown as number), "NULLABLE_NULL_VALUE");
  });

  it("from turns null and undefined into the one shared none", () => {
    expect(Nullable.from(null)).toBe(Nullable.none());
    expect(Nullable.from(undefined)).toBe(Nullable.none());
    expect(Nullable.from(0).value).toBe(0);
    expect(Nullable.none<string>()).toBe(Nullable.none<number>());
  });

  it("instances are frozen, including none", () => {
    const some = Nullable.of({ a: 1 });
    expect(Object.isFrozen(some)).toBe(true);
    expect(Object.isFrozen(Nullable.none())).toBe(true);
    expect(() => {
      (some as { value: unknown }).value = 2;
    }).toThrow(TypeError);
    expect(() => {
      (Nullable.none() as { value: unknown }).value = 1;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(some, "extra", { value: 1 })).toThrow(TypeError);
  });

  it("production runs skip freezing new instances but keep every shared instance frozen", async () => {
    const run = async (nodeEnv: string) => {
      const child = spawnNode(
        fileURLToPath(new URL("./fixtures/report-freezing.ts", import.meta.url)),
        {
          env: { NODE_ENV: nodeEnv },
        },
      );
      const line = await child.waitForLine(/^\{/);
      expect(await child.exited()).toEqual({ code: 0, signal: null });
      return JSON.parse(line) as Record<string, boolean>;
    };
    expect(await run("production")).toEqual({
      some: false,
      mapped: false,
      none: true,
      logic: true,
      ordering: true,
      zipped: false,
      all: false,
    });
    expect(Object.values(await run("development")).every(Boolean)).toBe(true);
  });

  it("isNullable recognises Nullables, also across copies of the package (brand, not instanceof)", () => {
    expect(Nullable.isNullable(Nullable.of(1))).toBe(true);
    expect(Nullable.isNullable(Nullable.none())).toBe(true);
    expect(Nullable.isNullable({ value: 1 })).toBe(false);
    expect(Nullable.isNullable(null)).toBe(false);
    const foreign = Object.freeze(
      Object.assign(Object.create({ [Symbol.for("@dext/nullable")]: true }), { value: 1 }),
    );
    expect(Nullable.isNullable(foreign)).toBe(true);
  });
});

describe("guards", () => {
  it("isSome and isNone, as methods and as functions for filter", () => {
    const list = [Nullable.of(1), none, Nullable.of(3)];
    expect(list.filter(Nullable.isSome).map((n) => n.value)).toEqual([1, 3]);
    expect(list.filter(Nullable.isNone)).toHaveLength(1);
    expect(none.isNone()).toBe(true);
    expect(none.isSome()).toBe(false);
  });
});

describe("map, bind, flatten", () => {
  it("map transforms a value and leaves none alone without calling f", () => {
    expect(Nullable.of(2).map((x) => x * 3).value).toBe(6);
    let calls = 0;
    expect(
      none.map(() => {
        calls++;
        return 1;
      }),
    ).toBe(Nullable.none());
    expect(calls).toBe(0);
  });

  it("map turns a null or undefined result into none", () => {
    const lookup = new Map([["a", 1]]);
    expect(Nullable.of("a").map((k) => lookup.get(k)).value).toBe(1);
    expect(Nullable.of("b").map((k) => lookup.get(k))).toBe(Nullable.none());
    expect(Nullable.of("b").map(() => null)).toBe(Nullable.none());
  });

  it("bind chains steps that return Nullables without nesting", () => {
    const parse = (s: string): Nullable<number> =>
      Number.isNaN(Number(s)) ? Nullable.none() : Nullable.of(Number(s));
    expect(Nullable.of("42").bind(parse).value).toBe(42);
    expect(Nullable.of("x").bind(parse)).toBe(Nullable.none());
    expect(Nullable.none<string>().bind(parse)).toBe(Nullable.none());
  });

  it("bind(identity) and flatten remove one level of nesting", () => {
    const nested = Nullable.of(Nullable.of(1));
    expect(nested.bind((inner) => inner).value).toBe(1);
    expect(nested.flatten().value).toBe(1);
    expect(Nullable.of(Nullable.none<number>()).flatten()).toBe(Nullable.none());
    expect(Nullable.none<Nullable<number>>().flatten()).toBe(Nullable.none());
  });

  it("follows the monad laws", () => {
    const f = (x: number) => (x > 0 ? Nullable.of(x - 1) : Nullable.none<number>());
    const g = (x: number) => Nullable.of(x * 10);
    for (const m of [Nullable.of(0), Nullable.of(5), none]) {
      expect(m.bind(Nullable.of).equals(m)).toBe(true);
      expect(
        m
          .bind(f)
          .bind(g)
          .equals(m.bind((x) => f(x).bind(g))),
      ).toBe(true);
    }
    expect(Nullable.of(5).bind(f).equals(f(5))).toBe(true);
  });
});

describe("match, filter, tap, zip, all", () => {
  it("match calls exactly one case", () => {
    expect(Nullable.of(2).match({ some: (n) => `n=${n}`, none: () => "none" })).toBe("n=2");
    expect(none.match({ some: (n) => `n=${n}`, none: () => "none" })).toBe("none");
  });

  it("filter keeps a value only when the predicate accepts it, and returns the same instance", () => {
    const two = Nullable.of(2);
    expect(two.filter((n) => n > 1)).toBe(two);
    expect(two.filter((n) => n > 2)).toBe(Nullable.none());
    expect(none.filter(() => true)).toBe(Nullable.none());
  });

  it("tap runs only for a value and returns this", () => {
    const seen: number[] = [];
    const two = Nullable.of(2);
    expect(two.tap((n) => seen.push(n))).toBe(two);
    expect(none.tap((n) => seen.push(n))).toBe(none);
    expect(seen).toEqual([2]);
  });

  it("zip pairs two values into a frozen tuple, none if either is none", () => {
    const pair = Nullable.of(1).zip(Nullable.of("a"));
    expect(pair.value).toEqual([1, "a"]);
    expect(Object.isFrozen(pair.value)).toBe(true);
    expect(Nullable.of(1).zip(Nullable.none())).toBe(Nullable.none());
    expect(none.zip(Nullable.of(1))).toBe(Nullable.none());
  });

  it("all combines tuples, iterables and records", () => {
    expect(Nullable.all([Nullable.of(1), Nullable.of("a"), Nullable.of(true)]).value).toEqual([
      1,
      "a",
      true,
    ]);
    expect(Nullable.all([Nullable.of(1), Nullable.none()])).toBe(Nullable.none());
    expect(Nullable.all([]).value).toEqual([]);
    const set = new Set([Nullable.of(1), Nullable.of(2)]);
    expect(Nullable.all(set).value).toEqual([1, 2]);
    const record = Nullable.all({ lat: Nullable.of(52.5), lon: Nullable.of(13.4) });
    expect(record.value).toEqual({ lat: 52.5, lon: 13.4 });
    expect(Object.isFrozen(record.value)).toBe(true);
    expect(Nullable.all({ lat: Nullable.of(52.5), lon: Nullable.none<number>() })).toBe(
      Nullable.none(),
    );
  });
});

describe("getting the value out", () => {
  it("getOrElse, getOrCompute, getOrNull", () => {
    expect(Nullable.of(1).getOrElse(9)).toBe(1);
    expect(none.getOrElse(9)).toBe(9);
    let calls = 0;
    const compute = () => {
      calls++;
      return 9;
    };
    expect(Nullable.of(1).getOrCompute(compute)).toBe(1);
    expect(calls).toBe(0);
    expect(none.getOrCompute(compute)).toBe(9);
    expect(Nullable.of(0).getOrNull()).toBe(0);
    expect(none.getOrNull()).toBeNull();
  });

  it("getOrThrow throws NULLABLE_NONE naming what was missing", () => {
    expect(Nullable.of(1).getOrThrow()).toBe(1);
    const error = expectCode(() => none.getOrThrow("user.email"), "NULLABLE_NONE");
    expect(error.message).toContain("user.email");
    expect(error.message).toContain("getOrElse");
  });

  it("getOrThrowWith throws the caller's error", () => {
    class NotFound extends Error {}
    expect(() => none.getOrThrowWith(() => new NotFound("user 42"))).toThrow(NotFound);
    expect(Nullable.of(1).getOrThrowWith(() => new NotFound())).toBe(1);
  });

  it("orElse takes an alternative Nullable or a lazy one", () => {
    const one = Nullable.of(1);
    expect(one.orElse(Nullable.of(2))).toBe(one);
    expect(none.orElse(Nullable.of(2)).value).toBe(2);
    let calls = 0;
    const lazy = () => {
      calls++;
      return Nullable.of(3);
    };
    expect(one.orElse(lazy)).toBe(one);
    expect(calls).toBe(0);
    expect(none.orElse(lazy).value).toBe(3);
  });

  it("iterates over zero or one value", () => {
    expect([...Nullable.of(1)]).toEqual([1]);
    expect([...none]).toEqual([]);
    expect([...Nullable.of(1), ...none, ...Nullable.of(3)]).toEqual([1, 3]);
  });

  it("renders readably with toString and util.inspect", () => {
    expect(String(Nullable.of("a"))).toBe('Nullable.of("a")');
    expect(String(none)).toBe("Nullable.none");
    expect(inspect(Nullable.of({ a: 1 }))).toBe("Nullable.of({ a: 1 })");
    expect(inspect(none)).toBe("Nullable.none");
    expect(inspect({ x: Nullable.of(2n) })).toBe("{ x: Nullable.of(2n) }");
  });
});
