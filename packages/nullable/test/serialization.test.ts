import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Nullable, zNullable } from "../src/index.ts";

const none = Nullable.none();

describe("toJSON and fromJSON", () => {
  it("writes the value or null, inside any structure", () => {
    const row = {
      id: 1,
      bio: Nullable.none<string>(),
      age: Nullable.of(41),
      tags: [Nullable.of("a"), none],
    };
    expect(JSON.stringify(row)).toBe('{"id":1,"bio":null,"age":41,"tags":["a",null]}');
    expect(JSON.stringify(Nullable.of({ nested: Nullable.of(true) }))).toBe('{"nested":true}');
  });

  it("writes a Date (or anything with toJSON) exactly as JSON.stringify writes the bare value", () => {
    const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(JSON.stringify({ at: Nullable.of(at) })).toBe(JSON.stringify({ at }));
    expect(Nullable.of(at).toJSON()).toBe(at.toISOString());
    const money = { toJSON: (key: string) => `money under ${key}` };
    expect(JSON.stringify({ price: Nullable.of(money) })).toBe('{"price":"money under price"}');
  });

  it("throws for a bigint just as JSON.stringify does for the bare bigint", () => {
    expect(() => JSON.stringify(Nullable.of(1n))).toThrow(TypeError);
    expect(() => JSON.stringify(1n)).toThrow(TypeError);
  });

  it("round-trips through JSON text with fromJSON, decoding when needed", () => {
    const at = new Date(Date.UTC(2024, 0, 2));
    const text = JSON.stringify({
      name: Nullable.of("Ada"),
      bio: none,
      at: Nullable.of(at),
      gone: none,
    });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Nullable.fromJSON(parsed.name as string | null).equals(Nullable.of("Ada"))).toBe(true);
    expect(Nullable.fromJSON(parsed.bio)).toBe(Nullable.none());
    expect(Nullable.fromJSON(parsed.missing)).toBe(Nullable.none());
    const revivedAt = Nullable.fromJSON(parsed.at, (v) => new Date(String(v)));
    expect(revivedAt.equals(Nullable.of(at))).toBe(true);
    expect(Nullable.fromJSON(parsed.gone, () => new Date())).toBe(Nullable.none());
  });

  it("keeps falsy values through the round trip", () => {
    for (const value of [0, "", false]) {
      const back = Nullable.fromJSON(JSON.parse(JSON.stringify(Nullable.of(value))));
      expect(back.value).toBe(value);
    }
  });
});

describe("structuredClone and revive", () => {
  it("a clone is a plain { value } object; revive restores the Nullable", () => {
    const clone = structuredClone(Nullable.of(5)) as unknown;
    expect(Nullable.isNullable(clone)).toBe(false);
    expect(clone).toEqual({ value: 5 });
    const back = Nullable.revive<number>(clone);
    expect(back.equals(Nullable.of(5))).toBe(true);
    expect(Object.isFrozen(back)).toBe(true);
  });

  it("none survives as the shared none", () => {
    const clone = structuredClone(Nullable.none());
    expect(Nullable.revive(clone)).toBe(Nullable.none());
  });

  it("keeps Dates, bigints, Maps and falsy values inside", () => {
    const values = [new Date(7), 2n ** 70n, new Map([["k", 1]]), 0, "", false, Number.NaN];
    for (const value of values) {
      const back = Nullable.revive(structuredClone(Nullable.of(value)));
      expect(back.value).toEqual(value);
    }
  });

  it("revives nested Nullables level by level", () => {
    const clone = structuredClone(Nullable.of(Nullable.of(1)));
    const back = Nullable.revive(clone, (inner) => Nullable.revive<number>(inner));
    expect(back.flatten().value).toBe(1);
  });

  it("passes a live Nullable through and rejects anything else with NULLABLE_NOT_REVIVABLE", () => {
    const one = Nullable.of(1);
    expect(Nullable.revive(one)).toBe(one);
    for (const bad of [null, 1, "x", {}, { value: 1, extra: 2 }, [1], new Map()]) {
      expect(() => Nullable.revive(bad)).toThrow(
        expect.objectContaining({ code: "NULLABLE_NOT_REVIVABLE" }),
      );
    }
    expect(() => Nullable.revive({ other: 1 })).toThrow(/only key is "value"/);
  });

  it("round-trips through a real worker thread (postMessage both ways)", async () => {
    const worker = new Worker(new URL("./fixtures/echo-worker.ts", import.meta.url));
    try {
      const orders = [
        {
          id: 1,
          shippedAt: Nullable.of(new Date(Date.UTC(2023, 5, 1))),
          note: Nullable.of("fragile"),
        },
        { id: 2, shippedAt: Nullable.none<Date>(), note: Nullable.none<string>() },
      ];
      const reply = new Promise<unknown[]>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      worker.postMessage(orders);
      const results = (await reply).map((r) => {
        const { id, arrivedInWorkerAsNullable, shippedYear, note } = r as Record<string, unknown>;
        return {
          id,
          arrivedInWorkerAsNullable,
          shippedYear: Nullable.revive<number>(shippedYear).getOrNull(),
          note: Nullable.revive<string>(note).getOrNull(),
        };
      });
      expect(results).toEqual([
        { id: 1, arrivedInWorkerAsNullable: true, shippedYear: 2023, note: "FRAGILE" },
        { id: 2, arrivedInWorkerAsNullable: true, shippedYear: null, note: null },
      ]);
    } finally {
      await worker.terminate();
    }
  });
});

describe("zNullable", () => {
  const User = z.object({
    name: z.string(),
    bio: zNullable(z.string().max(10)),
    born: zNullable(z.iso.date()),
  });

  it("parses null, undefined and a missing key into none and values into some", () => {
    const user = User.parse({ name: "Ada", bio: null });
    expect(user.bio).toBe(Nullable.none());
    expect(user.born).toBe(Nullable.none());
    const other = User.parse({ name: "Bob", bio: "hi", born: "1990-01-02" });
    expect(other.bio.value).toBe("hi");
    expect(other.born.value).toBe("1990-01-02");
  });

  it("validates the value with the inner schema and reports the path", () => {
    const result = User.safeParse({ name: "Ada", bio: "far too long a biography" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["bio"]);
    expect(User.safeParse({ name: "Ada", bio: 3 }).success).toBe(false);
  });

  it("encodes back to the value or null (and through the inner schema)", () => {
    const user = User.parse({ name: "Ada", bio: "hi" });
    expect(z.encode(User, user)).toEqual({ name: "Ada", bio: "hi", born: null });
    expect(() => z.encode(User, { ...user, bio: Nullable.of("x".repeat(20)) })).toThrow();
  });

  it("refuses to encode something that is not a Nullable, with a clear issue", () => {
    const schema = zNullable(z.number());
    const result = z.safeEncode(schema, 5 as unknown as Nullable<number>);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/expected a Nullable/);
  });

  it("round-trips JSON text: parse, encode, stringify, parse", () => {
    const text = '{"name":"Ada","bio":"hi","born":null}';
    const user = User.parse(JSON.parse(text));
    expect(JSON.stringify(z.encode(User, user))).toBe(text);
    expect(JSON.stringify(user)).toBe(text); // toJSON agrees with the codec
  });

  it("composes with codecs that change the type (a Date from an ISO string)", () => {
    const isoDate = z.codec(z.iso.datetime(), z.date(), {
      decode: (s) => new Date(s),
      encode: (d) => d.toISOString(),
    });
    const Event = z.object({ at: zNullable(isoDate) });
    const event = Event.parse({ at: "2024-01-02T03:04:05.000Z" });
    expect(event.at.value).toBeInstanceOf(Date);
    expect(z.encode(Event, event)).toEqual({ at: "2024-01-02T03:04:05.000Z" });
    expect(z.encode(Event, { at: Nullable.none() })).toEqual({ at: null });
  });
});
