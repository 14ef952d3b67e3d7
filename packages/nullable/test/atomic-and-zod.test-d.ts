import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { AtomicNullable, Nullable, zNullable } from "../src/index.ts";

describe("AtomicNullable types", () => {
  it("types the payload by kind", () => {
    expectTypeOf(AtomicNullable.int32()).toEqualTypeOf<AtomicNullable<number>>();
    expectTypeOf(AtomicNullable.float64(1)).toEqualTypeOf<AtomicNullable<number>>();
    expectTypeOf(AtomicNullable.bigint64(1n)).toEqualTypeOf<AtomicNullable<bigint>>();
    expectTypeOf(AtomicNullable.create("bigint64")).toEqualTypeOf<AtomicNullable<bigint>>();
    expectTypeOf(AtomicNullable.create("float64")).toEqualTypeOf<AtomicNullable<number>>();
    const buffer = new SharedArrayBuffer(16);
    expectTypeOf(AtomicNullable.attach(buffer, "int32")).toEqualTypeOf<AtomicNullable<number>>();
    expectTypeOf(AtomicNullable.attach(buffer, "bigint64")).toEqualTypeOf<AtomicNullable<bigint>>();
  });

  it("reads and writes Nullables of the payload type", () => {
    const slot = AtomicNullable.int32();
    expectTypeOf(slot.load()).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(slot.exchange(null)).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(slot.update((n) => n.map((x) => x + 1))).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(slot.waitFor()).toEqualTypeOf<Nullable<number>>();
    expectTypeOf(slot.waitForAsync()).toEqualTypeOf<Promise<Nullable<number>>>();
    slot.store(Nullable.of(1));
    slot.compareAndSet(1, Nullable.none());
  });

  it("rejects the wrong payload type and unknown kinds", () => {
    const ints = AtomicNullable.int32();
    const bigs = AtomicNullable.bigint64();
    // @ts-expect-error: an int32 slot holds numbers
    ints.store(1n);
    // @ts-expect-error: a bigint64 slot holds bigints
    bigs.store(1);
    // @ts-expect-error: a string is no payload
    ints.compareAndSet(1, "2");
    // @ts-expect-error: no such kind
    AtomicNullable.create("int16");
    // @ts-expect-error: attach needs the kind
    AtomicNullable.attach(new SharedArrayBuffer(16));
  });
});

describe("zNullable types", () => {
  const User = z.object({
    name: z.string(),
    bio: zNullable(z.string()),
    age: zNullable(z.number().int()),
  });

  it("parses into Nullables and encodes back to value | null", () => {
    expectTypeOf<z.output<typeof User>>().toEqualTypeOf<{
      name: string;
      bio: Nullable<string>;
      age: Nullable<number>;
    }>();
    expectTypeOf<z.input<typeof User>["bio"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf(z.encode(User, User.parse({ name: "a" })).bio).toEqualTypeOf<
      string | null | undefined
    >();
  });

  it("keeps a codec's output type", () => {
    const at = zNullable(
      z.codec(z.iso.datetime(), z.date(), {
        decode: (s) => new Date(s),
        encode: (d) => d.toISOString(),
      }),
    );
    expectTypeOf<z.output<typeof at>>().toEqualTypeOf<Nullable<Date>>();
  });
});
