import { describe, expectTypeOf, it } from "vitest";
import {
  and,
  col,
  type Database,
  DbContext,
  defineEntity,
  type Insert,
  type Nullable,
  or,
  ReadOnlyDbContext,
  type Row,
  type Snapshot,
} from "../src/index.ts";
import { Post, type Sample, Tag, User } from "./support/model.ts";

declare const database: Database;
class AppDb extends DbContext {}
class Reports extends ReadOnlyDbContext {}
const db = new AppDb(database);
const ro = new Reports(database);

describe("entity metadata", () => {
  it("yields the row and insert types", () => {
    expectTypeOf<Row<typeof User>>().toEqualTypeOf<{
      id: number;
      email: string;
      name: string;
      bio: string | null;
      version: number;
    }>();
    expectTypeOf<Insert<typeof User>>().toEqualTypeOf<{
      email: string;
      name: string;
      id?: number;
      bio?: string | null;
      version?: number;
    }>();
    expectTypeOf<Row<typeof Sample>["note"]>().toEqualTypeOf<Nullable<string>>();
    expectTypeOf<Row<typeof Sample>["big"]>().toEqualTypeOf<bigint>();
    expectTypeOf<Row<typeof Sample>["data"]>().toEqualTypeOf<{
      tags: string[];
      nested: { n: number };
    }>();
  });

  it("narrows text columns with a type argument", () => {
    const Role = defineEntity("roles", {
      id: col.int().primaryKey(),
      kind: col.text<"admin" | "member">(),
    });
    expectTypeOf<Row<typeof Role>["kind"]>().toEqualTypeOf<"admin" | "member">();
    // @ts-expect-error -- not one of the literal values
    Role.kind.eq("owner");
  });

  it("offers version(), defaultNow() and defaultRandom() only on the right kinds", () => {
    col.int().version();
    col.timestamp().defaultNow();
    col.uuid().primaryKey().defaultRandom();
    // @ts-expect-error -- a text column cannot be the version
    col.text().version();
    // @ts-expect-error -- only timestamps default to now
    col.int().defaultNow();
  });
});

describe("typed queries", () => {
  it("returns frozen snapshots by default and tracked rows on request", async () => {
    expectTypeOf(await db.find(User, 1)).toEqualTypeOf<Snapshot<Row<typeof User>> | undefined>();
    expectTypeOf(await db.find(User, 1, { tracked: true })).toEqualTypeOf<
      Row<typeof User> | undefined
    >();
    const first = await db.from(User).where(User.email.eq("x")).select(User.id, User.name).first();
    expectTypeOf(first).toEqualTypeOf<{ readonly id: number; readonly name: string } | undefined>();
    const tracked = await db.from(User).tracked().all();
    expectTypeOf(tracked).toEqualTypeOf<Row<typeof User>[]>();
    tracked[0]!.name = "writable";
    const snap = await db.from(User).all();
    // @ts-expect-error -- snapshots are read-only
    snap[0]!.name = "nope";
  });

  it("rejects a column of another entity", () => {
    // @ts-expect-error -- Post.title is not a column of the users query
    db.from(User).where(Post.title.eq("x"));
    // @ts-expect-error -- nor can it be ordered by
    db.from(User).orderBy(Post.title);
    // @ts-expect-error -- nor selected
    db.from(User).select(Post.title);
    // Joining the relation brings the entity into the query.
    db.from(Post).join(Post.author).where(User.name.eq("Ada")).orderBy(User.name);
    // @ts-expect-error -- mixed conditions still need every table in the query
    db.from(User).where(and(User.id.eq(1), Post.id.eq(2)));
    db.from(Post)
      .join(Post.author)
      .where(or(User.id.eq(1), Post.id.eq(2)));
  });

  it("rejects a value of the wrong type", () => {
    // @ts-expect-error -- id is a number
    User.id.eq("1");
    // @ts-expect-error -- email is a string
    User.email.in([1, 2]);
    // @ts-expect-error -- like takes a pattern for text columns only
    User.id.like("1%");
    // @ts-expect-error -- the key of users is a number
    db.find(User, "1");
  });

  it("rejects an undefined filter value", () => {
    const maybe = undefined as string | undefined;
    // @ts-expect-error -- undefined would match everything (TypeORM's findOneBy({ id: undefined }))
    User.email.eq(undefined);
    // @ts-expect-error -- a possibly-undefined value must be checked first
    User.email.eq(maybe);
    // @ts-expect-error -- null never matches in SQL: use isNull()
    User.bio.eq(null);
    User.bio.isNull();
  });

  it("types included relations", async () => {
    const users = await db.from(User).include(User.posts).all();
    expectTypeOf(users[0]!.posts[0]!.title).toEqualTypeOf<string>();
    const posts = await db.from(Post).include(Post.author).include(Post.tags).all();
    expectTypeOf(posts[0]!.author).toEqualTypeOf<Snapshot<Row<typeof User>> | null>();
    expectTypeOf(posts[0]!.tags[0]!.label).toEqualTypeOf<string>();
    const nested = await db.from(User).include(User.posts, Post.comments).all();
    expectTypeOf(nested[0]!.posts[0]!.comments[0]!.text).toEqualTypeOf<string>();
    // @ts-expect-error -- a relation of another entity
    db.from(User).include(Post.author);
    // @ts-expect-error -- a nested relation must belong to the included entity
    db.from(User).include(User.posts, Tag.posts);
  });

  it("checks what add() takes", () => {
    db.add(User, { email: "a", name: "b" });
    // @ts-expect-error -- name is required
    db.add(User, { email: "a" });
    // @ts-expect-error -- wrong type
    db.add(User, { email: "a", name: 1 });
    const author = db.add(User, { email: "a", name: "b" });
    db.add(Post, { author, title: "linked by object" });
    db.add(Post, { authorId: 1, title: "linked by key" });
  });
});

describe("read-only contexts", () => {
  it("have no write methods in their type", async () => {
    // @ts-expect-error -- no add on a read-only context
    ro.add(User, { email: "a", name: "b" });
    // @ts-expect-error -- no saveChanges
    ro.saveChanges();
    // @ts-expect-error -- no remove
    ro.remove(User, 1);
    // @ts-expect-error -- no transaction
    ro.transaction(async () => {});
    // @ts-expect-error -- no tracked queries
    ro.from(User).tracked();
    expectTypeOf(await ro.find(User, 1)).toEqualTypeOf<Snapshot<Row<typeof User>> | undefined>();
  });
});
