import { describe, expectTypeOf, it } from "vitest";
import { ImmutableList, ImmutableMap, type ListBuilder, type MapBuilder } from "../src/index.ts";

interface Animal {
  name: string;
}
interface Dog extends Animal {
  bark(): void;
}

describe("ListBuilder types", () => {
  it("builder<T>() and toBuilder() keep the element type through build()", () => {
    const builder = ImmutableList.builder<number>();
    expectTypeOf(builder).toEqualTypeOf<ListBuilder<number>>();
    expectTypeOf(builder.push(1).set(0, 2).pushAll([3])).toEqualTypeOf<ListBuilder<number>>();
    // @ts-expect-error a string is not a number
    builder.push("x");
    // @ts-expect-error pushAll takes numbers
    builder.pushAll(["x"]);
    expectTypeOf(builder.pop()).toEqualTypeOf<number | undefined>();
    expectTypeOf(builder.get(0)).toEqualTypeOf<number | undefined>();
    expectTypeOf(builder.build()).toEqualTypeOf<ImmutableList<number>>();
    expectTypeOf(ImmutableList.of("a").toBuilder()).toEqualTypeOf<ListBuilder<string>>();
    expectTypeOf(builder.sealed).toEqualTypeOf<boolean>();
  });

  it("lists cannot be constructed directly", () => {
    // @ts-expect-error the constructor is private
    new ImmutableList<number>();
  });
});

describe("MapBuilder types", () => {
  it("builder<K, V>() keeps key and value types through build()", () => {
    const builder = ImmutableMap.builder<string, number>();
    expectTypeOf(builder).toEqualTypeOf<MapBuilder<string, number>>();
    expectTypeOf(builder.set("a", 1).setAll([["b", 2]])).toEqualTypeOf<
      MapBuilder<string, number>
    >();
    // @ts-expect-error values are numbers
    builder.set("a", "b");
    // @ts-expect-error keys are strings
    builder.set(1, 1);
    expectTypeOf(builder.delete("a")).toEqualTypeOf<boolean>();
    expectTypeOf(builder.get("a", null)).toEqualTypeOf<number | null>();
    expectTypeOf(builder.build()).toEqualTypeOf<ImmutableMap<string, number>>();
    expectTypeOf(ImmutableMap.fromObject({ a: 1 }).toBuilder()).toEqualTypeOf<
      MapBuilder<string, number>
    >();
  });
});

describe("collection inference", () => {
  it("map, filter and find infer their results", () => {
    const list = ImmutableList.of(1, 2, 3);
    expectTypeOf(list.map(String)).toEqualTypeOf<ImmutableList<string>>();
    const mixed = ImmutableList.of<string | number>(1, "a");
    expectTypeOf(mixed.filter((v): v is string => typeof v === "string")).toEqualTypeOf<
      ImmutableList<string>
    >();
    expectTypeOf(mixed.find((v): v is number => typeof v === "number")).toEqualTypeOf<
      number | undefined
    >();
    expectTypeOf(list.reduce((acc, v) => acc + v, "")).toEqualTypeOf<string>();
    expectTypeOf(ImmutableList.from(new Set([1]), (v) => `${v}`)).toEqualTypeOf<
      ImmutableList<string>
    >();
  });

  it("maps infer keys and values", () => {
    const map = ImmutableMap.from([["a", 1] as const]);
    expectTypeOf(map).toEqualTypeOf<ImmutableMap<"a", 1>>();
    const prices = ImmutableMap.fromObject({ tea: 3 });
    expectTypeOf(prices.get("tea")).toEqualTypeOf<number | undefined>();
    expectTypeOf(prices.get("tea", 0)).toEqualTypeOf<number>();
    expectTypeOf(prices.map((v) => v > 2)).toEqualTypeOf<ImmutableMap<string, boolean>>();
    expectTypeOf([...prices]).toEqualTypeOf<[string, number][]>();
  });

  it("lists are covariant, as read-only collections should be", () => {
    const dogs = ImmutableList.of<Dog>();
    const animals: ImmutableList<Animal> = dogs;
    expectTypeOf(animals.get(0)).toEqualTypeOf<Animal | undefined>();
  });
});
