import { describe, expect, it } from "vitest";
import { AtomicNullable, Nullable } from "../src/index.ts";

const code = (code: string) => expect.objectContaining({ code });

describe("AtomicNullable on one thread", () => {
  it("starts as none or with the initial value, for every kind", () => {
    expect(AtomicNullable.int32().load()).toBe(Nullable.none());
    expect(AtomicNullable.int32(-7).load().value).toBe(-7);
    expect(AtomicNullable.float64(0.1).load().value).toBe(0.1);
    expect(AtomicNullable.bigint64(-(2n ** 63n) + 1n).load().value).toBe(-(2n ** 63n) + 1n);
    expect(AtomicNullable.create("float64", { initial: Nullable.of(2.5) }).load().value).toBe(2.5);
  });

  it("store, clear, exchange", () => {
    const slot = AtomicNullable.float64();
    slot.store(1.5);
    expect(slot.load().value).toBe(1.5);
    expect(slot.exchange(Nullable.of(-2)).value).toBe(1.5);
    expect(slot.exchange(null).value).toBe(-2);
    expect(slot.load()).toBe(Nullable.none());
    slot.store(3);
    slot.clear();
    expect(slot.load().isNone()).toBe(true);
    expect(slot.exchange(4)).toBe(Nullable.none());
  });

  it("keeps every float64 exactly: extremes, -0, infinities, NaN", () => {
    const slot = AtomicNullable.float64();
    for (const value of [
      Number.MIN_VALUE,
      -Number.MAX_VALUE,
      -0,
      0,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      Math.PI,
    ]) {
      slot.store(value);
      expect(Object.is(slot.load().value, value)).toBe(true);
    }
  });

  it("keeps every bigint64 exactly, including both ends of the range", () => {
    const slot = AtomicNullable.bigint64();
    for (const value of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n) + 1n, 0x1234_5678_9abc_def0n]) {
      slot.store(value);
      expect(slot.load().value).toBe(value);
    }
  });

  it("compareAndSet stores only when the expected value is there (none matches none)", () => {
    const slot = AtomicNullable.int32();
    expect(slot.compareAndSet(1, 2)).toBe(false);
    expect(slot.compareAndSet(null, 1)).toBe(true);
    expect(slot.compareAndSet(Nullable.none(), 5)).toBe(false);
    expect(slot.compareAndSet(Nullable.of(1), 2)).toBe(true);
    expect(slot.load().value).toBe(2);
    expect(slot.compareAndSet(2, null)).toBe(true);
    expect(slot.load()).toBe(Nullable.none());
  });

  it("compareAndSet compares float64 by Object.is: NaN matches NaN, 0 does not match -0", () => {
    const slot = AtomicNullable.float64(Number.NaN);
    expect(slot.compareAndSet(0 / 0, 1)).toBe(true);
    slot.store(-0);
    expect(slot.compareAndSet(0, 1)).toBe(false);
    expect(slot.compareAndSet(-0, 1)).toBe(true);
  });

  it("a failed compareAndSet changes nothing", () => {
    const slot = AtomicNullable.int32(1);
    const before = new BigInt64Array(slot.buffer)[0];
    expect(slot.compareAndSet(2, 3)).toBe(false);
    expect(new BigInt64Array(slot.buffer)[0]).toBe(before);
    expect(slot.load().value).toBe(1);
  });

  it("update applies a function and returns what it stored", () => {
    const slot = AtomicNullable.bigint64();
    expect(slot.update((n) => n.map((x) => x + 1n).orElse(Nullable.of(10n))).value).toBe(10n);
    expect(slot.update((n) => n.map((x) => x * 2n)).value).toBe(20n);
    expect(slot.update(() => null)).toBe(Nullable.none());
    const ints = AtomicNullable.int32(0);
    expect(Object.is(ints.update(() => -0).value, 0)).toBe(true); // int32 has no -0
  });

  it("rejects values the kind cannot hold with NULLABLE_ATOMIC_RANGE, leaving the slot as it was", () => {
    const ints = AtomicNullable.int32(5);
    for (const bad of [
      1.5,
      2 ** 31,
      -(2 ** 31) - 1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1n,
      "1",
    ]) {
      expect(() => ints.store(bad as number)).toThrow(code("NULLABLE_ATOMIC_RANGE"));
    }
    expect(() => ints.store(1.5)).toThrow(/float64 or bigint64/);
    expect(() => ints.compareAndSet(5, 0.5)).toThrow(code("NULLABLE_ATOMIC_RANGE"));
    expect(ints.load().value).toBe(5);
    ints.store(2 ** 31 - 1);
    ints.store(-(2 ** 31));
    const bigs = AtomicNullable.bigint64();
    expect(() => bigs.store(2n ** 63n)).toThrow(code("NULLABLE_ATOMIC_RANGE"));
    expect(() => bigs.store(-(2n ** 63n))).toThrow(/reserved for none/);
    expect(() => bigs.store(1 as unknown as bigint)).toThrow(code("NULLABLE_ATOMIC_RANGE"));
    expect(() => AtomicNullable.float64().store("x" as unknown as number)).toThrow(
      code("NULLABLE_ATOMIC_RANGE"),
    );
    expect(() => AtomicNullable.int32(0.5)).toThrow(code("NULLABLE_ATOMIC_RANGE"));
  });
});

describe("buffers, offsets and attaching", () => {
  it("attaches to the same memory from the buffer and checks the kind", () => {
    const slot = AtomicNullable.float64(1);
    const other = AtomicNullable.attach(slot.buffer, "float64");
    other.store(2);
    expect(slot.load().value).toBe(2);
    expect(() => AtomicNullable.attach(slot.buffer, "int32")).toThrow(/holds float64, not int32/);
  });

  it("works from a structured clone of the instance (buffer, kind and byteOffset survive)", () => {
    const slot = AtomicNullable.bigint64(1n);
    const clone = structuredClone(slot);
    const other = AtomicNullable.attach(clone.buffer, "bigint64", clone.byteOffset);
    other.store(9n);
    expect(slot.load().value).toBe(9n);
  });

  it("places several slots in one buffer at offsets", () => {
    const buffer = new SharedArrayBuffer(AtomicNullable.byteLength * 3);
    const a = AtomicNullable.create("int32", { buffer, initial: 1 });
    const b = AtomicNullable.create("float64", {
      buffer,
      byteOffset: AtomicNullable.byteLength,
      initial: 2,
    });
    const c = AtomicNullable.create("bigint64", {
      buffer,
      byteOffset: 2 * AtomicNullable.byteLength,
    });
    c.store(3n);
    expect([a.load().value, b.load().value, c.load().value]).toEqual([1, 2, 3n]);
    expect(AtomicNullable.attach(buffer, "float64", AtomicNullable.byteLength).load().value).toBe(
      2,
    );
    expect(() => AtomicNullable.create("int32", { buffer })).toThrow(/already holds a slot/);
  });

  it("rejects buffers and offsets that cannot hold a slot with NULLABLE_ATOMIC_BUFFER", () => {
    const sab = new SharedArrayBuffer(64);
    expect(() =>
      AtomicNullable.attach(new ArrayBuffer(16) as unknown as SharedArrayBuffer, "int32"),
    ).toThrow(/needs a SharedArrayBuffer/);
    expect(() => AtomicNullable.attach(sab, "int32")).toThrow(/holds no AtomicNullable/);
    expect(() => AtomicNullable.attach(sab, "int32", 4)).toThrow(/multiple of 8/);
    expect(() => AtomicNullable.attach(sab, "int32", 56)).toThrow(/needs 16 bytes/);
    expect(() => AtomicNullable.create("int32", { buffer: sab, byteOffset: -8 })).toThrow(
      code("NULLABLE_ATOMIC_BUFFER"),
    );
    expect(() => AtomicNullable.create("int16" as "int32")).toThrow(
      code("NULLABLE_INVALID_ARGUMENT"),
    );
  });
});

describe("waiting on one thread", () => {
  it("returns at once when the condition already holds", () => {
    const slot = AtomicNullable.int32(3);
    expect(slot.waitFor().value).toBe(3);
    expect(slot.waitFor((n) => n.getOrElse(0) >= 3).value).toBe(3);
  });

  it("times out with NULLABLE_WAIT_TIMEOUT (timeout 0 checks once)", async () => {
    const slot = AtomicNullable.int32();
    expect(() => slot.waitFor(undefined, { timeoutMs: 0 })).toThrow(code("NULLABLE_WAIT_TIMEOUT"));
    await expect(slot.waitForAsync(undefined, { timeoutMs: 0 })).rejects.toThrow(
      code("NULLABLE_WAIT_TIMEOUT"),
    );
    expect(slot.waiting).toBe(0);
  });

  it("rejects a bad timeout with NULLABLE_INVALID_ARGUMENT", () => {
    const slot = AtomicNullable.int32();
    expect(() => slot.waitFor(undefined, { timeoutMs: -1 })).toThrow(
      code("NULLABLE_INVALID_ARGUMENT"),
    );
    expect(() => slot.waitFor(undefined, { timeoutMs: Number.NaN })).toThrow(
      code("NULLABLE_INVALID_ARGUMENT"),
    );
  });

  it("waitForAsync resolves when this thread stores later", async () => {
    const slot = AtomicNullable.float64();
    const waiting = slot.waitForAsync((n) => n.getOrElse(0) > 1);
    slot.store(0.5);
    slot.store(2.5);
    expect((await waiting).value).toBe(2.5);
    expect(slot.waiting).toBe(0);
  });

  it("waitForAsync stops with NULLABLE_WAIT_ABORTED when its signal aborts", async () => {
    const slot = AtomicNullable.int32();
    const controller = new AbortController();
    const waiting = slot.waitForAsync(undefined, { signal: controller.signal });
    controller.abort(new Error("shutting down"));
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toEqual(code("NULLABLE_WAIT_ABORTED"));
    expect((error as Error).cause).toEqual(new Error("shutting down"));
    expect(slot.waiting).toBe(0);
    await expect(slot.waitForAsync(undefined, { signal: controller.signal })).rejects.toThrow(
      code("NULLABLE_WAIT_ABORTED"),
    );
  });
});
