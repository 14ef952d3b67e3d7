import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbContext } from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { Post, User } from "./support/model.ts";

class AppDb extends DbContext {}

describe.each(dialects)("smoke (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect, "smoke");
  });
  afterAll(() => t.drop());

  it("adds, saves, finds, queries, includes", async () => {
    {
      await using db = new AppDb(t.database);
      const u = db.add(User, { email: "a@x.test", name: "Ada" });
      db.add(Post, { author: u, title: "Hello" });
      const r = await db.saveChanges();
      expect(r.inserted).toBe(2);
      expect(typeof u.id).toBe("number");
    }
    await using db = new AppDb(t.database);
    const u = await db.find(User, 1);
    expect(u?.name).toBe("Ada");
    expect(Object.isFrozen(u)).toBe(true);
    const list = await db.from(User).include(User.posts).all();
    expect(list[0]!.posts.map((p) => p.title)).toEqual(["Hello"]);
    const names = await db
      .from(User)
      .where(User.email.eq("a@x.test"))
      .select(User.id, User.name)
      .first();
    expect(names).toEqual({ id: 1, name: "Ada" });
    expect(await db.from(Post).count()).toBe(1);
  });
});
