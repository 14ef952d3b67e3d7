import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, DbContext, not, or, type QueryEvent } from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { Comment, Post, PostTag, Sample, Tag, User } from "./support/model.ts";

class AppDb extends DbContext {}

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(dialects)("typed queries (%s)", (dialect) => {
  let t: TestDb;
  let events: QueryEvent[] = [];
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await openTestDb(dialect, "query");
    await using db = new AppDb(t.database);
    const ada = db.add(User, { email: "ada@x.test", name: "Ada", bio: "math" });
    const bob = db.add(User, { email: "bob@x.test", name: "Bob" });
    const cy = db.add(User, { email: "cy@x.test", name: "Cy", bio: "ops" });
    const posts = [
      db.add(Post, {
        author: ada,
        title: "Engines",
        published: true,
        publishedAt: new Date("2024-01-02T03:04:05.678Z"),
      }),
      db.add(Post, { author: ada, title: "Notes" }),
      db.add(Post, { author: bob, title: "Hello", published: true, views: 9007199254740993n }),
    ];
    const tags = ["math", "history", "intro"].map((label) => db.add(Tag, { label }));
    await db.saveChanges();
    db.add(PostTag, { postId: posts[0]!.id, tagId: tags[0]!.id });
    db.add(PostTag, { postId: posts[0]!.id, tagId: tags[1]!.id });
    db.add(PostTag, { postId: posts[2]!.id, tagId: tags[2]!.id });
    const root = db.add(Comment, { postId: posts[0]!.id, text: "first" } as never);
    await db.saveChanges();
    db.add(Comment, { postId: posts[0]!.id, parentId: root.id, text: "reply" } as never);
    await db.saveChanges();
    Object.assign(ids, { ada: ada.id, bob: bob.id, cy: cy.id, p0: posts[0]!.id, p2: posts[2]!.id });
    t.database.onQuery((e) => events.push(e));
  });
  afterAll(() => t.drop());
  beforeEach(() => {
    events = [];
  });

  const names = (rows: readonly { name: string }[]) => rows.map((r) => r.name);

  it("filters with eq, ne, gt/gte/lt/lte, in, notIn, like, isNull, and/or/not", async () => {
    await using db = new AppDb(t.database);
    const q = db.from(User).orderBy(User.name);
    expect(names(await q.where(User.name.eq("Bob")).all())).toEqual(["Bob"]);
    expect(names(await q.where(User.name.ne("Bob")).all())).toEqual(["Ada", "Cy"]);
    expect(names(await q.where(User.id.gt(ids.ada!)).all())).toEqual(["Bob", "Cy"]);
    expect(names(await q.where(User.id.gte(ids.bob!)).all())).toEqual(["Bob", "Cy"]);
    expect(names(await q.where(User.id.lt(ids.bob!)).all())).toEqual(["Ada"]);
    expect(names(await q.where(User.id.lte(ids.bob!)).all())).toEqual(["Ada", "Bob"]);
    expect(names(await q.where(User.name.in(["Cy", "Ada"])).all())).toEqual(["Ada", "Cy"]);
    expect(names(await q.where(User.name.notIn(["Cy", "Ada"])).all())).toEqual(["Bob"]);
    expect(names(await q.where(User.name.in([])).all())).toEqual([]);
    expect(names(await q.where(User.name.notIn([])).all())).toEqual(["Ada", "Bob", "Cy"]);
    expect(names(await q.where(User.email.like("%y@x.test")).all())).toEqual(["Cy"]);
    expect(names(await q.where(User.email.notLike("a%")).all())).toEqual(["Bob", "Cy"]);
    expect(names(await q.where(User.bio.isNull()).all())).toEqual(["Bob"]);
    expect(names(await q.where(User.bio.isNotNull()).all())).toEqual(["Ada", "Cy"]);
    expect(
      names(await q.where(or(User.name.eq("Ada"), and(User.bio.isNull(), User.id.gt(0)))).all()),
    ).toEqual(["Ada", "Bob"]);
    expect(names(await q.where(not(User.name.eq("Ada"))).all())).toEqual(["Bob", "Cy"]);
    expect(names(await q.where(User.id.gt(0)).where(User.bio.isNotNull()).all())).toEqual([
      "Ada",
      "Cy",
    ]);
    expect(names(await q.where(and()).all())).toHaveLength(3);
    expect(names(await q.where(or()).all())).toHaveLength(0);
  });

  it("an undefined filter value is ORM_UNDEFINED_FILTER, never 'match the first row'", async () => {
    await using db = new AppDb(t.database);
    const missing = undefined as unknown as number;
    expect(() => User.id.eq(missing)).toThrowError(code("ORM_UNDEFINED_FILTER"));
    expect(() => User.id.in([1, missing])).toThrowError(code("ORM_UNDEFINED_FILTER"));
    expect(() => db.from(User).where(undefined as never)).toThrowError(
      code("ORM_UNDEFINED_FILTER"),
    );
    expect(() => and(User.id.eq(1), undefined as never)).toThrowError(code("ORM_UNDEFINED_FILTER"));
    await expect(db.find(User, missing)).rejects.toEqual(code("ORM_UNDEFINED_FILTER"));
    expect(() => User.bio.eq(null as never)).toThrowError(/isNull/);
    expect(events).toEqual([]);
  });

  it("orders, limits, offsets, counts and checks existence", async () => {
    await using db = new AppDb(t.database);
    const q = db.from(User).orderBy(User.name, "desc");
    expect(names(await q.all())).toEqual(["Cy", "Bob", "Ada"]);
    expect(names(await q.limit(2).all())).toEqual(["Cy", "Bob"]);
    expect(names(await q.offset(1).all())).toEqual(["Bob", "Ada"]);
    expect(names(await q.limit(1).offset(1).all())).toEqual(["Bob"]);
    expect(await db.from(User).count()).toBe(3);
    expect(await db.from(User).where(User.bio.isNull()).count()).toBe(1);
    expect(await db.from(User).where(User.name.eq("Bob")).exists()).toBe(true);
    expect(await db.from(User).where(User.name.eq("Nobody")).exists()).toBe(false);
    expect((await q.first())?.name).toBe("Cy");
    await expect(db.from(User).where(User.name.eq("Nobody")).firstOrThrow()).rejects.toEqual(
      code("ORM_NOT_FOUND"),
    );
    expect(() => q.limit(-1)).toThrowError(code("ORM_INVALID_QUERY"));
  });

  it("selects columns by reference or by alias", async () => {
    await using db = new AppDb(t.database);
    const row = await db
      .from(User)
      .where(User.email.eq("ada@x.test"))
      .select(User.id, User.name)
      .first();
    expect(row).toEqual({ id: ids.ada, name: "Ada" });
    expect(Object.isFrozen(row)).toBe(true);
    const aliased = await db
      .from(User)
      .select({ who: User.name, mail: User.email })
      .orderBy(User.name)
      .first();
    expect(aliased).toEqual({ who: "Ada", mail: "ada@x.test" });
  });

  it("joins through relations to filter, order and select across entities", async () => {
    await using db = new AppDb(t.database);
    const posts = await db
      .from(Post)
      .join(Post.author)
      .where(User.name.eq("Ada"))
      .orderBy(Post.title)
      .all();
    expect(posts.map((p) => p.title)).toEqual(["Engines", "Notes"]);
    const pairs = await db
      .from(Post)
      .join(Post.author)
      .select({ title: Post.title, author: User.name })
      .orderBy(Post.title)
      .all();
    expect(pairs).toEqual([
      { title: "Engines", author: "Ada" },
      { title: "Hello", author: "Bob" },
      { title: "Notes", author: "Ada" },
    ]);
    // A to-many join repeats rows in SQL; entity results come back once each.
    const authors = await db
      .from(User)
      .join(User.posts)
      .where(Post.published.eq(true))
      .orderBy(User.name)
      .all();
    expect(names(authors)).toEqual(["Ada", "Bob"]);
    const tagged = await db.from(Post).join(Post.tags).where(Tag.label.eq("history")).all();
    expect(tagged.map((p) => p.title)).toEqual(["Engines"]);
    const withoutPosts = await db.from(User).leftJoin(User.posts).where(Post.id.isNull()).all();
    expect(names(withoutPosts)).toEqual(["Cy"]);
    expect(() => db.from(User).where(Post.title.eq("x") as never)).toThrowError(
      code("ORM_INVALID_QUERY"),
    );
  });

  it("includes relations in a bounded number of queries (no N+1)", async () => {
    await using db = new AppDb(t.database);
    events = [];
    const users = await db.from(User).include(User.posts).orderBy(User.name).all();
    expect(events.filter((e) => e.operation === "select")).toHaveLength(2);
    expect(users.map((u) => [u.name, u.posts.map((p) => p.title).sort()])).toEqual([
      ["Ada", ["Engines", "Notes"]],
      ["Bob", ["Hello"]],
      ["Cy", []],
    ]);

    events = [];
    const posts = await db
      .from(Post)
      .include(Post.author)
      .include(Post.tags)
      .orderBy(Post.title)
      .all();
    expect(events.filter((e) => e.operation === "select")).toHaveLength(3);
    expect(posts.map((p) => [p.title, p.author?.name, p.tags.map((x) => x.label).sort()])).toEqual([
      ["Engines", "Ada", ["history", "math"]],
      ["Hello", "Bob", ["intro"]],
      ["Notes", "Ada", []],
    ]);
    // Included rows go through the identity map: both of Ada's posts hold the same author.
    expect(posts[0]!.author).toBe(posts[2]!.author);

    events = [];
    await using fresh = new AppDb(t.database);
    const nested = await fresh
      .from(User)
      .include(User.posts, Post.comments)
      .orderBy(User.name)
      .all();
    expect(events.filter((e) => e.operation === "select")).toHaveLength(3);
    expect(
      nested[0]!.posts
        .find((p) => p.title === "Engines")!
        .comments.map((c) => c.text)
        .sort(),
    ).toEqual(["first", "reply"]);
    expect(Object.isFrozen(nested[0]!.posts[0]!.comments)).toBe(true);

    // In the first context the users hold their posts already (the identity map's objects):
    // only the users and the comments are read, and the posts get their comments in place.
    events = [];
    const again = await db.from(User).include(User.posts, Post.comments).orderBy(User.name).all();
    expect(events.filter((e) => e.operation === "select")).toHaveLength(2);
    expect(again[0]).toBe(users[0]);
    expect(again[0]!.posts).toBe(users[0]!.posts);
    expect(
      again[0]!.posts
        .find((p) => p.title === "Engines")!
        .comments.map((c) => c.text)
        .sort(),
    ).toEqual(["first", "reply"]);

    const replies = await db
      .from(Comment)
      .include(Comment.parent)
      .where(Comment.text.eq("reply"))
      .first();
    expect(replies?.parent?.text).toBe("first");

    const tags = await db.from(Tag).include(Tag.posts).where(Tag.label.eq("math")).first();
    expect(tags?.posts.map((p) => p.title)).toEqual(["Engines"]);
  });

  it("includes on tracked queries attach tracked rows", async () => {
    await using db = new AppDb(t.database);
    const ada = (await db
      .from(User)
      .tracked()
      .include(User.posts)
      .where(User.id.eq(ids.ada!))
      .first())!;
    const notes = ada.posts.find((p) => p.title === "Notes")!;
    notes.title = "Notes (edited)";
    expect(db.stateOf(notes)).toBe("modified");
    await db.saveChanges();
    await using other = new AppDb(t.database);
    expect(await other.from(Post).where(Post.title.eq("Notes (edited)")).count()).toBe(1);
    notes.title = "Notes";
    await db.saveChanges();
  });

  it("compiles each query shape once, whatever the values", async () => {
    await using db = new AppDb(t.database);
    const shapes = (t.database as unknown as { shapes: { compiled: number } }).shapes;
    await db.from(User).where(User.email.eq("ada@x.test")).select(User.id).first();
    const after = shapes.compiled;
    for (const e of ["bob@x.test", "cy@x.test", "none@x.test"]) {
      await db.from(User).where(User.email.eq(e)).select(User.id).first();
    }
    expect(shapes.compiled).toBe(after);
    await db.find(User, ids.bob!);
    const afterFind = shapes.compiled;
    await using db2 = new AppDb(t.database);
    await db2.find(User, ids.cy!);
    await db2.find(User, ids.ada!);
    expect(shapes.compiled).toBe(afterFind);
    // `in` lists of nearby lengths share a padded shape.
    await db
      .from(User)
      .where(User.id.in([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
      .count();
    const afterIn = shapes.compiled;
    await db
      .from(User)
      .where(User.id.in([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))
      .count();
    expect(shapes.compiled).toBe(afterIn);
  });

  it("round-trips every column kind", async () => {
    const at = new Date("2025-06-07T08:09:10.111Z");
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    await using db = new AppDb(t.database);
    const s = db.add(Sample, {
      small: 42,
      big: 9007199254740993n,
      ratio: 0.25,
      price: "1234.50",
      label: "twenty chars max",
      flag: true,
      at,
      day: "2025-02-28",
      data: { tags: ["a", "b"], nested: { n: 1 } },
      blob: bytes,
      note: null,
    });
    expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.createdAt).toBeInstanceOf(Date);
    await db.saveChanges();
    await using other = new AppDb(t.database);
    const r = (await other.find(Sample, s.id))!;
    expect(r).toMatchObject({
      small: 42,
      big: 9007199254740993n,
      ratio: 0.25,
      label: "twenty chars max",
      flag: true,
      day: "2025-02-28",
      data: { tags: ["a", "b"], nested: { n: 1 } },
    });
    expect(Number(r.price)).toBe(1234.5);
    expect(r.at.toISOString()).toBe(at.toISOString());
    expect([...r.blob]).toEqual([...bytes]);
    expect(r.note.isNone()).toBe(true);
    expect(Object.isFrozen(r.data.nested)).toBe(true);
    // Deep means dates too (@dext/immutable's freezeDeep): their setters throw.
    expect(() => (r.at as unknown as Date).setTime(0)).toThrow();
    expect(r.at.toISOString()).toBe(at.toISOString());
    // Tracked: change detection over dates, JSON and Nullable values.
    const tr = (await other.find(Sample, s.id, { tracked: true }))!;
    expect(other.stateOf(tr)).toBe("unchanged");
    tr.data = { tags: ["a", "b"], nested: { n: 1 } };
    tr.at = new Date(at.getTime());
    expect(other.stateOf(tr)).toBe("unchanged");
    tr.data.nested.n = 2;
    tr.note = "now set" as never;
    expect(other.stateOf(tr)).toBe("modified");
    await other.saveChanges();
    await using third = new AppDb(t.database);
    const again = (await third.find(Sample, s.id))!;
    expect(again.data.nested.n).toBe(2);
    expect(again.note.getOrElse("none")).toBe("now set");
    // Filtering by non-string kinds converts the value for the database.
    expect(await third.from(Sample).where(Sample.at.eq(at)).count()).toBe(1);
    expect(await third.from(Sample).where(Sample.flag.eq(true)).count()).toBe(1);
    expect(await third.from(Sample).where(Sample.big.gt(9007199254740992n)).count()).toBe(1);
    expect(
      await third
        .from(Post)
        .where(Post.publishedAt.gt(new Date("2024-01-01T00:00:00Z")))
        .count(),
    ).toBe(1);
  });

  it("composite keys: find by tuple, remove by key", async () => {
    await using db = new AppDb(t.database);
    const link = await db.find(PostTag, [ids.p2!, 3] as never);
    expect(link === undefined || link.postId === ids.p2).toBe(true);
    const all = await db.from(PostTag).where(PostTag.postId.eq(ids.p2!)).all();
    expect(all).toHaveLength(1);
    const found = await db.find(PostTag, [all[0]!.postId, all[0]!.tagId] as never);
    expect(found).toBe(all[0]);
    await expect(db.find(PostTag, 1 as never)).rejects.toEqual(code("ORM_INVALID_QUERY"));
  });
});
