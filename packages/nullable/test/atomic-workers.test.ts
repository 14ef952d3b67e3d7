// AtomicNullable under real worker_threads. Every loop ends on a count, never on a clock, so
// these tests pass or fail the same way on a slow or busy machine.
import { setImmediate as nextTurn } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { type AtomicKind, AtomicNullable } from "../src/index.ts";
import type { HammerTask } from "./fixtures/atomic-worker.ts";
import { SEEN_TARGET } from "./fixtures/hammer-control.ts";
import { runWorkers, startWorker } from "./fixtures/start-workers.ts";

const WORKERS = 4;
// Enough increments that the workers, released together by the start barrier, overlap for many
// scheduler time slices even on a busy 2-core machine.
const ITERATIONS = 200_000;
const kinds: readonly AtomicKind[] = ["int32", "float64", "bigint64"];

const zero = (kind: AtomicKind) => (kind === "bigint64" ? 0n : 0);
const slotOf = (kind: AtomicKind) =>
  AtomicNullable.create(kind, { initial: zero(kind) }) as AtomicNullable<number | bigint>;
const sum = (values: readonly (number | undefined)[]): number =>
  values.reduce<number>((total, v) => total + (v ?? 0), 0);

async function untilWaiting(slot: AtomicNullable<number | bigint>, count: number): Promise<void> {
  // Waits for a condition (the workers registered as sleepers), not for a duration.
  while (slot.waiting < count) await nextTurn();
}

function hammer(mode: HammerTask["mode"], kind: AtomicKind, slot: AtomicNullable<number | bigint>) {
  return runWorkers(
    Array.from({ length: WORKERS }, (_, id) => ({
      mode,
      buffer: slot.buffer,
      kind,
      id,
      iterations: ITERATIONS,
    })),
  );
}

describe.each(kinds)("%s slot hammered by worker threads", (kind) => {
  it("loses no update: compare-and-set increments add up exactly, under real contention", async () => {
    const slot = slotOf(kind);
    const results = await hammer("cas-increment", kind, slot);
    expect(Number(slot.load().getOrThrow())).toBe(WORKERS * ITERATIONS);
    // Failed compare-and-sets prove the threads wrote the slot at the same time.
    expect(sum(results.map((r) => r.casFailures))).toBeGreaterThan(0);
  });

  it("loses no update through update(), which retried when another thread wrote first", async () => {
    const slot = slotOf(kind);
    const results = await hammer("update-increment", kind, slot);
    expect(Number(slot.load().getOrThrow())).toBe(WORKERS * ITERATIONS);
    expect(sum(results.map((r) => r.retries))).toBeGreaterThan(0);
  });

  it("negative control: the same harness catches lost updates from load-then-store", async () => {
    // Increments written as store(load() + 1) instead of a compare-and-set must lose some,
    // or the tests above could not have caught a lost update either.
    const slot = slotOf(kind);
    await hammer("load-store-increment", kind, slot);
    const total = Number(slot.load().getOrThrow());
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(WORKERS * ITERATIONS);
  });

  it("exchange neither loses nor duplicates a value: what came out plus what is left is what went in", async () => {
    const slot = AtomicNullable.create(kind) as AtomicNullable<number | bigint>;
    const results = await hammer("exchange", kind, slot);
    const tokens = WORKERS * ITERATIONS;
    const wentIn = (tokens * (tokens + 1)) / 2;
    expect(sum(results.map((r) => r.received)) + Number(slot.load().getOrThrow())).toBe(wentIn);
    // Workers took out tokens other workers had put in: their exchanges interleaved.
    expect(sum(results.map((r) => r.fromOthers))).toBeGreaterThan(0);
  });

  it("never shows a torn value: readers running beside the writers only see whole writes", async () => {
    const slot = AtomicNullable.create(kind) as AtomicNullable<number | bigint>;
    const writers = 2;
    const readers = 2;
    // One run, one barrier: readers and writers start together, readers stop when every
    // writer has finished (the readers' `iterations` is the number of writers to wait for),
    // and a writer finishes only once every reader has loaded its values SEEN_TARGET times.
    const results = await runWorkers([
      ...Array.from({ length: writers }, (_, id) => ({
        mode: "write-pattern" as const,
        buffer: slot.buffer,
        kind,
        id,
        iterations: ITERATIONS,
        readers,
      })),
      ...Array.from({ length: readers }, (_, reader) => ({
        mode: "read-check" as const,
        buffer: slot.buffer,
        kind,
        id: 100 + reader,
        reader,
        iterations: writers,
      })),
    ]);
    for (const w of results.filter((r) => r.writes !== undefined)) {
      expect(w.writes).toBeGreaterThanOrEqual(ITERATIONS);
    }
    const readResults = results.filter((r) => r.reads !== undefined);
    expect(readResults).toHaveLength(readers);
    for (const r of readResults) {
      expect(r.firstTorn).toBeUndefined();
      expect(r.torn).toBe(0);
      // Each reader loaded whole values of every writer, at least SEEN_TARGET times each,
      // while that writer was still running (a writer finishes only once every reader has),
      // so the slot changed under the readers.
      expect(r.writersSeen).toEqual([0, 1]);
      for (const n of r.readsPerWriter!) expect(n).toBeGreaterThanOrEqual(SEEN_TARGET);
      expect(r.changes).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("waitFor across threads", () => {
  it("wakes a worker blocked in waitFor when the main thread stores", async () => {
    const slot = AtomicNullable.int32();
    const waiter = startWorker({
      mode: "wait",
      buffer: slot.buffer,
      kind: "int32",
      id: 1,
      iterations: 0,
    });
    await untilWaiting(slot, 1);
    slot.store(42);
    expect((await waiter.result).waitedFor).toBe("Nullable.of(42)");
    expect(slot.waiting).toBe(0);
  });

  it("keeps a worker asleep through writes that do not meet its condition", async () => {
    const slot = AtomicNullable.float64(0);
    const waiter = startWorker({
      mode: "wait",
      buffer: slot.buffer,
      kind: "float64",
      id: 1,
      iterations: 0,
      atLeast: 3,
    });
    await untilWaiting(slot, 1);
    slot.store(1);
    slot.clear();
    slot.store(2);
    slot.store(3.5);
    expect((await waiter.result).waitedFor).toBe("Nullable.of(3.5)");
  });

  it("wakes every sleeping worker with one store", async () => {
    const slot = AtomicNullable.bigint64();
    const waiters = Array.from({ length: 3 }, (_, id) =>
      startWorker({ mode: "wait", buffer: slot.buffer, kind: "bigint64", id, iterations: 0 }),
    );
    await untilWaiting(slot, 3);
    slot.store(7n);
    const results = await Promise.all(waiters.map((w) => w.result));
    expect(results.map((r) => r.waitedFor)).toEqual([
      "Nullable.of(7n)",
      "Nullable.of(7n)",
      "Nullable.of(7n)",
    ]);
  });

  it("waitForAsync keeps the main thread free and resolves on a worker's writes", async () => {
    const slot = AtomicNullable.int32(0);
    // Called before the writers exist: if it blocked the thread, they could never start.
    const done = slot.waitForAsync((n) => n.getOrElse(0) === WORKERS * 100);
    await runWorkers(
      Array.from({ length: WORKERS }, (_, id) => ({
        mode: "cas-increment" as const,
        buffer: slot.buffer,
        kind: "int32" as const,
        id,
        iterations: 100,
      })),
    );
    expect((await done).value).toBe(WORKERS * 100);
  });
});

describe("terminated writers", () => {
  // Regression: an earlier design serialised writers with a lock word, and worker.terminate()
  // landing inside a write left it locked, hanging every later reader and writer for good.
  it("a worker terminated in the middle of writing never leaves the slot unusable", async () => {
    const slot = AtomicNullable.float64(0);
    for (let run = 0; run < 8; run++) {
      const progress = new SharedArrayBuffer(4);
      const writer = new Worker(new URL("./fixtures/endless-writer.ts", import.meta.url), {
        workerData: { buffer: slot.buffer, progress },
      });
      const written = new Int32Array(progress);
      // Stop it at different depths: early (interpreted code) and later (optimised code).
      while (Atomics.load(written, 0) < 1 + run * 500) await nextTurn();
      await writer.terminate();
      slot.store(run);
      expect(slot.compareAndSet(run, run + 0.5)).toBe(true);
      expect(slot.update((n) => n.map((x) => x * 2)).value).toBe(2 * run + 1);
    }
    const results = await runWorkers(
      Array.from({ length: 2 }, (_, id) => ({
        mode: "cas-increment" as const,
        buffer: slot.buffer,
        kind: "float64" as const,
        id,
        iterations: 100,
      })),
    );
    expect(results).toHaveLength(2);
    expect(slot.load().value).toBe(15 + 200);
  });
});
