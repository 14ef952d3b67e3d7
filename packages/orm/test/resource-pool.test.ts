// The pool under every connection pool, on plain items: what happens when the borrow-time check
// (PostgreSQL's `select 1`) fails or never answers. No database is needed to make a check hang.
import { describe, expect, it } from "vitest";
import { ResourcePool, type ResourcePoolOptions } from "../src/internal/resource-pool.ts";

interface Item {
  readonly id: number;
  /** How this item's check answers: true, false, or never. */
  check: "ok" | "fail" | "hang";
  closed: boolean;
}

const code = (c: string) => expect.objectContaining({ code: c });

/** A pool of items; `next` decides how each new item's check answers, `creates` can be held. */
function itemPool(options: Partial<ResourcePoolOptions<Item>> & { next?: Item["check"][] }) {
  let id = 0;
  const made: Item[] = [];
  const pool = new ResourcePool<Item>({
    name: "test pool",
    max: 1,
    min: 0,
    acquireTimeoutMs: 10_000,
    idleTimeoutMs: 0,
    create: async () => {
      const item: Item = { id: ++id, check: options.next?.shift() ?? "ok", closed: false };
      made.push(item);
      return item;
    },
    destroy: (item) => {
      item.closed = true;
    },
    validate: (item) =>
      item.check === "ok"
        ? true
        : item.check === "fail"
          ? Promise.resolve(false)
          : new Promise<boolean>(() => {}),
    ...options,
  });
  return { pool, made };
}

describe("ResourcePool: the deadline holds through the borrow-time check", () => {
  it("a check that never answers ends in ORM_POOL_TIMEOUT, and its item is closed, never lent", async () => {
    const { pool, made } = itemPool({});
    const first = await pool.acquire();
    first.check = "hang"; // it looks alive, but its next check will never answer
    pool.release(first);
    const error = await pool.acquire(undefined, 50).catch((e: unknown) => e);
    expect(error).toEqual(code("ORM_POOL_TIMEOUT"));
    expect((error as Error).message).toMatch(/waiting 1/);
    expect(first.closed).toBe(true);
    expect(pool.stats()).toMatchObject({ size: 0, inUse: 0, waiting: 0 });
    // The pool recovers: the next caller gets a new item.
    const next = await pool.acquire();
    expect(next.id).toBe(2);
    expect(made).toHaveLength(2);
    pool.release(next);
    await pool.drain();
  });

  it("a waiter put back in the queue after a failed check keeps its deadline (regression: it waited forever)", async () => {
    // The failed item is replaced by a new connection that never opens: the re-queued caller
    // must still get ORM_POOL_TIMEOUT at its original deadline.
    let create: ((item: Item) => void) | undefined;
    const { pool } = itemPool({
      create: () =>
        new Promise<Item>((resolve) => {
          create = resolve;
        }),
    });
    const first: Item = { id: 1, check: "ok", closed: false };
    create = undefined;
    const warming = pool.acquire();
    create!(first);
    expect(await warming).toBe(first);
    first.check = "fail";
    pool.release(first);
    create = undefined;
    const error = await pool.acquire(undefined, 50).catch((e: unknown) => e);
    expect(error).toEqual(code("ORM_POOL_TIMEOUT"));
    expect(first.closed).toBe(true);
    expect(create).toBeDefined(); // a replacement was being opened when time ran out
    expect(pool.stats()).toMatchObject({ inUse: 0, waiting: 0, pending: 1 });
    create!({ id: 2, check: "ok", closed: false });
    await pool.drain();
  });

  it("an abort during a hanging check ends the wait with ORM_ACQUIRE_ABORTED", async () => {
    const { pool } = itemPool({});
    const first = await pool.acquire();
    first.check = "hang";
    pool.release(first);
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal, 0);
    expect(pool.stats().waiting).toBe(1); // still waiting while its item is checked
    controller.abort(new Error("client went away"));
    await expect(waiting).rejects.toEqual(code("ORM_ACQUIRE_ABORTED"));
    expect(first.closed).toBe(true);
    expect(pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    await pool.drain();
  });

  it("an abort after a failed check still reaches the re-queued waiter", async () => {
    let create: ((item: Item) => void) | undefined;
    const { pool } = itemPool({
      create: () =>
        new Promise<Item>((resolve) => {
          create = resolve;
        }),
    });
    const warming = pool.acquire();
    const first: Item = { id: 1, check: "ok", closed: false };
    create!(first);
    await warming;
    first.check = "fail";
    pool.release(first);
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal, 0);
    // Let the failed check finish and the waiter go back in the queue.
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.closed).toBe(true);
    expect(pool.stats()).toMatchObject({ waiting: 1, pending: 1 });
    controller.abort();
    await expect(waiting).rejects.toEqual(code("ORM_ACQUIRE_ABORTED"));
    create!({ id: 2, check: "ok", closed: false });
    await pool.drain();
  });

  it("close() during a hanging check fails the waiter and does not wait for the check", async () => {
    const { pool } = itemPool({});
    const first = await pool.acquire();
    first.check = "hang";
    pool.release(first);
    const waiting = pool.acquire(undefined, 0);
    await pool.drain();
    await expect(waiting).rejects.toEqual(code("ORM_POOL_CLOSED"));
    expect(first.closed).toBe(true);
  });

  it("a check that passes lends the checked item", async () => {
    const { pool } = itemPool({});
    const first = await pool.acquire();
    pool.release(first);
    const again = await pool.acquire(undefined, 1000);
    expect(again).toBe(first);
    expect(first.closed).toBe(false);
    expect(pool.stats()).toMatchObject({ inUse: 1, waiting: 0 });
    pool.release(again);
    await pool.drain();
  });
});
