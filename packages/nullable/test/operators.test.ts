import { describe, expect, it } from "vitest";
import {
  and,
  coalesce,
  compare,
  compareTotal,
  ge,
  gt,
  le,
  lt,
  Nullable,
  NullableError,
  not,
  or,
} from "../src/index.ts";

const of = Nullable.of;
const none = <T>() => Nullable.none<T>();

describe("coalesce", () => {
  it("returns the first present value, like a ?? b ?? c", () => {
    expect(coalesce(none<string>(), null, undefined, "guest", "admin").value).toBe("guest");
    expect(coalesce<number>(null, of(2), 3).value).toBe(2);
    expect(coalesce<number>(0, 1).value).toBe(0);
    expect(coalesce<string>("", "x").value).toBe("");
    expect(coalesce(null, undefined, none<number>())).toBe(Nullable.none());
    expect(coalesce()).toBe(Nullable.none());
  });

  it("returns a present Nullable argument itself instead of rewrapping it", () => {
    const two = of(2);
    expect(coalesce(none<number>(), two)).toBe(two);
  });

  it("agrees with ?? on every combination of null, undefined and values", () => {
    const options = [null, undefined, 0, 1];
    for (const a of options) {
      for (const b of options) {
        for (const c of options) {
          expect(coalesce<number>(a, b, c).getOrElse(undefined as never)).toBe(
            a ?? b ?? c ?? undefined,
          );
        }
      }
    }
  });
});

describe("equals", () => {
  it("none equals none; none never equals a value", () => {
    expect(none<number>().equals(none())).toBe(true);
    expect(none<number>().equals(of(0))).toBe(false);
    expect(of(0).equals(none())).toBe(false);
  });

  it("is structural for primitives: NaN equals NaN, 0 equals -0, bigints by value", () => {
    expect(of(Number.NaN).equals(of(Number.NaN))).toBe(true);
    expect(of(0).equals(of(-0))).toBe(true);
    expect(of(10n ** 30n).equals(of(10n ** 30n))).toBe(true);
    expect(of("a").equals(of("a"))).toBe(true);
    expect(of(1).equals(of(2))).toBe(false);
  });

  it("compares Dates by time, invalid Dates equal each other", () => {
    expect(of(new Date(5)).equals(of(new Date(5)))).toBe(true);
    expect(of(new Date(5)).equals(of(new Date(6)))).toBe(false);
    expect(of(new Date(Number.NaN)).equals(of(new Date(Number.NaN)))).toBe(true);
  });

  it("uses an equals method on value objects and nested Nullables, identity otherwise", () => {
    class Money {
      readonly cents: number;
      readonly currency: string;
      constructor(cents: number, currency: string) {
        this.cents = cents;
        this.currency = currency;
      }
      equals(other: unknown): boolean {
        return (
          other instanceof Money && other.cents === this.cents && other.currency === this.currency
        );
      }
    }
    expect(of(new Money(1, "EUR")).equals(of(new Money(1, "EUR")))).toBe(true);
    expect(of(of(1)).equals(of(of(1)))).toBe(true);
    expect(of(of(1)).equals(of(none<number>()))).toBe(false);
    const obj = { a: 1 };
    expect(of(obj).equals(of(obj))).toBe(true);
    expect(of<{ a: number }>({ a: 1 }).equals(of({ a: 1 }))).toBe(false);
  });

  it("takes a pluggable equivalence", () => {
    const byId = (a: { id: number }, b: { id: number }) => a.id === b.id;
    expect(of({ id: 1, name: "a" }).equals(of({ id: 1, name: "b" }), byId)).toBe(true);
    const caseless = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    expect(of("ABC").equals(of("abc"), caseless)).toBe(true);
    expect(none<string>().equals(none(), () => false)).toBe(true);
  });
});

describe("ordering, SQL-like", () => {
  it("compare gives -1, 0 or 1 for values and none (unknown) when either is none", () => {
    expect(compare(of(1), of(2)).value).toBe(-1);
    expect(compare(of(2), of(2)).value).toBe(0);
    expect(compare(of("b"), of("a")).value).toBe(1);
    expect(compare(of(1), none())).toBe(Nullable.none());
    expect(compare(none<number>(), none())).toBe(Nullable.none());
  });

  it("lt, le, gt, ge are false whenever either side is none", () => {
    for (const op of [lt, le, gt, ge]) {
      expect(op(none<number>(), of(1))).toBe(false);
      expect(op(of(1), none<number>())).toBe(false);
      expect(op(none<number>(), none<number>())).toBe(false);
    }
    // Unknown is not true, so neither a < b nor a >= b holds: the SQL rule.
    expect(lt(none<number>(), of(1)) || ge(none<number>(), of(1))).toBe(false);
  });

  it("lt, le, gt, ge agree with <, <=, >, >= on present numbers", () => {
    const xs = [-1, 0, 1, 2.5];
    for (const a of xs) {
      for (const b of xs) {
        expect([lt(of(a), of(b)), le(of(a), of(b)), gt(of(a), of(b)), ge(of(a), of(b))]).toEqual([
          a < b,
          a <= b,
          a > b,
          a >= b,
        ]);
      }
    }
  });

  it("orders bigints (mixed with numbers too), strings by code unit, booleans and Dates", () => {
    expect(lt(of(2n ** 64n), of(2n ** 64n + 1n))).toBe(true);
    expect(lt<number | bigint>(of(1), of(2n))).toBe(true);
    expect(lt(of("Z"), of("a"))).toBe(true);
    expect(lt(of(false), of(true))).toBe(true);
    expect(gt(of(new Date(2)), of(new Date(1)))).toBe(true);
    expect(compare(of(0), of(-0)).value).toBe(0);
  });

  it("treats NaN as greater than every number and equal to itself (PostgreSQL's rule)", () => {
    expect(gt(of(Number.NaN), of(Number.POSITIVE_INFINITY))).toBe(true);
    expect(compare(of(Number.NaN), of(Number.NaN)).value).toBe(0);
    expect(lt(of(new Date(0)), of(new Date(Number.NaN)))).toBe(true);
  });

  it("takes a comparer and normalises its result", () => {
    const byLength = (a: string, b: string) => (a.length - b.length) * 10;
    expect(compare(of("aaa"), of("b"), byLength).value).toBe(1);
    expect(lt(of({ n: 1 }), of({ n: 2 }), (a, b) => a.n - b.n)).toBe(true);
  });

  it("rejects values without a natural order and comparers that return junk", () => {
    const error = (() => {
      try {
        compare(of({ n: 1 }) as never, of({ n: 2 }) as never);
      } catch (e) {
        return e as NullableError;
      }
    })();
    expect(error).toBeInstanceOf(NullableError);
    expect(error?.code).toBe("NULLABLE_NOT_COMPARABLE");
    expect(error?.message).toContain("comparer");
    expect(() => lt(of("1") as never, of(1) as never)).toThrow(/cannot order "1" and 1/);
    expect(() => compare(of(1), of(2), () => Number.NaN)).toThrow(
      expect.objectContaining({ code: "NULLABLE_INVALID_ARGUMENT" }),
    );
  });
});

describe("ordering, total (for sorting)", () => {
  const list = () => [of(3), none<number>(), of(1), none<number>(), of(2)];

  it("sorts none last by default, like PostgreSQL's ascending NULLS LAST", () => {
    expect(
      list()
        .sort(compareTotal)
        .map((n) => n.getOrNull()),
    ).toEqual([1, 2, 3, null, null]);
  });

  it("sorts none first on request", () => {
    const sorted = list().sort((a, b) => compareTotal(a, b, { none: "first" }));
    expect(sorted.map((n) => n.getOrNull())).toEqual([null, null, 1, 2, 3]);
  });

  it("is a total order: antisymmetric, transitive, none equals none", () => {
    const items = [of(Number.NaN), of(-1), of(0), none<number>(), of(Number.POSITIVE_INFINITY)];
    for (const a of items) {
      for (const b of items) {
        expect(compareTotal(a, b)).toBe(-compareTotal(b, a) || 0);
        for (const c of items) {
          if (compareTotal(a, b) <= 0 && compareTotal(b, c) <= 0)
            expect(compareTotal(a, c)).toBeLessThanOrEqual(0);
        }
      }
    }
    expect(compareTotal(none<number>(), none<number>())).toBe(0);
  });

  it("takes a comparer for values", () => {
    const people = [of({ age: 40 }), none<{ age: number }>(), of({ age: 20 })];
    const sorted = people.sort((a, b) => compareTotal(a, b, { compare: (x, y) => x.age - y.age }));
    expect(sorted.map((p) => p.map((x) => x.age).getOrNull())).toEqual([20, 40, null]);
  });
});

describe("three-valued logic (Kleene)", () => {
  const T = of(true);
  const F = of(false);
  const U = none<boolean>();
  const show = (n: Nullable<boolean>) => n.match({ some: (b) => (b ? "T" : "F"), none: () => "U" });

  it("not", () => {
    expect([T, F, U].map((x) => show(not(x)))).toEqual(["F", "T", "U"]);
  });

  it("and: the full truth table", () => {
    const table = [T, F, U].map((a) => [T, F, U].map((b) => show(and(a, b))).join(""));
    expect(table).toEqual(["TFU", "FFF", "UFU"]);
  });

  it("or: the full truth table", () => {
    const table = [T, F, U].map((a) => [T, F, U].map((b) => show(or(a, b))).join(""));
    expect(table).toEqual(["TTT", "TFU", "TUU"]);
  });

  it("variadic forms, identities and De Morgan's laws", () => {
    expect(show(and())).toBe("T");
    expect(show(or())).toBe("F");
    expect(show(and(T, T, U))).toBe("U");
    expect(show(and(T, U, F))).toBe("F");
    expect(show(or(F, U, T))).toBe("T");
    for (const a of [T, F, U]) {
      for (const b of [T, F, U]) {
        expect(show(not(and(a, b)))).toBe(show(or(not(a), not(b))));
        expect(show(not(or(a, b)))).toBe(show(and(not(a), not(b))));
      }
    }
  });

  it("composes with compare for a three-valued WHERE clause", () => {
    // price < 10 AND NOT (stock = 0), with unknown price or stock
    const where = (price: Nullable<number>, stock: Nullable<number>) =>
      and(
        compare(price, of(10)).map((c) => c < 0),
        not(compare(stock, of(0)).map((c) => c === 0)),
      );
    expect(show(where(of(5), of(3)))).toBe("T");
    expect(show(where(of(50), none()))).toBe("F");
    expect(show(where(of(5), none()))).toBe("U");
  });
});
