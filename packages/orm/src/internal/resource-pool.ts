import { OrmError } from "../errors.ts";
import type { PoolStats } from "../pool/connection-pool.ts";

export interface ResourcePoolOptions<T> {
  /** Shown in errors: `postgres pool`, `sqlite readers`. */
  readonly name: string;
  readonly max: number;
  readonly min: number;
  /** 0 waits forever (not recommended). */
  readonly acquireTimeoutMs: number;
  /** Idle connections above `min` older than this are closed by `evictIdle()`; 0 keeps them. */
  readonly idleTimeoutMs: number;
  create(): Promise<T>;
  destroy(item: T): void | Promise<void>;
  /** Checks an idle item before lending it; false or a throw replaces it. */
  validate?(item: T, idleMs: number): boolean | Promise<boolean>;
  /** True when an item is known dead (socket closed) and must not be lent. */
  isBroken?(item: T): boolean;
}

interface Waiter<T> {
  resolve(item: T): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /**
   * The item whose borrow-time check runs for this waiter. The waiter is out of the queue
   * then, but its deadline and abort listener stay armed: a check that hangs cannot make the
   * caller wait past its timeout.
   */
  checking: T | undefined;
}

/**
 * A bounded pool with a FIFO wait queue: acquire never hangs (timeout and AbortSignal), release
 * hands the item straight to the next waiter, drain waits for every lent item to come back.
 */
export class ResourcePool<T> {
  readonly #o: ResourcePoolOptions<T>;
  readonly #idle: T[] = [];
  readonly #idleSince: number[] = [];
  readonly #inUse = new Set<T>();
  #creating = 0;
  readonly #waiters: Waiter<T>[] = [];
  /** Waiters whose item is being checked before it is lent. */
  readonly #checking = new Set<Waiter<T>>();
  #closed = false;
  #drained: Promise<void> | undefined;
  #onEmpty: (() => void) | undefined;
  #evictTimer: NodeJS.Timeout | undefined;
  /** Failures creating items while nobody waited, newest last (for health answers). */
  lastCreateError: unknown;

  constructor(options: ResourcePoolOptions<T>) {
    this.#o = options;
    if (options.idleTimeoutMs > 0) {
      this.#evictTimer = setInterval(
        () => this.evictIdle(),
        Math.max(1000, Math.floor(options.idleTimeoutMs / 2)),
      );
      this.#evictTimer.unref();
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  stats(): PoolStats {
    return {
      size: this.#idle.length + this.#inUse.size,
      idle: this.#idle.length,
      inUse: this.#inUse.size,
      waiting: this.#waiters.length + this.#checking.size,
      pending: this.#creating,
      max: this.#o.max,
    };
  }

  describe(): string {
    const s = this.stats();
    return `${this.#o.name}: size ${s.size}/${s.max}, idle ${s.idle}, in use ${s.inUse}, waiting ${s.waiting}, connecting ${s.pending}`;
  }

  /** An idle item without waiting, or `undefined` (the synchronous fast path). */
  tryAcquire(): T | undefined {
    if (this.#waiters.length > 0 || this.#idle.length === 0 || this.#o.validate) return undefined;
    const item = this.#idle.pop()!;
    this.#idleSince.pop();
    if (this.#o.isBroken?.(item)) {
      void this.#destroy(item);
      return undefined;
    }
    this.#inUse.add(item);
    return item;
  }

  acquire(signal?: AbortSignal, timeoutMs: number = this.#o.acquireTimeoutMs): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (signal?.aborted) return Promise.reject(abortedError(this.#o.name, signal));
    const fast = this.tryAcquire();
    if (fast !== undefined) return Promise.resolve(fast);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
        checking: undefined,
      };
      if (timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          // The counters as the caller saw them, itself still counted among the waiting.
          const seen = this.describe();
          const stats = this.stats();
          if (this.#giveUp(waiter)) {
            reject(
              new OrmError(
                "ORM_POOL_TIMEOUT",
                `no connection became free within ${timeoutMs} ms (${seen}); raise the pool's max or acquireTimeoutMs, or find what holds connections (a context that is never disposed, a long transaction)`,
                { details: { pool: this.#o.name, timeoutMs, ...stats } },
              ),
            );
          }
        }, timeoutMs);
      }
      if (signal) {
        waiter.onAbort = () => {
          if (this.#giveUp(waiter)) reject(abortedError(this.#o.name, signal));
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  release(item: T, broken = false): void {
    if (!this.#inUse.delete(item)) return;
    if (broken || this.#closed || this.#o.isBroken?.(item)) {
      void this.#destroy(item);
      this.#pump();
      this.#checkEmpty();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined && !this.#o.validate) {
      this.#settle(waiter);
      this.#inUse.add(item);
      waiter.resolve(item);
      return;
    }
    if (waiter !== undefined) this.#waiters.unshift(waiter);
    this.#idle.push(item);
    this.#idleSince.push(performance.now());
    this.#pump();
  }

  /** Closes idle items (above `min`) idle longer than `idleTimeoutMs`; returns how many. */
  evictIdle(now: number = performance.now()): number {
    if (this.#o.idleTimeoutMs <= 0) return 0;
    let evicted = 0;
    // Oldest first: idle items are pushed at the end, so the front has waited longest.
    while (
      this.#idle.length > 0 &&
      this.#idle.length + this.#inUse.size > this.#o.min &&
      now - this.#idleSince[0]! >= this.#o.idleTimeoutMs
    ) {
      const item = this.#idle.shift()!;
      this.#idleSince.shift();
      void this.#destroy(item);
      evicted++;
    }
    return evicted;
  }

  /** Opens items until `min` are open. */
  async warm(): Promise<void> {
    const missing = this.#o.min - (this.#idle.length + this.#inUse.size + this.#creating);
    const made = await Promise.all(
      Array.from({ length: Math.max(0, missing) }, async () => {
        this.#creating++;
        try {
          return await this.#o.create();
        } finally {
          this.#creating--;
        }
      }),
    );
    for (const item of made) {
      this.#inUse.add(item);
      this.release(item);
    }
  }

  /** Refuses new acquires, fails the waiters, closes idle items and waits for lent ones. */
  drain(): Promise<void> {
    if (this.#drained) return this.#drained;
    this.#closed = true;
    if (this.#evictTimer) clearInterval(this.#evictTimer);
    for (const w of this.#waiters.splice(0)) {
      this.#settle(w);
      w.reject(this.#closedError());
    }
    for (const w of [...this.#checking]) {
      if (this.#giveUp(w)) w.reject(this.#closedError());
    }
    const idle = this.#idle.splice(0);
    this.#idleSince.length = 0;
    this.#drained = (async () => {
      await Promise.all(idle.map((i) => this.#destroy(i)));
      if (this.#inUse.size > 0 || this.#creating > 0) {
        await new Promise<void>((resolve) => {
          this.#onEmpty = resolve;
        });
      }
    })();
    return this.#drained;
  }

  /** Closes lent items too (after a drain deadline passed); their holders get errors. */
  async destroyInUse(): Promise<number> {
    const lent = [...this.#inUse];
    this.#inUse.clear();
    await Promise.all(lent.map((i) => this.#destroy(i)));
    this.#checkEmpty();
    return lent.length;
  }

  #closedError(): OrmError {
    return new OrmError(
      "ORM_POOL_CLOSED",
      `the ${this.#o.name} is closed (the database was closed or the host is stopping); no new connections are lent`,
    );
  }

  #checkEmpty(): void {
    if (this.#closed && this.#inUse.size === 0 && this.#creating === 0) this.#onEmpty?.();
  }

  /**
   * Ends a wait that timed out, was aborted or met a closing pool: takes the waiter out of the
   * queue, or abandons the item being checked for it (a check still running when the caller's
   * time is up is treated as failed: that item is closed, never lent). False when the waiter
   * was already served.
   */
  #giveUp(waiter: Waiter<T>): boolean {
    const item = waiter.checking;
    if (item !== undefined) {
      waiter.checking = undefined;
      this.#checking.delete(waiter);
      this.#settle(waiter);
      if (this.#inUse.delete(item)) void this.#destroy(item);
      this.#checkEmpty();
      this.#pump();
      return true;
    }
    const i = this.#waiters.indexOf(waiter);
    if (i === -1) return false;
    this.#waiters.splice(i, 1);
    this.#settle(waiter);
    return true;
  }

  #settle(waiter: Waiter<T>): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  async #destroy(item: T): Promise<void> {
    try {
      await this.#o.destroy(item);
    } catch {
      // A connection that fails to close is gone either way.
    }
  }

  #pump(): void {
    while (this.#waiters.length > 0 && this.#idle.length > 0) {
      const item = this.#idle.pop()!;
      const since = this.#idleSince.pop()!;
      const waiter = this.#waiters.shift()!;
      this.#inUse.add(item);
      if (!this.#o.validate && !this.#o.isBroken?.(item)) {
        this.#settle(waiter);
        waiter.resolve(item);
        continue;
      }
      this.#checkFor(waiter, item, performance.now() - since);
    }
    const open = this.#idle.length + this.#inUse.size + this.#creating;
    let room = this.#o.max - open;
    let needed = this.#waiters.length - this.#creating;
    while (room > 0 && needed > 0 && !this.#closed) {
      room--;
      needed--;
      this.#create();
    }
  }

  /**
   * Checks `item` before lending it to `waiter`. The waiter's timer and abort listener stay
   * armed the whole time, so the check is capped by what is left of the caller's timeout: when
   * it runs out first, `#giveUp` closes the item and the caller gets `ORM_POOL_TIMEOUT`.
   */
  #checkFor(waiter: Waiter<T>, item: T, idleMs: number): void {
    waiter.checking = item;
    this.#checking.add(waiter);
    void this.#check(item, idleMs).then((ok) => {
      // The caller gave up meanwhile: the item was closed then.
      if (waiter.checking !== item) return;
      waiter.checking = undefined;
      this.#checking.delete(waiter);
      if (ok) {
        this.#settle(waiter);
        waiter.resolve(item);
        return;
      }
      this.#inUse.delete(item);
      void this.#destroy(item);
      if (this.#closed) {
        this.#settle(waiter);
        this.#checkEmpty();
        waiter.reject(this.#closedError());
        return;
      }
      // Back at the front of the queue, its deadline and abort listener still armed.
      this.#waiters.unshift(waiter);
      this.#pump();
    });
  }

  async #check(item: T, idleMs: number): Promise<boolean> {
    if (this.#o.isBroken?.(item)) return false;
    if (!this.#o.validate) return true;
    try {
      return await this.#o.validate(item, idleMs);
    } catch {
      return false;
    }
  }

  #create(): void {
    this.#creating++;
    this.#o.create().then(
      (item) => {
        this.#creating--;
        if (this.#closed) {
          void this.#destroy(item);
          this.#checkEmpty();
          return;
        }
        const waiter = this.#waiters.shift();
        this.#inUse.add(item);
        if (waiter) {
          this.#settle(waiter);
          waiter.resolve(item);
        } else {
          this.release(item);
        }
      },
      (error: unknown) => {
        this.#creating--;
        this.lastCreateError = error;
        this.#checkEmpty();
        const waiter = this.#waiters.shift();
        if (waiter) {
          this.#settle(waiter);
          waiter.reject(
            error instanceof OrmError
              ? error
              : new OrmError(
                  "ORM_CONNECTION_FAILED",
                  `the ${this.#o.name} could not open a connection: ${error instanceof Error ? error.message : String(error)}`,
                  { cause: error },
                ),
          );
        }
      },
    );
  }
}

function abortedError(name: string, signal: AbortSignal): OrmError {
  return new OrmError(
    "ORM_ACQUIRE_ABORTED",
    `waiting for a connection from the ${name} was aborted${signal.reason instanceof Error ? `: ${signal.reason.message}` : ""}`,
    { cause: signal.reason },
  );
}
