import { describe, expect, it } from "vitest";
import { ImmutableError, ImmutableList, type ListBuilder } from "../src/index.ts";
import type { VNode } from "../src/internal/vector/node.ts";
import { partsOfList } from "../src/list/immutable-list.ts";
import { checkList } from "./support/check-list.ts";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function leavesOf(list: ImmutableList<unknown>): unknown[][] {
  const { root, shift } = partsOfList(list);
  const out: unknown[][] = [];
  const walk = (node: VNode, s: number) => {
    for (const child of node.array) {
      if (s === 5) out.push(child as unknown[]);
      else walk(child as VNode, s - 5);
    }
  };
  walk(root, shift);
  return out;
}

describe("ListBuilder", () => {
  it("builds a list from pushes", () => {
    const builder = ImmutableList.builder<number>();
    for (let i = 0; i < 5000; i++) builder.push(i);
    expect(builder.size).toBe(5000);
    expect(builder.get(4999)).toBe(4999);
    expect(builder.get(-1)).toBe(4999);
    expect(builder.get(5000)).toBeUndefined();
    const list = builder.build();
    checkList(list);
    expect(list.toArray()).toEqual(range(5000));
  });

  it("set, update, pop and pushAll edit in place", () => {
    const builder = ImmutableList.builder<number>().pushAll(range(100));
    builder
      .set(0, -1)
      .set(-1, -99)
      .update(50, (v) => v * 2);
    expect(builder.pop()).toBe(-99);
    expect(builder.get(0)).toBe(-1);
    const list = builder.build();
    expect(list.toArray()).toEqual([
      -1,
      ...range(99)
        .slice(1)
        .map((v) => (v === 50 ? 100 : v)),
    ]);
    expect(ImmutableList.builder().pop()).toBeUndefined();
  });

  it("toBuilder() never changes the list it came from", () => {
    const original = ImmutableList.from(range(3000));
    const builder = original.toBuilder();
    for (let i = 0; i < 3000; i += 5) builder.set(i, -i);
    for (let i = 0; i < 100; i++) builder.pop();
    for (let i = 0; i < 500; i++) builder.push(i);
    const edited = builder.build();
    expect(original.toArray()).toEqual(range(3000));
    checkList(original);
    checkList(edited);
    expect(edited.size).toBe(3400);
    expect(edited.get(5)).toBe(-5);
  });

  it("toBuilder() is O(1) and copies only the leaves it touches", () => {
    const original = ImmutableList.from(range(32 * 64));
    const builder = original.toBuilder();
    builder.set(100, -1).set(101, -2).set(102, -3);
    const edited = builder.build();
    const before = new Set(leavesOf(original));
    const copied = leavesOf(edited).filter((leaf) => !before.has(leaf));
    expect(copied).toHaveLength(1);
    expect(copied[0]!.slice(4, 7)).toEqual([-1, -2, -3]);
  });

  it("a builder sharing a tail with a list does not disturb that list's pushes", () => {
    const list = ImmutableList.of(1, 2, 3);
    const builder = list.toBuilder().push(4);
    const pushed = list.push(5);
    expect(builder.build().toArray()).toEqual([1, 2, 3, 4]);
    expect(pushed.toArray()).toEqual([1, 2, 3, 5]);
    expect(list.toArray()).toEqual([1, 2, 3]);
  });

  it("two builders from one list are independent", () => {
    const list = ImmutableList.from(range(100));
    const a = list.toBuilder().set(10, -1);
    const b = list.toBuilder().set(10, -2);
    expect(a.build().get(10)).toBe(-1);
    expect(b.build().get(10)).toBe(-2);
    expect(list.get(10)).toBe(10);
  });

  it("a built list stays unchanged when it is edited again through toBuilder()", () => {
    const builder = ImmutableList.builder<number>().pushAll(range(2000));
    const first = builder.build();
    const again = first.toBuilder();
    for (let i = 0; i < 2000; i++) again.set(i, -i);
    again.pop();
    const second = again.build();
    expect(first.toArray()).toEqual(range(2000));
    expect(second.get(1999)).toBeUndefined();
    expect(second.get(1998)).toBe(-1998);
  });

  it("build() without changes returns the source list", () => {
    const list = ImmutableList.from(range(50));
    expect(list.toBuilder().build()).toBe(list);
    expect(list.toBuilder().set(3, 3).build()).toBe(list);
    expect(list.toBuilder().set(3, 4).build()).not.toBe(list);
    expect(ImmutableList.builder().build()).toBe(ImmutableList.empty());
  });

  it("build() seals the builder: every later call throws IMMUTABLE_BUILDER_SEALED", () => {
    const builder = ImmutableList.builder<number>().push(1);
    expect(builder.sealed).toBe(false);
    const list = builder.build();
    expect(builder.sealed).toBe(true);
    const calls: [string, (b: ListBuilder<number>) => unknown][] = [
      ["size", (b) => b.size],
      ["get", (b) => b.get(0)],
      ["set", (b) => b.set(0, 2)],
      ["update", (b) => b.update(0, (v) => v)],
      ["push", (b) => b.push(2)],
      ["pushAll", (b) => b.pushAll([2])],
      ["pop", (b) => b.pop()],
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
        `ListBuilder.${method}: this builder was sealed by build(), which handed its contents to an immutable list; call toBuilder() on that list to keep editing`,
      );
    }
    expect(list.toArray()).toEqual([1]);
  });

  it("rejects bad indexes with typed errors", () => {
    const builder = ImmutableList.builder<number>().push(1);
    expect(() => builder.set(1, 0)).toThrow(
      expect.objectContaining({ code: "IMMUTABLE_INDEX_OUT_OF_RANGE" }),
    );
    expect(() => builder.get(0.5)).toThrow(
      expect.objectContaining({ code: "IMMUTABLE_INVALID_ARGUMENT" }),
    );
    expect(() => builder.update(0, null as never)).toThrow(
      expect.objectContaining({ code: "IMMUTABLE_INVALID_ARGUMENT" }),
    );
    expect(builder.build().toArray()).toEqual([1]);
  });
});
