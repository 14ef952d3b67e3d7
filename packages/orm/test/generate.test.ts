import { afterEach, describe, expect, it } from "vitest";
import {
  type AnyColumnRef,
  col,
  createMigrator,
  createTables,
  DbContext,
  defineEntity,
  validateSchema,
} from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { type MigrationDir, migrationDir } from "./support/migration-dir.ts";
import { tableNames } from "./support/schema.ts";

// Version 1 of an app's entities.
const users1 = defineEntity("users", {
  id: col.int().primaryKey().generated(),
  email: col.text().unique(),
  name: col.text(),
  bio: col.text().nullable(),
  score: col.int().default(0),
});
const posts1 = defineEntity("posts", {
  id: col.int().primaryKey().generated(),
  authorId: col
    .int()
    .references(() => users1.id, { onDelete: "cascade" })
    .index(),
  title: col.varchar(100),
  slug: col.text(),
});
const tags1 = defineEntity("tags", { id: col.int().primaryKey(), label: col.text() });
const legacy1 = defineEntity("legacy", { id: col.int().primaryKey(), note: col.text().nullable() });
const settings1 = defineEntity("settings", { key: col.text().primaryKey(), value: col.text() });
const v1 = [users1, posts1, tags1, legacy1, settings1];

// Version 2: every kind of change the generator covers.
const users2 = defineEntity("users", {
  id: col.int().primaryKey().generated(),
  email: col.text(), // unique key dropped
  name: col.text(),
  // bio dropped
  score: col.real().default(0), // type change
  nickname: col.text().nullable(), // added, nullable
  active: col.boolean().default(true), // added, NOT NULL with a default
  createdAt: col.timestamp().defaultNow(), // added, non-constant default
});
const posts2 = defineEntity(
  "posts",
  {
    id: col.int().primaryKey().generated(),
    // nullable now, and the foreign key's action changed; its index is gone
    authorId: col
      .int()
      .nullable()
      .references(() => users2.id, { onDelete: "set null" }),
    title: col.varchar(100).index(), // index added
    slug: col.text(),
    tagId: col
      .int()
      .nullable()
      .references(() => tags2.id), // foreign key added
  },
  { indexes: [{ columns: ["authorId", "slug"], unique: true }] }, // unique key added
);
const tags2 = defineEntity("tags", {
  id: col.int().primaryKey().generated(), // now generated (identity on PostgreSQL)
  label: col.text().unique("tags_label_unique"),
});
const settings2 = defineEntity(
  "settings",
  { scope: col.text().default("global"), key: col.text(), value: col.text() },
  { primaryKey: ["scope", "key"] }, // primary key changed
);
const audit2 = defineEntity("audit", {
  id: col.int().primaryKey().generated(),
  at: col.timestamp().defaultNow(),
  what: col.json<{ action: string }>(),
}); // table added; legacy dropped
const v2 = [users2, posts2, tags2, settings2, audit2];

class Db extends DbContext {}

describe.each(dialects)("migrator.generate() (%s)", (dialect) => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(): Promise<{ t: TestDb; m: MigrationDir }> {
    const t = await openTestDb(dialect, "generate", {}, false);
    cleanup.push(() => t.drop());
    const m = migrationDir("generate");
    cleanup.push(() => m.remove());
    return { t, m };
  }

  it("generate -> apply -> validate round trips, then a change to the entities does too (and down goes back)", async () => {
    const { t, m } = await setup();
    const migrator = createMigrator(t.database, { dir: m.dir, entities: v1 });

    const first = await migrator.generate("init");
    expect(first.file).toMatch(new RegExp(`0001_init\\.${dialect}\\.sql$`));
    expect(first.changes).toEqual(
      expect.arrayContaining(["create table users", "create table posts", "create table legacy"]),
    );
    await migrator.up();
    await validateSchema(t.database, v1);
    expect((await migrator.generate("nothing")).file).toBeUndefined();

    // Data that must survive the second migration (SQLite rebuilds tables to change them).
    await t.database.kysely
      .insertInto("users")
      .values([
        { id: 1, email: "ada@x", name: "Ada", bio: "b", score: 3 },
        { id: 2, email: "bob@x", name: "Bob", bio: "b", score: 4 },
      ])
      .execute();
    await t.database.kysely
      .insertInto("posts")
      .values([
        { id: 1, author_id: 1, title: "one", slug: "one" },
        { id: 2, author_id: 2, title: "two", slug: "two" },
      ])
      .execute();
    await t.database.kysely.insertInto("tags").values({ id: 7, label: "seven" }).execute();
    await t.database.kysely
      .insertInto("settings")
      .values({ key: "theme", value: "dark" })
      .execute();

    const second = await migrator.generate("evolve", { entities: v2 });
    expect(second.file).toMatch(new RegExp(`0002_evolve\\.${dialect}\\.sql$`));
    const text = m.read(`0002_evolve.${dialect}.sql`);
    expect(text).toContain("-- up");
    expect(text).toContain("-- down");
    expect(text).toContain('-- WARNING: drops table "legacy" and every row in it');
    expect(text).toContain("-- WARNING: drops column users.bio and its values");
    expect(text).toContain("-- WARNING: changes the type of users.score");
    expect(second.warnings.length).toBeGreaterThanOrEqual(3);
    expect(second.changes).toEqual(
      expect.arrayContaining([
        "create table audit",
        "drop table legacy",
        "add column users.nickname",
        "drop column users.bio",
        "make posts.author_id nullable",
        "add index posts_title_idx",
        "drop index posts_author_id_idx",
        "add unique key posts(author_id, slug)",
        "drop unique key users(email)",
        "add foreign key posts(tag_id) -> tags",
      ]),
    );
    if (dialect === "sqlite") expect(text).toContain('-- rebuild "posts"');
    await migrator.up();
    await validateSchema(t.database, v2);
    expect((await migrator.generate("again", { entities: v2 })).file).toBeUndefined();

    // The rows are still there, keys intact and the new columns filled from their defaults.
    {
      await using db = new Db(t.database);
      const rows = await db.from(users2).orderBy(users2.id).all();
      expect(rows.map((u) => [u.id, u.email, u.score, u.active, u.nickname])).toEqual([
        [1, "ada@x", 3, true, null],
        [2, "bob@x", 4, true, null],
      ]);
      expect(rows[0]!.createdAt).toBeInstanceOf(Date);
      expect(
        (await db.from(posts2).orderBy(posts2.id).all()).map((p) => [p.id, p.authorId]),
      ).toEqual([
        [1, 1],
        [2, 2],
      ]);
      // tags.id is generated now, past the keys already there.
      const tag = db.add(tags2, { label: "eight" });
      db.add(settings2, { key: "theme", scope: "user", value: "light" });
      await db.saveChanges();
      expect(tag.id).toBeGreaterThan(7);
      expect(await db.from(settings2).count()).toBe(2);
      // The new foreign key action holds: deleting a user keeps the post.
      await db.kysely.deleteFrom("users").where("id", "=", 2).execute();
      db.clear();
      expect((await db.from(posts2).where(posts2.id.eq(2)).firstOrThrow()).authorId).toBeNull();
    }

    // down() is the generated reverse: back to version 1, which validates again.
    await t.database.kysely.deleteFrom("posts").where("author_id", "is", null).execute();
    await t.database.kysely.deleteFrom("settings").where("scope", "=", "user").execute();
    await migrator.down();
    await validateSchema(t.database, v1);
    expect(await tableNames(t.database)).toEqual(
      ["dext_migrations", "legacy", "posts", "settings", "tags", "users"].sort(),
    );
    await migrator.up();
    await validateSchema(t.database, v2);
  });

  it("creates tables that reference each other, and self-references", async () => {
    const { t, m } = await setup();
    const a = defineEntity("team", {
      id: col.int().primaryKey().generated(),
      captainId: col
        .int()
        .nullable()
        .references((): AnyColumnRef => b.id),
    });
    const b = defineEntity("player", {
      id: col.int().primaryKey().generated(),
      teamId: col.int().references(() => a.id),
      mentorId: col
        .int()
        .nullable()
        .references((): AnyColumnRef => b.id),
    });
    const migrator = createMigrator(t.database, { dir: m.dir, entities: [a, b] });
    await migrator.generate("teams");
    await migrator.up();
    await validateSchema(t.database, [a, b]);
    await migrator.down();
    expect(await tableNames(t.database)).toEqual(["dext_migrations"]);
  });

  it("createTables({ ifNotExists }) can run twice, also for tables that reference each other", async () => {
    const { t } = await setup();
    const a = defineEntity("team", {
      id: col.int().primaryKey().generated(),
      captainId: col
        .int()
        .nullable()
        .references((): AnyColumnRef => b.id),
    });
    const b = defineEntity("player", {
      id: col.int().primaryKey().generated(),
      teamId: col
        .int()
        .references(() => a.id)
        .index(),
    });
    await createTables(t.database, [a, b], { ifNotExists: true });
    await createTables(t.database, [a, b], { ifNotExists: true });
    await validateSchema(t.database, [a, b]);
    await expect(createTables(t.database, [a, b])).rejects.toThrowError(
      expect.objectContaining({ code: "ORM_QUERY_FAILED" }),
    );
  });

  it("leaves ignored tables alone and starts from tables createTables made", async () => {
    const { t, m } = await setup();
    await createTables(t.database, v1);
    await t.database.kysely.schema.createTable("jobs").addColumn("id", "integer").execute();
    const migrator = createMigrator(t.database, {
      dir: m.dir,
      entities: v1.filter((e) => e !== legacy1),
      ignoreTables: [/^jo/],
    });
    const g = await migrator.generate("drop legacy");
    expect(g.changes).toEqual(["drop table legacy"]);
    await migrator.up();
    expect(await tableNames(t.database)).toContain("jobs");
  });

  it("warns in the file where a change fails on existing rows", async () => {
    const { t, m } = await setup();
    const a = defineEntity("notes", { id: col.int().primaryKey(), body: col.text() });
    const migrator = createMigrator(t.database, { dir: m.dir, entities: [a] });
    await migrator.generate("notes");
    await migrator.up();
    const b = defineEntity("notes", {
      id: col.int().primaryKey(),
      body: col.text(),
      title: col.text(),
      tag: col.text().nullable().unique(),
    });
    const g = await migrator.generate("title", { entities: [b] });
    expect(g.warnings).toEqual([
      expect.stringContaining(
        'notes.title is NOT NULL without a default: this fails if "notes" has rows',
      ),
      expect.stringContaining(
        "adds a unique key on notes(tag): duplicate values make this migration fail",
      ),
    ]);
    expect(m.read(`0002_title.${dialect}.sql`)).toContain(
      "-- WARNING: notes.title is NOT NULL without a default",
    );
    await migrator.up(); // the table is empty, so it applies
    await validateSchema(t.database, [b]);
  });

  it("refuses with pending migrations (ORM_MIGRATION_PENDING) or without entities", async () => {
    const { t, m } = await setup();
    m.write("0001_x.sql", "-- up\ncreate table x (id integer);\n");
    const migrator = createMigrator(t.database, { dir: m.dir, entities: v1 });
    await expect(migrator.generate("next")).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_PENDING",
        message: expect.stringContaining("0001_x"),
      }),
    );
    await migrator.up();
    await expect(createMigrator(t.database, { dir: m.dir }).generate("next")).rejects.toThrowError(
      expect.objectContaining({ code: "ORM_INVALID_CONFIG" }),
    );
  });

  it("joins the other dialect's file of the same name under its prefix", async () => {
    const { t, m } = await setup();
    const other = dialect === "sqlite" ? "postgres" : "sqlite";
    m.write(`0001_init.${other}.sql`, "-- up\nselect 1;\n");
    const migrator = createMigrator(t.database, { dir: m.dir, entities: v1 });
    const g = await migrator.generate("init");
    expect(g.file).toMatch(new RegExp(`0001_init\\.${dialect}\\.sql$`));
    await migrator.up();
    // A name the other dialect has at an older prefix gets a new prefix here.
    m.write(`0000_more.${other}.sql`, "-- up\nselect 1;\n");
    const g2 = await migrator.generate("more", { entities: v1.slice(0, 2) });
    expect(g2.file).toMatch(new RegExp(`0002_more\\.${dialect}\\.sql$`));
  });
});
