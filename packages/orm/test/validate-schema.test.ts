import { afterEach, describe, expect, it } from "vitest";
import {
  type AnyColumnRef,
  col,
  createTables,
  defineEntity,
  manyToOne,
  oneToMany,
  validateSchema,
  withRelations,
} from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { allEntities } from "./support/model.ts";

const users = defineEntity(
  "users",
  {
    id: col.int().primaryKey().generated(),
    email: col.text().unique(),
    name: col.text(),
    bio: col.text().nullable(),
    age: col.int().nullable(),
  },
  { name: "User" },
);
const posts = defineEntity(
  "posts",
  {
    id: col.int().primaryKey().generated(),
    authorId: col.int().references(() => users.id, { onDelete: "cascade" }),
    title: col.text(),
  },
  { name: "Post" },
);

async function mismatches(
  t: TestDb,
  entities: Parameters<typeof validateSchema>[1],
): Promise<string[]> {
  const e = await validateSchema(t.database, entities).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e === undefined) return [];
  expect(e).toMatchObject({ code: "ORM_SCHEMA_MISMATCH" });
  return (e as { details: { mismatches: string[] } }).details.mismatches;
}

describe.each(dialects)("validateSchema (%s)", (dialect) => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  async function fresh(entities = [users, posts]): Promise<TestDb> {
    const t = await openTestDb(dialect, "validate", {}, false);
    cleanup.push(() => t.drop());
    await createTables(t.database, entities);
    return t;
  }
  const exec = (t: TestDb, sql: string) =>
    t.database.kysely.executeQuery({ sql, parameters: [], query: { kind: "RawNode" } } as never);

  it("passes for tables createTables made, for every column kind and relation", async () => {
    const t = await openTestDb(dialect, "validate", {}, true);
    cleanup.push(() => t.drop());
    await validateSchema(t.database, allEntities);
  });

  it("catches a column dropped behind the app's back", async () => {
    const t = await fresh();
    await exec(t, "alter table users drop column bio");
    const list = await mismatches(t, [users, posts]);
    expect(list).toEqual([
      expect.stringMatching(
        /^column "users\.bio" of entity User \(.*validate-schema\.test\.ts:\d+\) is missing from the database$/,
      ),
    ]);
  });

  it("lists every mismatch in one error: types, nullability, keys, foreign keys, tables", async () => {
    const t = await fresh([users]);
    await exec(t, "alter table users drop column age");
    await exec(t, "alter table users add column age text");
    await exec(
      t,
      "create table posts (id integer primary key, author_id integer, title text not null, legacy text not null)",
    );
    if (dialect === "postgres") {
      await exec(t, "alter table users alter column name drop not null");
      await exec(t, "alter table users drop constraint users_email_key");
    }
    const error = await validateSchema(t.database, [users, posts]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ORM_SCHEMA_MISMATCH" });
    const message = (error as Error).message;
    expect(message).toContain(`the ${dialect} database "default" does not match the entities`);
    const list = (error as { details: { mismatches: string[] } }).details.mismatches;
    const expected = [
      expect.stringMatching(
        /^column "users\.age" is text in the database but integer in entity User/i,
      ),
      expect.stringMatching(
        /^column "posts\.author_id" is nullable in the database but NOT NULL in entity Post/,
      ),
      expect.stringMatching(
        /^foreign key "posts"\(author_id\) -> "users"\(id\) of entity Post .* is missing from the database$/,
      ),
      expect.stringMatching(
        /^column "posts\.legacy" is NOT NULL without a default in the database but not declared in entity Post .*, so inserts would fail$/,
      ),
    ];
    if (dialect === "postgres") {
      expected.push(
        expect.stringMatching(
          /^column "users\.name" is nullable in the database but NOT NULL in entity User/,
        ),
        expect.stringMatching(
          /^unique key "users"\(email\) of entity User .* is missing from the database$/,
        ),
        expect.stringMatching(
          /^column "posts\.id" is not generated in the database but \.generated\(\) in entity Post/,
        ),
      );
    }
    expect(list).toEqual(expect.arrayContaining(expected));
    expect(list).toHaveLength(expected.length);
    for (const m of list) expect(message).toContain(m);
  });

  it("reports a missing table and a different primary key", async () => {
    const t = await openTestDb(dialect, "validate", {}, false);
    cleanup.push(() => t.drop());
    await exec(
      t,
      "create table users (id integer not null, email text not null unique, name text not null, bio text, age integer, primary key (id, email))",
    );
    const list = await mismatches(t, [users, posts]);
    expect(list).toEqual(
      [
        expect.stringMatching(
          /^column "users\.id" is not generated in the database but \.generated\(\) in entity User/,
        ),
        expect.stringMatching(
          /^the primary key of "users" is \(id, email\) in the database but \(id\) in entity User/,
        ),
        expect.stringMatching(/^table "posts" of entity Post .* is missing from the database$/),
      ].filter((_, i) => dialect === "postgres" || i > 0),
    );
  });

  it("reports a foreign key whose action differs", async () => {
    const t = await fresh([users]);
    const id = dialect === "postgres" ? "integer generated by default as identity" : "integer";
    await exec(
      t,
      `create table posts (id ${id} primary key, author_id integer not null references users (id), title text not null)`,
    );
    expect(await mismatches(t, [users, posts])).toEqual([
      expect.stringMatching(
        /^foreign key "posts"\(author_id\) -> "users"\(id\) is on delete no action in the database but cascade in entity Post/,
      ),
    ]);
  });

  it("accepts extra tables, nullable extra columns and declared types SQLite treats alike", async () => {
    const t = await fresh();
    await exec(t, "create table other (x integer)");
    await exec(t, "alter table users add column extra text");
    await validateSchema(t.database, [users, posts]);
    if (dialect === "sqlite") {
      const t2 = await openTestDb(dialect, "validate", {}, false);
      cleanup.push(() => t2.drop());
      await exec(
        t2,
        "create table users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, name CLOB NOT NULL, bio TEXT, age INT)",
      );
      await validateSchema(t2.database, [users]);
    }
  });

  it("checks the entity set: a foreign key or relation to an entity not in the list", async () => {
    const t = await fresh();
    await expect(validateSchema(t.database, [posts])).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_INVALID_ENTITY",
        message: expect.stringContaining(
          "Post.authorId references User.id, but entity User is not in the list",
        ),
      }),
    );
    const tags = defineEntity("tags", { id: col.int().primaryKey() });
    const tagged0 = defineEntity("tagged", {
      id: col.int().primaryKey(),
      tagId: col.int().references(() => tags.id),
    });
    const tagged = withRelations(tagged0, { tag: manyToOne(tags, tagged0.tagId) });
    const error = await validateSchema(t.database, [tagged]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ORM_INVALID_ENTITY" });
    expect((error as Error).message).toContain(
      "relation tagged.tag points at entity tags, which is not in the list",
    );
    expect((error as Error).message).toContain("2 problems");
  });
});

describe("entity declarations are checked at definition", () => {
  const code = (c: string, text: string) =>
    expect.objectContaining({ code: c, message: expect.stringContaining(text) });

  it("two primary keys", () => {
    expect(() =>
      defineEntity("t", { a: col.int().primaryKey(), b: col.int().primaryKey() }),
    ).toThrowError(code("ORM_INVALID_ENTITY", "has two primary keys"));
  });

  it("two properties on one column (a duplicate column)", () => {
    expect(() =>
      defineEntity("t", {
        id: col.int().primaryKey(),
        a: col.text().dbName("x"),
        b: col.text().dbName("x"),
      }),
    ).toThrowError(code("ORM_INVALID_ENTITY", 'both map to the column "x"'));
  });

  it("a relation whose foreign key does not point at its target", () => {
    const a = defineEntity("a", { id: col.int().primaryKey() });
    const b = defineEntity("b", { id: col.int().primaryKey() });
    const c = defineEntity("c", {
      id: col.int().primaryKey(),
      aId: col.int().references(() => a.id),
    });
    expect(() => withRelations(c, { b: manyToOne(b, c.aId) })).toThrowError(
      code("ORM_INVALID_ENTITY", "references a.id, not entity b"),
    );
    expect(() => withRelations(a, { cs: oneToMany(c, a.id) })).toThrowError(
      code("ORM_INVALID_ENTITY", "oneToMany needs a foreign key column of c"),
    );
  });

  it("a relation to something that is not an entity", () => {
    const c = defineEntity("c", { id: col.int().primaryKey(), aId: col.int() });
    expect(() => withRelations(c, { a: manyToOne(undefined as never, c.aId) })).toThrowError(
      code("ORM_INVALID_ENTITY", "needs an entity from defineEntity()"),
    );
  });

  it("a foreign key to an entity declared after it is resolved and checked on first use", async () => {
    // At definition `later` does not exist yet (reading it would throw): nothing may resolve it.
    const late = withRelations(
      defineEntity("late", {
        id: col.int().primaryKey(),
        laterId: col.int().references((): AnyColumnRef => later.id),
      }),
      {},
    );
    const later = defineEntity("later", { id: col.int().primaryKey() });
    const t = await openTestDb("sqlite", "late_reference", {}, false);
    try {
      // First use without the target in the list: the reference resolves, and is reported.
      await expect(validateSchema(t.database, [late])).rejects.toThrowError(
        code(
          "ORM_INVALID_ENTITY",
          "late.laterId references later.id, but entity later is not in the list",
        ),
      );
      // With it, the foreign key is created and enforced, and the live schema matches.
      await createTables(t.database, [late, later]);
      await validateSchema(t.database, [late, later]);
      await t.database.kysely.insertInto("later").values({ id: 1 }).execute();
      await t.database.kysely.insertInto("late").values({ id: 1, later_id: 1 }).execute();
      await expect(
        t.database.kysely.insertInto("late").values({ id: 2, later_id: 99 }).execute(),
      ).rejects.toEqual(expect.objectContaining({ code: "ORM_FOREIGN_KEY_VIOLATION" }));
    } finally {
      await t.drop();
    }
  });
});

describe("the entity set is checked together (createTables, validateSchema, orm())", () => {
  const check = async (entities: Parameters<typeof createTables>[1], text: string) => {
    const t = await openTestDb("sqlite", "checks", {}, false);
    try {
      await expect(createTables(t.database, entities)).rejects.toThrowError(
        expect.objectContaining({
          code: "ORM_INVALID_ENTITY",
          message: expect.stringContaining(text),
        }),
      );
    } finally {
      await t.drop();
    }
  };

  it("a foreign key to a column that is not a key", async () => {
    const a = defineEntity("a", { id: col.int().primaryKey(), name: col.text() });
    const b = defineEntity("b", {
      id: col.int().primaryKey(),
      aName: col.text().references(() => a.name),
    });
    await check([a, b], "b.aName references a.name, which is neither the primary key nor unique");
  });

  it("a foreign key of another type than its target", async () => {
    const a = defineEntity("a", { id: col.uuid().primaryKey() });
    const b = defineEntity("b", {
      id: col.int().primaryKey(),
      aId: col.int().references(() => a.id),
    });
    await check([a, b], "b.aId is col.int() but references a.id, which is col.uuid()");
  });

  it("two entities on one table, and a name used twice", async () => {
    const a = defineEntity("same", { id: col.int().primaryKey() }, { name: "A" });
    const b = defineEntity("same", { id: col.int().primaryKey() }, { name: "B" });
    await check([a, b], 'entities A and B both map to table "same"');
    const c = defineEntity("c", { id: col.int().primaryKey(), x: col.int().index("shared") });
    const d = defineEntity("d", { id: col.int().primaryKey(), y: col.int().index("shared") });
    await check([c, d], 'the constraint or index name "shared" is used twice');
  });

  it("a references() that cannot be resolved", async () => {
    const a = defineEntity("a", {
      id: col.int().primaryKey(),
      bId: col.int().references(() => (undefined as never as { id: AnyColumnRef }).id),
    });
    await check([a], "its references() target could not be resolved");
  });
});
