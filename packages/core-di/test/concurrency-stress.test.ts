import { describe, expect, it } from "vitest";
import { currentScope, runInScope, ServiceCollection, token } from "../src/index.ts";

// A seeded PRNG so every run interleaves the same (large) way.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FLOWS = 10_000;

describe("thread-safety under heavy load", () => {
  it("10,000 concurrent request-like flows each see only their own scoped instances", async () => {
    let singletons = 0;
    let nextId = 0;
    const disposals = new Map<number, number>();
    const created = new Set<number>();

    class Tracked {
      readonly id = ++nextId;
      constructor() {
        created.add(this.id);
      }
      async [Symbol.asyncDispose](): Promise<void> {
        await Promise.resolve();
        disposals.set(this.id, (disposals.get(this.id) ?? 0) + 1);
      }
    }
    class Clock {
      constructor() {
        singletons++;
      }
    }
    class Db extends Tracked {}
    class Repo extends Tracked {
      static readonly inject = [Db, Clock] as const;
      readonly db: Db;
      constructor(db: Db, _clock: Clock) {
        super();
        this.db = db;
      }
    }
    class Handler extends Tracked {
      static readonly inject = [Repo, Db] as const;
      readonly repo: Repo;
      readonly db: Db;
      constructor(repo: Repo, db: Db) {
        super();
        this.repo = repo;
        this.db = db;
      }
    }
    const RequestNo = token<{ n: number }>("RequestNo");
    const provider = new ServiceCollection()
      .addSingleton(Clock)
      .addScoped(Db)
      .addScoped(Repo)
      .addTransient(Handler)
      .addScoped(RequestNo, { useFactory: () => ({ n: -1 }) })
      .build();

    const rand = prng(42);
    const yieldRandomly = async (): Promise<void> => {
      const hops = Math.floor(rand() * 4);
      for (let i = 0; i < hops; i++) {
        if (rand() < 0.5) await Promise.resolve();
        else await new Promise((r) => setImmediate(r));
      }
    };
    const dbOwner = new Map<Db, number>();
    const violations: string[] = [];

    const flow = async (n: number): Promise<void> => {
      await using scope = provider.createScope();
      await runInScope(scope, async () => {
        await yieldRandomly();
        currentScope().resolve(RequestNo).n = n;
        const db = currentScope().resolve(Db);
        if (dbOwner.has(db)) violations.push(`flow ${n} got flow ${dbOwner.get(db)}'s Db`);
        dbOwner.set(db, n);
        for (let step = 0; step < 3; step++) {
          await yieldRandomly();
          const handler = currentScope().resolve(Handler);
          if (currentScope() !== scope) violations.push(`flow ${n} saw another scope`);
          if (
            handler.db !== db ||
            handler.repo.db !== db ||
            handler.repo !== currentScope().resolve(Repo)
          ) {
            violations.push(`flow ${n} step ${step} saw a foreign instance`);
          }
          if (currentScope().resolve(RequestNo).n !== n)
            violations.push(`flow ${n} saw another request`);
        }
      });
    };
    await Promise.all(Array.from({ length: FLOWS }, (_, n) => flow(n)));

    expect(violations).toEqual([]);
    expect(singletons).toBe(1);
    expect(dbOwner.size).toBe(FLOWS);
    // Per flow: one Db, one Repo, three transient Handlers; every one disposed exactly once.
    expect(created.size).toBe(FLOWS * 5);
    expect(disposals.size).toBe(created.size);
    expect([...disposals.values()].every((count) => count === 1)).toBe(true);
  });
});
