import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbContext } from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { User } from "./support/model.ts";
import { runRound, stressProvider } from "./support/stress-workload.ts";

// Runs in the `orm-leak` vitest project, whose workers start with --expose-gc.
const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

class AppDb extends DbContext {}

const MiB = 1024 * 1024;

describe.each(dialects)("ten rounds of the stress workload (%s)", (dialect) => {
  let t: TestDb;
  let seedId = 0;
  beforeAll(async () => {
    t = await openTestDb(dialect, "leak");
    await using db = new AppDb(t.database);
    const seed = db.add(User, { email: "seed@leak.test", name: "seed" });
    await db.saveChanges();
    seedId = seed.id;
  });
  afterAll(() => t.drop());

  it("heap after GC does not grow round over round", async () => {
    expect(gc, "run this file with node --expose-gc (the orm-leak vitest project does)").toBeTypeOf(
      "function",
    );
    const provider = stressProvider(t.database);
    const heaps: number[] = [];
    for (let round = 0; round < 10; round++) {
      const r = await runRound(provider, `leak${round}`, 200, seedId);
      expect(r.unexpected).toEqual([]);
      expect(r.failed).toHaveLength(20);
      expect(t.database.stats().inUse).toBe(0);
      heaps.push(heapAfterGc());
    }
    await provider.dispose();
    // Rounds 1-2 warm caches (compiled shapes, prepared statements, JIT); after that the heap must
    // stay flat. The bound is generous (GC timing and allocator noise), far below what keeping
    // 200 contexts' rows per round would cost.
    const baseline = heaps[2]!;
    const growth = heaps.slice(3).map((h) => h - baseline);
    expect(
      Math.max(...growth),
      `heap per round (MiB): ${heaps.map((h) => (h / MiB).toFixed(1)).join(", ")}`,
    ).toBeLessThan(8 * MiB);
    // And no steady climb: a context's worth of rows kept per request would be over 1 MiB a
    // round; the measured slope is tens of KiB (test-runner bookkeeping).
    const perRound = (heaps[9]! - heaps[3]!) / 6;
    expect(
      perRound,
      `heap per round (MiB): ${heaps.map((h) => (h / MiB).toFixed(2)).join(", ")}`,
    ).toBeLessThan(256 * 1024);
  });
});
