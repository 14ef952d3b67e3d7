import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DbContext, type QueryEvent, ReadOnlyDbContext, sql } from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { Comment, Post, User } from "./support/model.ts";

class AppDb extends DbContext {}
class Reports extends ReadOnlyDbContext {}

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(dialects)("DbContext (%s)", (dialect) => {
  let t: TestDb;
  let events: QueryEvent[] = [];
  let n = 0;
  const email = () => `u${++n}-${dialect}@x.test`;

  beforeAll(async () => {
    t = await openTestDb(dialect, "context");
    t.database.onQuery((e) => events.push(e));
  });
  afterAll(() => t.drop());
  beforeEach(() => {
    events = [];
  });

  async function seedUser(name = "Ada"): Promise<number> {
    await using db = new AppDb(t.database);
    const u = db.add(User, { email: email(), name });
    await db.saveChanges();
    return u.id;
  }

  describe("connections", () => {
    it("a context that runs no query never touches the pool", async () => {
      const before = t.database.stats();
      {
        await using db = new AppDb(t.database);
        db.from(User).where(User.id.eq(1)); // building a query runs nothing
        expect(db.holdsConnection).toBe(false);
        await db.saveChanges(); // nothing to save: no connection either
      }
      expect(t.database.stats()).toEqual(before);
      expect(events).toEqual([]);
    });

    it("disposal returns the connection, also when the work threw", async () => {
      const id = await seedUser();
      await expect(
        (async () => {
          await using db = new AppDb(t.database);
          await db.find(User, id);
          await db.transaction(async () => {
            await db.find(User, id);
            throw new Error("handler failed");
          });
        })(),
      ).rejects.toThrow("handler failed");
      expect(t.database.stats().inUse).toBe(0);
    });

    it("a disposed context refuses work with ORM_CONTEXT_DISPOSED", async () => {
      const db = new AppDb(t.database);
      await db.dispose();
      await db.dispose(); // twice is fine
      expect(() => db.from(User)).toThrowError(code("ORM_CONTEXT_DISPOSED"));
      await expect(db.find(User, 1)).rejects.toEqual(code("ORM_CONTEXT_DISPOSED"));
    });
  });

  describe("identity map", () => {
    it("loading the same row twice in one context returns the same object", async () => {
      const id = await seedUser();
      await using db = new AppDb(t.database);
      const a = await db.find(User, id);
      const b = await db.find(User, id);
      const [c] = await db.from(User).where(User.id.eq(id)).all();
      expect(a).toBe(b);
      expect(c).toBe(a);
      // Repeats are answered from the map: one statement for three loads... plus the list query.
      expect(events.filter((e) => e.operation === "select")).toHaveLength(2);
      const t1 = await db.find(User, id, { tracked: true });
      const t2 = await db.from(User).tracked().where(User.id.eq(id)).first();
      expect(t1).toBe(t2);
      expect(t1).not.toBe(a);
    });

    async function seedAuthor(titles: readonly string[]): Promise<number> {
      await using db = new AppDb(t.database);
      const author = db.add(User, { email: email(), name: "Author" });
      for (const title of titles) db.add(Post, { author, title } as never);
      await db.saveChanges();
      return author.id;
    }

    it("find, then include: the include query returns the object find returned (regression: a fresh copy)", async () => {
      const id = await seedAuthor(["one", "two"]);
      await using db = new AppDb(t.database);
      const found = (await db.find(User, id))!;
      expect((found as { posts?: unknown }).posts).toBeUndefined();
      const withPosts = (await db.from(User).include(User.posts).where(User.id.eq(id)).first())!;
      expect(withPosts).toBe(found);
      expect(withPosts.posts.map((p) => p.title).sort()).toEqual(["one", "two"]);
      expect(Object.isFrozen(found)).toBe(true);
      expect(Object.isFrozen(withPosts.posts)).toBe(true);
      // The included rows are the identity map's objects too.
      expect(await db.find(Post, withPosts.posts[0]!.id)).toBe(withPosts.posts[0]);
      // It serialises with its relation, like any included row.
      const json = JSON.stringify(found, (_, v) => (typeof v === "bigint" ? String(v) : v));
      expect(JSON.parse(json).posts).toHaveLength(2);
    });

    it("include, then find: find returns the included object", async () => {
      const id = await seedAuthor(["three"]);
      await using db = new AppDb(t.database);
      const [included] = await db.from(User).include(User.posts).where(User.id.eq(id)).all();
      const found = await db.find(User, id);
      expect(found).toBe(included);
      const [plain] = await db.from(User).where(User.id.eq(id)).all();
      expect(plain).toBe(included);
      const post = await db.find(Post, included!.posts[0]!.id);
      expect(post).toBe(included!.posts[0]);
    });

    it("nested includes land on the objects the context loaded before", async () => {
      const id = await seedAuthor(["four"]);
      await using db = new AppDb(t.database);
      const post = (await db.from(Post).where(Post.authorId.eq(id)).first())!;
      const user = (await db
        .from(User)
        .include(User.posts, Post.comments)
        .where(User.id.eq(id))
        .first())!;
      expect(user.posts[0]).toBe(post);
      expect((post as unknown as { comments: unknown }).comments).toEqual([]);
      const withAuthor = (await db
        .from(Post)
        .include(Post.author)
        .where(Post.id.eq(post.id))
        .first())!;
      expect(withAuthor).toBe(post);
      expect(withAuthor.author).toBe(user);
    });

    it("a row this context writes (or a row pointing at it) is read afresh by the next include", async () => {
      const id = await seedAuthor(["five"]);
      await using db = new AppDb(t.database);
      const before = (await db.from(User).include(User.posts).where(User.id.eq(id)).first())!;
      expect(before.posts.map((p) => p.title)).toEqual(["five"]);
      db.add(Post, { authorId: id, title: "six" });
      await db.saveChanges();
      const after = (await db.from(User).include(User.posts).where(User.id.eq(id)).first())!;
      expect(after).not.toBe(before);
      expect(after.posts.map((p) => p.title).sort()).toEqual(["five", "six"]);
      // The snapshot read before is unchanged: it still shows what was loaded then.
      expect(before.posts.map((p) => p.title)).toEqual(["five"]);
    });

    it("two contexts never share an object", async () => {
      const id = await seedUser();
      await using one = new AppDb(t.database);
      await using two = new AppDb(t.database);
      const a = await one.find(User, id);
      const b = await two.find(User, id);
      expect(a).toEqual(b);
      expect(a).not.toBe(b);
    });

    it("no-tracking reads are deep-frozen snapshots", async () => {
      const id = await seedUser();
      await using db = new AppDb(t.database);
      const u = (await db.find(User, id))!;
      expect(Object.isFrozen(u)).toBe(true);
      expect(() => {
        (u as { name: string }).name = "changed";
      }).toThrow(TypeError);
      const withPosts = await db.from(User).include(User.posts).where(User.id.eq(id)).first();
      expect(Object.isFrozen(withPosts!.posts)).toBe(true);
    });
  });

  describe("change tracking and saveChanges", () => {
    it("inserts, and generated keys flow back into the entities", async () => {
      await using db = new AppDb(t.database);
      const a = db.add(User, { email: email(), name: "A" });
      const b = db.add(User, { email: email(), name: "B", bio: "hi" });
      expect(db.stateOf(a)).toBe("added");
      const r = await db.saveChanges();
      expect(r).toEqual({ inserted: 2, updated: 0, deleted: 0 });
      expect(a.id).toBeTypeOf("number");
      expect(b.id).toBe(a.id + 1);
      expect(a.version).toBe(1);
      expect(db.stateOf(a)).toBe("unchanged");
      expect(await db.find(User, a.id, { tracked: true })).toBe(a);
    });

    it("updates only the changed columns of tracked loads", async () => {
      const id = await seedUser("Before");
      await using db = new AppDb(t.database);
      const u = (await db.find(User, id, { tracked: true }))!;
      expect(db.stateOf(u)).toBe("unchanged");
      u.name = "After";
      expect(db.stateOf(u)).toBe("modified");
      events = [];
      expect(await db.saveChanges()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      const update = events.find((e) => e.operation === "update")!;
      expect(update.sql).toMatch(/set "name" = \$?\d*\??, "version" = "version" \+/i);
      expect(update.sql).not.toMatch(/"email"/);
      expect(u.version).toBe(2);
      await using other = new AppDb(t.database);
      expect(await other.find(User, id)).toMatchObject({ name: "After", version: 2 });
      // Nothing changed since: nothing is written.
      events = [];
      expect(await db.saveChanges()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
      expect(events).toEqual([]);
    });

    it("deletes tracked entities and forgets them", async () => {
      const id = await seedUser();
      await using db = new AppDb(t.database);
      const u = (await db.find(User, id, { tracked: true }))!;
      db.remove(u);
      expect(db.stateOf(u)).toBe("deleted");
      expect(await db.saveChanges()).toEqual({ inserted: 0, updated: 0, deleted: 1 });
      expect(db.stateOf(u)).toBe("detached");
      expect(await db.find(User, id)).toBeUndefined();
    });

    it("deleting a self-referencing parent and its child in one save deletes the child first (regression: false ORM_CONCURRENCY_CONFLICT)", async () => {
      const id = await seedUser("Thread starter");
      let rootId: number;
      let replyId: number;
      {
        await using db = new AppDb(t.database);
        const post = db.add(Post, { authorId: id, title: "Self-references" });
        const root = db.add(Comment, { post, text: "root" } as never);
        const reply = db.add(Comment, { post, parent: root, text: "reply" } as never);
        const nested = db.add(Comment, {
          post,
          parent: reply,
          text: "reply to the reply",
        } as never);
        await db.saveChanges();
        rootId = root.id;
        replyId = reply.id;
        expect(nested.parentId).toBe(reply.id);
      }
      await using db = new AppDb(t.database);
      const comments = await db
        .from(Comment)
        .tracked()
        .where(Comment.id.gte(rootId))
        .where(Comment.id.lte(replyId + 1))
        .orderBy(Comment.id)
        .all();
      expect(comments.map((c) => c.text)).toEqual(["root", "reply", "reply to the reply"]);
      // Parents first: deleting "root" first would cascade to the replies, and their own
      // deletes would then find no row.
      for (const c of comments) db.remove(c);
      events = [];
      expect(await db.saveChanges()).toEqual({ inserted: 0, updated: 0, deleted: 3 });
      expect(events.filter((e) => e.operation === "delete")).toHaveLength(3);
      expect(
        await db
          .from(Comment)
          .where(Comment.id.in([rootId, replyId]))
          .count(),
      ).toBe(0);
    });

    it("removing an added entity simply forgets it", async () => {
      await using db = new AppDb(t.database);
      const u = db.add(User, { email: email(), name: "gone" });
      db.remove(u);
      expect(db.stateOf(u)).toBe("detached");
      expect(await db.saveChanges()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it("orders inserts by foreign keys and links related new objects", async () => {
      await using db = new AppDb(t.database);
      // Added child first, parent second: the unit of work still inserts the parent first.
      const post = db.add(Post, { title: "Ordered", author: undefined as never, authorId: 0 });
      const author = db.add(User, { email: email(), name: "Parent" });
      (post as { author?: unknown }).author = author;
      const root = db.add(Comment, { post, text: "root" } as never);
      const reply = db.add(Comment, { post, parent: root, text: "reply" } as never);
      await db.saveChanges();
      expect(post.authorId).toBe(author.id);
      expect(root.postId).toBe(post.id);
      expect(reply.parentId).toBe(root.id);
      const inserts = events.filter((e) => e.operation === "insert").map((e) => e.sql);
      expect(inserts.findIndex((s) => s.includes('"users"'))).toBeLessThan(
        inserts.findIndex((s) => s.includes('"posts"')),
      );
    });

    it("batches inserts (1000 rows a statement) and keeps generated keys in entity order", async () => {
      await using db = new AppDb(t.database);
      const users = Array.from({ length: 1500 }, (_, i) =>
        db.add(User, { email: `batch${i}-${email()}`, name: `N${i}` }),
      );
      events = [];
      await db.saveChanges();
      const inserts = events.filter((e) => e.operation === "insert");
      expect(inserts).toHaveLength(2);
      for (let i = 1; i < users.length; i++) expect(users[i]!.id).toBe(users[i - 1]!.id + 1);
      const check = await db.find(User, users[777]!.id);
      expect(check?.name).toBe("N777");
    });

    it("saveChanges writes in one transaction: a failure writes nothing and keeps pending state", async () => {
      const taken = email();
      await using db = new AppDb(t.database);
      db.add(User, { email: taken, name: "first" });
      await db.saveChanges();
      const ok = db.add(User, { email: email(), name: "ok" });
      const dup = db.add(User, { email: taken, name: "dup" });
      const error = await db.saveChanges().catch((e: unknown) => e);
      expect(error).toEqual(code("ORM_UNIQUE_VIOLATION"));
      expect(ok.id).toBeUndefined();
      expect(db.stateOf(ok)).toBe("added");
      await using other = new AppDb(t.database);
      expect(await other.from(User).where(User.name.eq("ok")).count()).toBe(0);
      db.remove(dup);
      await db.saveChanges();
      expect(ok.id).toBeTypeOf("number");
    });

    it("attach() tracks a snapshot as a mutable copy", async () => {
      const id = await seedUser("Snap");
      await using db = new AppDb(t.database);
      const snap = (await db.find(User, id))!;
      const u = db.attach(User, snap);
      expect(u).not.toBe(snap);
      u.bio = "attached";
      await db.saveChanges();
      await using other = new AppDb(t.database);
      expect((await other.find(User, id))?.bio).toBe("attached");
    });

    it("a changed primary key is refused", async () => {
      const id = await seedUser();
      await using db = new AppDb(t.database);
      const u = (await db.find(User, id, { tracked: true }))!;
      u.id = id + 100000;
      await expect(db.saveChanges()).rejects.toEqual(code("ORM_ENTITY_STATE"));
    });

    it("add() rejects unknown properties and missing required columns", async () => {
      await using db = new AppDb(t.database);
      expect(() => db.add(User, { email: "x", name: "y", nope: 1 } as never)).toThrowError(
        code("ORM_ENTITY_STATE"),
      );
      expect(() => db.add(User, { email: "x" } as never)).toThrowError(/"name" is required/);
    });
  });

  describe("optimistic concurrency", () => {
    it("a lost update raises ORM_CONCURRENCY_CONFLICT naming the entity and key", async () => {
      const id = await seedUser();
      await using a = new AppDb(t.database);
      await using b = new AppDb(t.database);
      const ua = (await a.find(User, id, { tracked: true }))!;
      const ub = (await b.find(User, id, { tracked: true }))!;
      ua.name = "A wins";
      await a.saveChanges();
      ub.name = "B loses";
      const error = await b.saveChanges().catch((e: unknown) => e);
      expect(error).toEqual(code("ORM_CONCURRENCY_CONFLICT"));
      expect((error as Error).message).toContain(`users(id=${id})`);
      expect((error as { details: unknown }).details).toMatchObject({
        entity: "users",
        key: id,
        version: 1,
      });
      await using c = new AppDb(t.database);
      expect((await c.find(User, id))?.name).toBe("A wins");
    });

    it("deleting a row someone changed is a conflict too", async () => {
      const id = await seedUser();
      await using a = new AppDb(t.database);
      await using b = new AppDb(t.database);
      const ua = (await a.find(User, id, { tracked: true }))!;
      const snap = (await b.find(User, id))!;
      ua.bio = "changed";
      await a.saveChanges();
      b.remove(User, snap);
      await expect(b.saveChanges()).rejects.toEqual(code("ORM_CONCURRENCY_CONFLICT"));
    });
  });

  describe("transactions", () => {
    it("commits when the callback resolves and rolls back when it throws", async () => {
      await using db = new AppDb(t.database);
      const kept = email();
      const lost = email();
      await db.transaction(async (tx) => {
        tx.add(User, { email: kept, name: "kept" });
        await tx.saveChanges();
      });
      await expect(
        db.transaction(async (tx) => {
          tx.add(User, { email: lost, name: "lost" });
          await tx.saveChanges();
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      await using other = new AppDb(t.database);
      expect(await other.from(User).where(User.email.eq(kept)).count()).toBe(1);
      expect(await other.from(User).where(User.email.eq(lost)).count()).toBe(0);
    });

    it("nested transactions are savepoints", async () => {
      await using db = new AppDb(t.database);
      const outer = email();
      const inner = email();
      await db.transaction(async (tx) => {
        tx.add(User, { email: outer, name: "outer" });
        await tx.saveChanges();
        await expect(
          tx.transaction(async (tx2) => {
            tx2.add(User, { email: inner, name: "inner" });
            await tx2.saveChanges();
            throw new Error("inner fails");
          }),
        ).rejects.toThrow("inner fails");
      });
      expect(events.some((e) => /savepoint/i.test(e.sql))).toBe(true);
      await using other = new AppDb(t.database);
      expect(await other.from(User).where(User.email.eq(outer)).count()).toBe(1);
      expect(await other.from(User).where(User.email.eq(inner)).count()).toBe(0);
    });

    it("reads inside a transaction see its own writes", async () => {
      await using db = new AppDb(t.database);
      const e = email();
      await db.transaction(async (tx) => {
        tx.add(User, { email: e, name: "mine" });
        await tx.saveChanges();
        expect(await tx.from(User).where(User.email.eq(e)).count()).toBe(1);
        await using outsider = new AppDb(t.database);
        if (dialect === "postgres") {
          expect(await outsider.from(User).where(User.email.eq(e)).count()).toBe(0);
        }
      });
    });

    it("takes an isolation level: the transaction runs at that level", async () => {
      await using db = new AppDb(t.database);
      if (dialect === "postgres") {
        const setting = async (tx: AppDb, name: string) =>
          (
            await sql<Record<string, string>>`select current_setting(${name}) as v`.execute(
              tx.kysely,
            )
          ).rows[0]!.v;
        for (const level of ["read committed", "repeatable read", "serializable"] as const) {
          const effective = await db.transaction((tx) => setting(tx, "transaction_isolation"), {
            isolationLevel: level,
          });
          expect(effective).toBe(level);
        }
        expect(await db.transaction((tx) => setting(tx, "transaction_isolation"))).toBe(
          "read committed",
        );
        const readOnly = await db.transaction((tx) => setting(tx, "transaction_read_only"), {
          accessMode: "read only",
        });
        expect(readOnly).toBe("on");
      } else {
        // SQLite transactions are serializable whatever is asked; a writing one holds the write
        // lock from its first statement, so another connection cannot start writing meanwhile.
        const other = new Sqlite((t.options as { filename: string }).filename, { timeout: 0 });
        try {
          await db.transaction(
            async (tx) => {
              await tx.from(User).count();
              expect(() => other.exec("begin immediate")).toThrow(/database is locked/);
            },
            { isolationLevel: "serializable" },
          );
          other.exec("begin immediate");
          other.exec("rollback");
        } finally {
          other.close();
        }
      }
      await expect(
        db.transaction(async () => 1, { isolationLevel: "chaos" as never }),
      ).rejects.toEqual(code("ORM_INVALID_QUERY"));
    });

    it("a nested transaction cannot set its own isolation level or access mode: ORM_TRANSACTION_STATE", async () => {
      await using db = new AppDb(t.database);
      let ran = false;
      await db.transaction(async (tx) => {
        const error = await tx
          .transaction(
            async () => {
              ran = true;
            },
            { isolationLevel: "serializable" },
          )
          .catch((e: unknown) => e);
        expect(error).toEqual(code("ORM_TRANSACTION_STATE"));
        expect((error as Error).message).toMatch(
          /nested transaction is a savepoint .* cannot set isolationLevel "serializable"/,
        );
        await expect(tx.transaction(async () => {}, { accessMode: "read only" })).rejects.toEqual(
          code("ORM_TRANSACTION_STATE"),
        );
        // Without options, nesting is a savepoint as before, and the outer transaction goes on.
        expect(await tx.transaction(async (inner) => inner.from(User).count())).toBeGreaterThan(0);
      });
      expect(ran).toBe(false);
    });

    it("db.kysely runs inside the context's transaction", async () => {
      await using db = new AppDb(t.database);
      const e = email();
      await expect(
        db.transaction(async (tx) => {
          await tx.kysely
            .insertInto("users")
            .values({ email: e, name: "raw", version: 1 })
            .execute();
          expect(await tx.from(User).where(User.email.eq(e)).count()).toBe(1);
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(await db.from(User).where(User.email.eq(e)).count()).toBe(0);
    });
  });

  describe("read-only contexts", () => {
    it("reads through reader connections and refuses writes with ORM_READ_ONLY", async () => {
      const id = await seedUser("RO");
      await using ro = new Reports(t.database);
      expect((await ro.find(User, id))?.name).toBe("RO");
      const forced = ro as unknown as AppDb;
      expect(() => forced.add(User, { email: "x", name: "y" })).toThrowError(code("ORM_READ_ONLY"));
      await expect(forced.saveChanges()).rejects.toEqual(code("ORM_READ_ONLY"));
      expect(() => (ro.from(User) as unknown as { tracked(): unknown }).tracked()).toThrowError(
        code("ORM_READ_ONLY"),
      );
      // Even raw SQL cannot write through its connection.
      await expect(
        ro.kysely.insertInto("users").values({ email: email(), name: "x", version: 1 }).execute(),
      ).rejects.toEqual(code("ORM_READ_ONLY"));
    });
  });

  describe("streaming", () => {
    beforeAll(async () => {
      await using db = new AppDb(t.database);
      for (let i = 0; i < 1000; i++)
        db.add(User, { email: `stream${i}-${email()}`, name: "streamed" });
      await db.saveChanges();
    });

    it("streams a large result in batches without loading it all", async () => {
      await using db = new AppDb(t.database);
      let count = 0;
      let frozen = true;
      for await (const u of db
        .from(User)
        .where(User.name.eq("streamed"))
        .orderBy(User.id)
        .stream({ batchSize: 64 })) {
        count++;
        frozen &&= Object.isFrozen(u);
        if (count === 10) {
          // Other queries on the same context work while the stream is open.
          expect(await db.from(User).where(User.name.eq("streamed")).count()).toBe(1000);
        }
      }
      expect(count).toBe(1000);
      expect(frozen).toBe(true);
      expect(t.database.stats().inUse).toBeLessThanOrEqual(1);
      // One onQuery event for the whole stream, after its last row: 1000 rows in 16 fetches.
      const streamed = events.filter((e) => e.batches !== undefined);
      expect(streamed).toEqual([
        expect.objectContaining({ operation: "select", rows: 1000, batches: 16, error: undefined }),
      ]);
    });

    it("rows arrive before the whole result is read: breaking out early fetched one batch", async () => {
      await using db = new AppDb(t.database);
      const total = await db.from(User).where(User.name.eq("streamed")).count();
      expect(total).toBe(1000);
      events = [];
      let seen = 0;
      for await (const _ of db
        .from(User)
        .where(User.name.eq("streamed"))
        .orderBy(User.id)
        .stream({ batchSize: 64 })) {
        // The stream is still open: its event comes when the cursor closes.
        expect(events.filter((e) => e.batches !== undefined)).toEqual([]);
        if (++seen === 10) break;
      }
      // Only the first batch of 64 rows was ever read from the database, not the 1000.
      expect(events.filter((e) => e.batches !== undefined)).toEqual([
        expect.objectContaining({ rows: 64, batches: 1 }),
      ]);
    });

    it("Kysely's stream() runs through the same cursor and is measured too", async () => {
      await using db = new AppDb(t.database);
      events = [];
      let n = 0;
      for await (const row of db.kysely
        .selectFrom("users")
        .select(["id", "name"])
        .where("name", "=", "streamed")
        .stream(100)) {
        expect(row.name).toBe("streamed");
        n++;
      }
      expect(n).toBe(1000);
      expect(events.filter((e) => e.batches !== undefined)).toEqual([
        expect.objectContaining({ operation: "select", rows: 1000, batches: 10 }),
      ]);
    });

    it("breaking out of a stream returns its connection", async () => {
      await using db = new AppDb(t.database);
      for await (const _ of db.from(User).stream({ batchSize: 2 })) break;
      expect(t.database.stats().inUse).toBeLessThanOrEqual(1);
    });

    it("inside a transaction, other queries wait for the stream: ORM_CONNECTION_BUSY", async () => {
      await using db = new AppDb(t.database);
      await db.transaction(async (tx) => {
        const it = tx.from(User).stream({ batchSize: 1 })[Symbol.asyncIterator]();
        await it.next();
        await expect(tx.from(User).count()).rejects.toEqual(code("ORM_CONNECTION_BUSY"));
        await it.return?.();
        expect(await tx.from(User).count()).toBeGreaterThan(0);
      });
    });
  });
});
