import { describe, expectTypeOf, it } from "vitest";
import {
  and,
  coalesce,
  compare,
  compareTotal,
  lt,
  type None,
  Nullable,
  not,
  type Ordering,
  or,
  type Some,
} from "../src/index.ts";

declare const maybeName: string | null;
declare const maybeAge: number | undefined;
declare const name: Nullable<string>;
declare const age: Nullable<number>;

describe("constructors", () => {
  it("widen literals and drop null and undefined", () => {
    expectTypeOf(Nullable.of(5)).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(Nullable.of("a")).toEqualTypeOf<Nullable<string>>();
    expectTypeOf(Nullable.from(maybeName)).toEqualTypeOf<Nullable<string>>();
    expectTypeOf(Nullable.from(maybeAge)).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(Nullable.none<Date>()).toEqualTypeOf<Nullable<Date>>();
    expectTypeOf(Nullable.fromJSON(maybeName)).toEqualTypeOf<Nullable<string>>();
    expectTypeOf(Nullable.fromJSON({} as unknown, (v) => new Date(String(v)))).toEqualTypeOf<
      Nullable<Date>
    >();
    expectTypeOf(Nullable.revive<number>({ value: 1 })).toEqualTypeOf<Nullable<number>>();
  });

  it("lets a none be used where any Nullable is expected", () => {
    const none: Nullable<string> = Nullable.none();
    let n = Nullable.of(1);
    n = n.map((x) => x + 1);
    n = Nullable.none();
    expectTypeOf(none).toEqualTypeOf<Nullable<string>>();
    expectTypeOf(n).toEqualTypeOf<Nullable<number>>();
  });

  it("rejects null and undefined in of", () => {
    // @ts-expect-error: of needs a present value; use from
    Nullable.of(null);
    // @ts-expect-error: of needs a present value; use from
    Nullable.of(undefined);
    // @ts-expect-error: of needs a present value; use from
    Nullable.of(maybeName);
  });
});

describe("narrowing", () => {
  it("isSome narrows value to T, isNone to undefined", () => {
    expectTypeOf(name.value).toEqualTypeOf<string | undefined>();
    if (name.isSome()) {
      expectTypeOf(name.value).toEqualTypeOf<string>();
      expectTypeOf(name).toMatchTypeOf<Some<string>>();
    }
    if (name.isNone()) {
      expectTypeOf(name.value).toEqualTypeOf<undefined>();
      expectTypeOf(name).toMatchTypeOf<None<string>>();
    }
    if (Nullable.isSome(age)) expectTypeOf(age.value).toEqualTypeOf<number>();
  });

  it("works as a filter callback", () => {
    const list = [name, Nullable.of("b")];
    expectTypeOf(list.filter(Nullable.isSome).map((n) => n.value)).toEqualTypeOf<string[]>();
  });

  it("isNullable narrows unknown", () => {
    const x: unknown = name;
    if (Nullable.isNullable(x)) expectTypeOf(x).toEqualTypeOf<Nullable<unknown>>();
  });

  it("forbids using value as T without narrowing", () => {
    // @ts-expect-error: value is string | undefined until narrowed
    const s: string = name.value;
    // @ts-expect-error: the value is read-only
    name.value = "x";
    void s;
  });
});

describe("map, bind, flatten", () => {
  it("map infers the result and strips null and undefined from it", () => {
    expectTypeOf(age.map((n) => n.toFixed(2))).toEqualTypeOf<Nullable<string>>();
    expectTypeOf(age.map((n) => (n > 0 ? n : null))).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(name.map((s) => new Map<string, Date>().get(s))).toEqualTypeOf<Nullable<Date>>();
    expectTypeOf(age.map((n) => ({ n }))).toEqualTypeOf<Nullable<{ n: number }>>();
  });

  it("bind flattens: Nullable<Nullable<T>> never appears", () => {
    const parse = (s: string) => (s ? Nullable.of(Number(s)) : Nullable.none<number>());
    expectTypeOf(name.bind(parse)).toEqualTypeOf<Nullable<number>>();
    const nested = Nullable.of(Nullable.of(1));
    expectTypeOf(nested).toEqualTypeOf<Nullable<Nullable<number>>>();
    expectTypeOf(nested.bind((inner) => inner)).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(nested.flatten()).toEqualTypeOf<Nullable<number>>();
    // map keeps the nesting that bind removes
    expectTypeOf(name.map(parse)).toEqualTypeOf<Nullable<Nullable<number>>>();
  });

  it("rejects misuse", () => {
    // @ts-expect-error: bind's callback must return a Nullable (use map for plain values)
    name.bind((s) => s.length);
    // @ts-expect-error: flatten needs a Nullable<Nullable<T>>
    name.flatten();
    // @ts-expect-error: the callback gets a string, not a number
    name.map((n: number) => n + 1);
  });
});

describe("match, filter, zip, all, getters", () => {
  it("infers the result types", () => {
    expectTypeOf(age.match({ some: (n) => n * 2, none: () => "none" as const })).toEqualTypeOf<
      number | "none"
    >();
    expectTypeOf(name.getOrElse(0)).toEqualTypeOf<string | number>();
    expectTypeOf(name.getOrNull()).toEqualTypeOf<string | null>();
    expectTypeOf(name.getOrThrow()).toEqualTypeOf<string>();
    expectTypeOf(name.orElse(age)).toEqualTypeOf<Nullable<string | number>>();
    expectTypeOf(name.zip(age)).toEqualTypeOf<Nullable<readonly [string, number]>>();
    expectTypeOf(name.tap(() => {})).toEqualTypeOf<Nullable<string>>();
    expectTypeOf(Nullable.of(new Date()).toJSON()).toEqualTypeOf<string | null>();
    expectTypeOf(age.toJSON()).toEqualTypeOf<number | null>();
  });

  it("filter narrows with a type guard", () => {
    const value = Nullable.of<string | number>(1);
    expectTypeOf(value.filter((v): v is number => typeof v === "number")).toEqualTypeOf<
      Nullable<number>
    >();
    expectTypeOf(value.filter((v) => v !== 0)).toEqualTypeOf<Nullable<string | number>>();
  });

  it("all types tuples, arrays and records", () => {
    expectTypeOf(Nullable.all([name, age])).toEqualTypeOf<Nullable<readonly [string, number]>>();
    const list: Nullable<number>[] = [age];
    expectTypeOf(Nullable.all(list)).toEqualTypeOf<Nullable<readonly number[]>>();
    expectTypeOf(Nullable.all({ name, age })).toEqualTypeOf<
      Nullable<{ readonly name: string; readonly age: number }>
    >();
  });

  it("rejects a match without both cases", () => {
    // @ts-expect-error: none is missing
    age.match({ some: (n) => n });
  });
});

describe("operators", () => {
  it("coalesce infers T from values and Nullables mixed", () => {
    expectTypeOf(coalesce(age, maybeAge, 0)).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(coalesce(name, "guest")).toEqualTypeOf<Nullable<string>>();
  });

  it("equals and ordering need the same value type", () => {
    expectTypeOf(age.equals(Nullable.of(1))).toEqualTypeOf<boolean>();
    expectTypeOf(compare(age, age)).toEqualTypeOf<Nullable<Ordering>>();
    expectTypeOf(lt(name, name)).toEqualTypeOf<boolean>();
    // @ts-expect-error: a Nullable<number> cannot equal a Nullable<string>
    age.equals(name);
    // @ts-expect-error: cannot order a number against a string
    lt(age, name);
  });

  it("ordering values without a natural order needs a comparer", () => {
    const a = Nullable.of({ id: 1 });
    // @ts-expect-error: objects have no default order
    compare(a, a);
    expectTypeOf(compare(a, a, (x, y) => x.id - y.id)).toEqualTypeOf<Nullable<Ordering>>();
    // @ts-expect-error: objects need options.compare
    compareTotal(a, a);
    expectTypeOf(compareTotal(a, a, { compare: (x, y) => x.id - y.id })).toEqualTypeOf<Ordering>();
  });

  it("compareTotal is a sort comparator as is", () => {
    const list = [age, Nullable.none<number>()];
    expectTypeOf(list.sort(compareTotal)).toEqualTypeOf<Nullable<number>[]>();
  });

  it("three-valued logic only takes Nullable<boolean>", () => {
    const flag = Nullable.of(true);
    expectTypeOf(and(flag, not(flag))).toEqualTypeOf<Nullable<boolean>>();
    expectTypeOf(or(flag, Nullable.none())).toEqualTypeOf<Nullable<boolean>>();
    // @ts-expect-error: not a Nullable<boolean>
    not(age);
    // @ts-expect-error: plain booleans must be wrapped
    and(true, flag);
  });
});
