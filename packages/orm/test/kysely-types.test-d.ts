import { ServiceCollection } from "@dext/core-di";
import type { ColumnType, Kysely } from "kysely";
import { describe, expectTypeOf, it } from "vitest";
import {
  col,
  createDatabase,
  type Database,
  DbContext,
  defineEntity,
  type KyselyDatabase,
  type KyselyTable,
  ReadOnlyDbContext,
  type SnakeCase,
} from "../src/index.ts";
import type { allEntities, Post, Sample, User } from "./support/model.ts";

declare const database: Database;
type Db = KyselyDatabase<typeof allEntities>;
type Gen<T> = ColumnType<T, T | undefined, T>;

describe("KyselyDatabase: the Kysely table types of the entities", () => {
  it("maps each table to its database column names", () => {
    expectTypeOf<keyof Db>().toEqualTypeOf<
      "users" | "posts" | "tags" | "post_tags" | "comments" | "samples"
    >();
    expectTypeOf<keyof Db["posts"]>().toEqualTypeOf<
      "id" | "author_id" | "title" | "body" | "published" | "published_at" | "views"
    >();
    expectTypeOf<keyof Db["post_tags"]>().toEqualTypeOf<"post_id" | "tag_id">();
    expectTypeOf<SnakeCase<"publishedAtUtc">>().toEqualTypeOf<"published_at_utc">();
  });

  it("marks generated and defaulted columns like Kysely's Generated<>", () => {
    expectTypeOf<Db["users"]>().toEqualTypeOf<{
      id: Gen<number>;
      email: string;
      name: string;
      bio: string | null;
      version: Gen<number>;
    }>();
    expectTypeOf<Db["posts"]["body"]>().toEqualTypeOf<Gen<string>>();
    expectTypeOf<Db["posts"]["views"]>().toEqualTypeOf<
      ColumnType<bigint | number, bigint | number | undefined, bigint | number>
    >();
    // SQLite has no UUID default: only PostgreSQL may leave the key out.
    expectTypeOf<KyselyTable<typeof Sample, "postgres">["id"]>().toEqualTypeOf<Gen<string>>();
    expectTypeOf<KyselyTable<typeof Sample, "sqlite">["id"]>().toEqualTypeOf<string>();
  });

  it("types selects as each driver reads them", () => {
    type Pg = KyselyTable<typeof Sample, "postgres">;
    type Lite = KyselyTable<typeof Sample, "sqlite">;
    expectTypeOf<Pg["flag"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Lite["flag"]>().toEqualTypeOf<ColumnType<number, boolean, boolean>>();
    expectTypeOf<Pg["at"]>().toEqualTypeOf<ColumnType<Date, Date | string, Date | string>>();
    expectTypeOf<Lite["at"]>().toEqualTypeOf<ColumnType<string, Date | string, Date | string>>();
    expectTypeOf<Pg["data"]>().toEqualTypeOf<
      ColumnType<{ tags: string[]; nested: { n: number } }, string, string>
    >();
    expectTypeOf<Lite["note"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Lite["created_at"]>().toEqualTypeOf<
      ColumnType<string, Date | string | undefined, Date | string>
    >();
    // Both dialects (the default): the union of what each reads.
    expectTypeOf<KyselyTable<typeof Sample>["flag"]>().toEqualTypeOf<
      ColumnType<boolean | number, boolean, boolean>
    >();
  });

  it("follows .dbName() and takes a record of entities", () => {
    const Account = defineEntity("accounts", {
      id: col.int().primaryKey(),
      mail: col.text().dbName("e_mail"),
      createdAt: col.timestamp().defaultNow(),
    });
    type A = KyselyDatabase<{ Account: typeof Account; User: typeof User }, "postgres">;
    expectTypeOf<keyof A>().toEqualTypeOf<"accounts" | "users">();
    expectTypeOf<keyof A["accounts"]>().toEqualTypeOf<"id" | "e_mail" | "created_at">();
  });
});

describe("typed db.kysely, where the user opts in", () => {
  class AppDb extends DbContext<KyselyDatabase<typeof allEntities, "postgres">> {}
  class Reports extends ReadOnlyDbContext<KyselyDatabase<typeof allEntities>> {}
  const db = new AppDb(database);

  it("types the context's Kysely", async () => {
    expectTypeOf(db.kysely).toEqualTypeOf<Kysely<KyselyDatabase<typeof allEntities, "postgres">>>();
    const rows = await db.kysely
      .selectFrom("posts")
      .select(["id", "author_id", "published_at"])
      .where("published", "=", true)
      .execute();
    expectTypeOf(rows).toEqualTypeOf<
      { id: number; author_id: number; published_at: Date | null }[]
    >();
    // Generated and defaulted columns may be left out; required ones may not.
    await db.kysely.insertInto("users").values({ email: "a@x", name: "A" }).execute();
    await db.kysely.insertInto("posts").values({ author_id: 1, title: "T" }).execute();
    const reports = new Reports(database);
    await reports.kysely.selectFrom("tags").select("label").execute();
    // A typed context registers like any other.
    const scope = new ServiceCollection().addDbContext(AppDb).build().createScope();
    expectTypeOf(scope.resolve(AppDb).kysely).toEqualTypeOf(db.kysely);
  });

  it("rejects a wrong table, a wrong column and a wrong value at compile time", async () => {
    // @ts-expect-error -- no such table
    db.kysely.selectFrom("nope");
    // @ts-expect-error -- no such column (the property name, not the column name)
    db.kysely.selectFrom("posts").select("authorId");
    // @ts-expect-error -- no such column in a filter
    db.kysely.selectFrom("users").selectAll().where("mail", "=", "x");
    // @ts-expect-error -- email is text
    await db.kysely.insertInto("users").values({ email: 1, name: "A" }).execute();
    // @ts-expect-error -- name is required
    await db.kysely.insertInto("users").values({ email: "a@x" }).execute();
    // @ts-expect-error -- bio is text or null
    await db.kysely.updateTable("users").set({ bio: 5 }).execute();
  });

  it("types createDatabase's Kysely with a type argument; any without one", () => {
    const typed = createDatabase<KyselyDatabase<[typeof User, typeof Post]>>({
      dialect: "sqlite",
      filename: ":memory:",
    });
    typed.kysely.selectFrom("users").select(["id", "email"]);
    // @ts-expect-error -- only users and posts were given
    typed.kysely.selectFrom("tags");
    const untyped = createDatabase({ dialect: "sqlite", filename: ":memory:" });
    untyped.kysely.selectFrom("anything").selectAll();
    expectTypeOf(untyped).toEqualTypeOf<Database>();
  });
});
