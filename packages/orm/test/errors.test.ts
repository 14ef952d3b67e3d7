import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  col,
  createDatabase,
  DbContext,
  defineEntity,
  isOrmError,
  type OrmError,
} from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { Post, User } from "./support/model.ts";

class AppDb extends DbContext {}

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(dialects)("driver errors become typed OrmErrors (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect, "errors");
  });
  afterAll(() => t.drop());

  it("unique, foreign-key and not-null violations have their own codes and lose nothing", async () => {
    await using db = new AppDb(t.database);
    db.add(User, { email: "same@x.test", name: "one" });
    await db.saveChanges();

    await using dup = new AppDb(t.database);
    dup.add(User, { email: "same@x.test", name: "two" });
    const unique = await dup.saveChanges().catch((e: unknown) => e);
    expect(unique).toEqual(code("ORM_UNIQUE_VIOLATION"));
    expect((unique as OrmError).cause).toBeDefined();
    expect((unique as OrmError).message).toMatch(/statement: insert into "users"/);
    expect((unique as OrmError).message).not.toContain("same@x.test".replace("@", "\\@"));

    await using orphan = new AppDb(t.database);
    orphan.add(Post, { authorId: 987654, title: "orphan" });
    await expect(orphan.saveChanges()).rejects.toEqual(code("ORM_FOREIGN_KEY_VIOLATION"));

    await using raw = new AppDb(t.database);
    await expect(
      raw.kysely
        .insertInto("users")
        .values({ email: "n@x.test", name: null, version: 1 })
        .execute(),
    ).rejects.toEqual(code("ORM_NOT_NULL_VIOLATION"));
    await expect(raw.kysely.selectFrom("no_such_table").selectAll().execute()).rejects.toEqual(
      code("ORM_QUERY_FAILED"),
    );

    for (const c of [db, dup, orphan, raw]) await c.dispose();
    // Nothing half-written, nothing leaked.
    {
      await using check = new AppDb(t.database);
      expect(await check.from(User).count()).toBe(1);
    }
    expect(t.database.stats().inUse).toBe(0);
  });

  it("createDatabase rejects bad options with one ORM_INVALID_CONFIG listing them", () => {
    const error = (() => {
      try {
        createDatabase({ dialect, filename: 1, url: 2, max: -1, readers: 0 } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(isOrmError(error, "ORM_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toMatch(/invalid (sqlite|postgres) options/);
  });
});

describe("entity declarations are checked once, at definition", () => {
  it("rejects two primary keys, a missing key, nullable keys, bad generated columns and name clashes", () => {
    expect(() =>
      defineEntity("a", { x: col.int().primaryKey(), y: col.int().primaryKey() }),
    ).toThrowError(/two primary keys .* primaryKey: \["x", "y"\]/);
    expect(() => defineEntity("b", { x: col.int() })).toThrowError(code("ORM_INVALID_ENTITY"));
    expect(() => defineEntity("c", { x: col.int().nullable().primaryKey() })).toThrowError(
      /cannot be nullable/,
    );
    expect(() =>
      defineEntity("d", { id: col.int().primaryKey(), t: col.text().generated() }),
    ).toThrowError(/generated/);
    expect(() =>
      defineEntity("e", { id: col.int().primaryKey(), fooBar: col.text(), foo_bar: col.text() }),
    ).toThrowError(/both map to the column "foo_bar"/);
    expect(() =>
      defineEntity("f", { id: col.int().primaryKey(), constructor: col.text() }),
    ).toThrowError(/dbName/);
    expect(() =>
      defineEntity("g", {
        id: col.int().primaryKey(),
        v: col.int().version(),
        w: col.int().version(),
      }),
    ).toThrowError(/version columns/);
    expect(() =>
      defineEntity("h", { id: col.int() }, { primaryKey: ["nope" as never] }),
    ).toThrowError(/not a column/);
    expect(() => col.text().version.call(col.text() as never)).toThrowError(
      code("ORM_INVALID_ENTITY"),
    );
  });

  it("maps property names to snake_case columns unless told otherwise", () => {
    const E = defineEntity("things", {
      id: col.int().primaryKey(),
      createdAt: col.timestamp(),
      x: col.text().dbName("X_col"),
    });
    expect(E.createdAt.meta.dbName).toBe("created_at");
    expect(E.x.meta.dbName).toBe("X_col");
  });
});
