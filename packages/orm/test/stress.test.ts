import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbContext } from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { Post, User } from "./support/model.ts";
import { runRound, stressProvider } from "./support/stress-workload.ts";

class AppDb extends DbContext {}

describe.each(dialects)("200 concurrent requests, one in ten failing (%s)", (dialect) => {
  let t: TestDb;
  let seedId = 0;
  beforeAll(async () => {
    t = await openTestDb(dialect, "stress");
    await using db = new AppDb(t.database);
    const seed = db.add(User, { email: "seed@stress.test", name: "seed" });
    db.add(Post, { author: seed, title: "seed post" });
    await db.saveChanges();
    seedId = seed.id;
  });
  afterAll(() => t.drop());

  it("keeps contexts apart, returns every connection, never deadlocks, and keeps exactly the successful writes", async () => {
    const provider = stressProvider(t.database);
    const r = await runRound(provider, "round", 200, seedId);
    expect(r.unexpected).toEqual([]);
    expect(r.failed).toHaveLength(20);
    expect(r.succeeded).toHaveLength(180);

    // No object crossed contexts: every object belongs to exactly one request.
    const owner = new Map<object, number>();
    r.objectsByRequest.forEach((objects, i) => {
      for (const o of objects) {
        expect(owner.get(o) ?? i).toBe(i);
        owner.set(o, i);
      }
    });
    // Each request saw at least the seed user (find and include give the same object), the
    // seed's post and its own new user.
    expect(owner.size).toBeGreaterThanOrEqual(200 * 3);

    // Every connection is back in the pool.
    expect(t.database.stats()).toMatchObject({ inUse: 0, waiting: 0 });

    // The data is what the successful requests wrote, and nothing of the failed ones.
    await using db = new AppDb(t.database);
    const users = await db.from(User).where(User.email.like("round-%")).all();
    const written = users.map((u) => Number(u.name.replace("request ", ""))).sort((a, b) => a - b);
    expect(written).toEqual(r.succeeded.sort((a, b) => a - b));
    expect(
      users.every(
        (u) => u.bio === `updated by ${u.name.replace("request ", "")}` && u.version === 2,
      ),
    ).toBe(true);
    const posts = await db.from(Post).join(Post.author).where(User.email.like("round-%")).count();
    expect(posts).toBe(180);
    await provider.dispose();
  });
});
