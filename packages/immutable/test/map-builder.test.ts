import { describe, expect, it } from "vitest";
import { ImmutableError, ImmutableMap, type MapBuilder } from "../src/index.ts";
import { checkMap } from "./support/check-map.ts";

const entries = (n: number): [string, number][] =>
  Array.from({ length: n }, (_, i): [string, number] => [`k${i}`, i]);

describe("MapBuilder", () => {
  it("builds a map from sets and deletes", () => {
    const builder = ImmutableMap.builder<string, number>();
    for (const [k, v] of entries(5000)) builder.set(k, v);
    for (let i = 0; i < 5000; i += 2) expect(builder.delete(`k${i}`)).toBe(true);
    expect(builder.delete("nope")).toBe(false);
    expect(builder.size).toBe(2500);
    expect(builder.has("k1")).toBe(true);
    expect(builder.get("k0", -1)).toBe(-1);
    builder.update("k1", (v) => (v ?? 0) + 100).setAll([["extra", 1]]);
    const map = builder.build();
    checkMap(map);
    expect(map.size).toBe(2501);
    expect(map.get("k1")).toBe(101);
  });

  it("toBuilder() never changes the map it came from", () => {
    const original = ImmutableMap.from(entries(3000));
    const builder = original.toBuilder();
    for (let i = 0; i < 3000; i += 3) builder.delete(`k${i}`);
    for (let i = 1; i < 3000; i += 3) builder.set(`k${i}`, -i);
    builder.set("new", 1);
    const edited = builder.build();
    checkMap(original);
    checkMap(edited);
    expect(original.size).toBe(3000);
    for (const [k, v] of entries(3000)) expect(original.get(k)).toBe(v);
    expect(edited.size).toBe(2001);
    expect(edited.get("k1")).toBe(-1);
    expect(edited.has("k0")).toBe(false);
  });

  it("two builders from one map are independent, and a built map stays put", () => {
    const map = ImmutableMap.from(entries(100));
    const a = map.toBuilder().set("k1", -1);
    const b = map.toBuilder().set("k1", -2);
    const builtA = a.build();
    expect(b.build().get("k1")).toBe(-2);
    expect(builtA.get("k1")).toBe(-1);
    const again = builtA.toBuilder();
    again.set("k1", 0).delete("k2");
    again.build();
    expect(builtA.get("k1")).toBe(-1);
    expect(builtA.get("k2")).toBe(2);
  });

  it("build() without changes returns the source map", () => {
    const map = ImmutableMap.from(entries(10));
    expect(map.toBuilder().build()).toBe(map);
    expect(map.toBuilder().set("k1", 1).build()).toBe(map);
    expect(map.toBuilder().set("k1", 2).build()).not.toBe(map);
    const deleted = map.toBuilder();
    deleted.delete("absent");
    expect(deleted.build()).toBe(map);
    expect(ImmutableMap.builder().build()).toBe(ImmutableMap.empty());
  });

  it("build() seals the builder: every later call throws IMMUTABLE_BUILDER_SEALED", () => {
    const builder = ImmutableMap.builder<string, number>().set("a", 1);
    const map = builder.build();
    expect(builder.sealed).toBe(true);
    const calls: [string, (b: MapBuilder<string, number>) => unknown][] = [
      ["size", (b) => b.size],
      ["get", (b) => b.get("a")],
      ["has", (b) => b.has("a")],
      ["set", (b) => b.set("b", 2)],
      ["setAll", (b) => b.setAll([])],
      ["delete", (b) => b.delete("a")],
      ["update", (b) => b.update("a", (v) => v ?? 0)],
      ["build", (b) => b.build()],
    ];
    for (const [method, call] of calls) {
      let caught: unknown;
      try {
        call(builder);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ImmutableError);
      expect((caught as ImmutableError).code).toBe("IMMUTABLE_BUILDER_SEALED");
      expect((caught as ImmutableError).message).toBe(
        `MapBuilder.${method}: this builder was sealed by build(), which handed its contents to an immutable map; call toBuilder() on that map to keep editing`,
      );
    }
    expect(map.get("a")).toBe(1);
  });

  it("rejects bad arguments with typed errors and keeps its contents", () => {
    const builder = ImmutableMap.builder<string, number>().set("a", 1);
    expect(() => builder.setAll(3 as never)).toThrow(
      expect.objectContaining({ code: "IMMUTABLE_INVALID_ARGUMENT" }),
    );
    expect(() => builder.setAll([7 as never])).toThrow(
      expect.objectContaining({ code: "IMMUTABLE_INVALID_ARGUMENT" }),
    );
    expect(() => builder.update("a", "x" as never)).toThrow(
      expect.objectContaining({ code: "IMMUTABLE_INVALID_ARGUMENT" }),
    );
    expect(builder.get("a")).toBe(1);
  });
});
