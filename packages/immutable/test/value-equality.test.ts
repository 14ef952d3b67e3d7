import { describe, expect, it } from "vitest";
import {
  hashValue,
  ImmutableError,
  ImmutableList,
  isValueObject,
  valuesEqual,
} from "../src/index.ts";
import { Colliding } from "./support/keys.ts";

describe("valuesEqual and hashValue", () => {
  const inner = [2];
  const equalPairs: [unknown, unknown][] = [
    [1, 1],
    [0, -0],
    [Number.NaN, Number.NaN],
    [0.1 + 0.2, 0.30000000000000004],
    [2 ** 40, 2 ** 40],
    ["text", `te${"xt"}`],
    [10n ** 20n, 10n ** 20n],
    [-(10n ** 20n), -(10n ** 20n)],
    [true, true],
    [null, null],
    [undefined, undefined],
    [Symbol.for("k"), Symbol.for("k")],
    [ImmutableList.of<unknown>(1, inner), ImmutableList.of<unknown>(1).push(inner)],
    [new Colliding(1, 5), new Colliding(1, 5)],
  ];

  it("equal values are equal and hash alike", () => {
    for (const [a, b] of equalPairs) {
      expect(valuesEqual(a, b), `${String(a)} equals ${String(b)}`).toBe(true);
      expect(hashValue(a)).toBe(hashValue(b));
      expect(Number.isInteger(hashValue(a))).toBe(true);
    }
  });

  it("different values are different", () => {
    const pairs: [unknown, unknown][] = [
      [1, "1"],
      [1, 1n],
      [null, undefined],
      [{}, {}],
      [[1], [1]],
      [Symbol("a"), Symbol("a")],
      [new Colliding(1, 5), new Colliding(2, 5)],
      [ImmutableList.of(1), [1]],
    ];
    for (const [a, b] of pairs) expect(valuesEqual(a, b)).toBe(false);
    expect(hashValue(1.5)).not.toBe(hashValue(2.5));
    expect(hashValue(10n)).not.toBe(hashValue(-10n));
  });

  it("long strings hash alike whether built once or many times", () => {
    const long = (n: number) => `${"segment/".repeat(20)}${n}`;
    const first = hashValue(long(1));
    for (let i = 0; i < 5000; i++) hashValue(long(i));
    expect(hashValue(long(1))).toBe(first);
    expect(hashValue(long(1))).not.toBe(hashValue(long(2)));
  });

  it("objects hash by identity, stably", () => {
    const a = {};
    const b = {};
    expect(hashValue(a)).toBe(hashValue(a));
    expect(hashValue(a)).not.toBe(hashValue(b));
    const s = Symbol("local");
    expect(hashValue(s)).toBe(hashValue(s));
  });

  it("isValueObject needs both equals and hashCode", () => {
    expect(isValueObject(new Colliding(1, 1))).toBe(true);
    expect(isValueObject({ equals: () => true })).toBe(false);
    expect(isValueObject(null)).toBe(false);
  });

  it("a fractional hashCode is folded; a NaN one is refused", () => {
    const fractional = { equals: () => false, hashCode: () => 1.5 };
    expect(Number.isInteger(hashValue(fractional))).toBe(true);
    let caught: unknown;
    try {
      hashValue({ equals: () => false, hashCode: () => Number.NaN });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImmutableError);
    expect((caught as ImmutableError).code).toBe("IMMUTABLE_INVALID_HASH");
  });
});
