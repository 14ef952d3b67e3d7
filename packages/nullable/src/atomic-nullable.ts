import type {
  AtomicInput,
  AtomicNullableOptions,
  AtomicValue,
  WaitAsyncOptions,
  WaitOptions,
} from "./atomic-options.ts";
import { decode, encode } from "./internal/atomic-codec.ts";
import {
  type AtomicKind,
  BYTES,
  claimSlot,
  kindCode,
  openSlot,
  type SlotViews,
  STATE,
  WAITERS,
} from "./internal/atomic-layout.ts";
import { type WaitTarget, waitAsync, waitSync, wake } from "./internal/atomic-wait.ts";
import { Nullable } from "./nullable.ts";

const isSome = (value: Nullable<unknown>): boolean => value.value !== undefined;

const unwrap = (input: unknown): unknown => (Nullable.isNullable(input) ? input.value : input);

/**
 * An optional int32, float64 or bigint64 shared between worker threads through a
 * `SharedArrayBuffer`. The value and its presence live in one 64-bit word, so every operation
 * is a single lock-free `Atomics` operation (no torn reads, no lost updates, nothing a
 * terminated worker can leave locked), and threads can sleep until a value arrives.
 *
 * @example
 * ```ts
 * const counter = AtomicNullable.int32(0);
 * new Worker(new URL("./worker.ts", import.meta.url), { workerData: counter.buffer });
 * // in worker.ts: const counter = AtomicNullable.attach(workerData, "int32");
 * counter.update((n) => n.map((x) => x + 1));
 * ```
 */
export class AtomicNullable<T extends number | bigint> {
  /** Bytes one slot takes in a buffer (16); slots start at multiples of 8. */
  static readonly byteLength: number = BYTES;

  /** The payload kind, recorded in the slot's header. */
  readonly kind: AtomicKind;
  /** The shared memory; send it to a worker and `attach` to it there. */
  readonly buffer: SharedArrayBuffer;
  /** Where the slot starts in `buffer`. */
  readonly byteOffset: number;

  readonly #state: BigInt64Array;
  readonly #words: Int32Array;
  readonly #code: number;
  readonly #target: WaitTarget<Nullable<T>>;

  private constructor(slot: SlotViews, kind: AtomicKind) {
    this.kind = kind;
    this.buffer = slot.state.buffer as SharedArrayBuffer;
    this.byteOffset = slot.state.byteOffset;
    this.#state = slot.state;
    this.#words = slot.words;
    this.#code = kindCode(kind);
    this.#target = {
      state: slot.state,
      words: slot.words,
      what: `the ${kind} AtomicNullable at byte ${this.byteOffset}`,
      decode: (state) => this.#decode(state),
    };
  }

  /**
   * Creates a slot of `kind`, in a new buffer or at `options.byteOffset` in `options.buffer`.
   * @example
   * ```ts
   * const total = AtomicNullable.create("bigint64", { initial: 0n });
   * ```
   */
  static create<K extends AtomicKind>(
    kind: K,
    options: AtomicNullableOptions<AtomicValue<K>> = {},
  ): AtomicNullable<AtomicValue<K>> {
    const code = kindCode(kind);
    const initial = encode(code, unwrap(options.initial));
    const buffer = options.buffer ?? new SharedArrayBuffer(BYTES);
    return new AtomicNullable(claimSlot(buffer, options.byteOffset ?? 0, code, initial), kind);
  }

  /**
   * A new int32 slot (integers from -2^31 to 2^31 - 1).
   * @example
   * ```ts
   * const workers = AtomicNullable.int32(0);
   * ```
   */
  static int32(initial?: AtomicInput<number>): AtomicNullable<number> {
    return AtomicNullable.create("int32", { initial });
  }

  /**
   * A new float64 slot (any number).
   * @example
   * ```ts
   * const progress = AtomicNullable.float64(); // none until a worker reports
   * ```
   */
  static float64(initial?: AtomicInput<number>): AtomicNullable<number> {
    return AtomicNullable.create("float64", { initial });
  }

  /**
   * A new bigint64 slot (bigints from -2^63 + 1 to 2^63 - 1; -2^63 stands for none).
   * @example
   * ```ts
   * const bytes = AtomicNullable.bigint64(0n);
   * ```
   */
  static bigint64(initial?: AtomicInput<bigint>): AtomicNullable<bigint> {
    return AtomicNullable.create("bigint64", { initial });
  }

  /**
   * Opens an existing slot, typically in a worker that received the buffer; checks the header.
   * @example
   * ```ts
   * const counter = AtomicNullable.attach(workerData.buffer, "int32");
   * ```
   */
  static attach(
    buffer: SharedArrayBuffer,
    kind: "int32" | "float64",
    byteOffset?: number,
  ): AtomicNullable<number>;
  static attach(
    buffer: SharedArrayBuffer,
    kind: "bigint64",
    byteOffset?: number,
  ): AtomicNullable<bigint>;
  static attach(
    buffer: SharedArrayBuffer,
    kind: AtomicKind,
    byteOffset = 0,
  ): AtomicNullable<number | bigint> {
    return new AtomicNullable(openSlot(buffer, byteOffset, kind), kind);
  }

  /** Threads currently sleeping on this slot in `waitFor` or `waitForAsync`. */
  get waiting(): number {
    return Atomics.load(this.#words, WAITERS);
  }

  /**
   * The current value, one atomic read.
   * @example
   * ```ts
   * counter.load().getOrElse(0);
   * ```
   */
  load(): Nullable<T> {
    return this.#decode(Atomics.load(this.#state, STATE));
  }

  /**
   * Replaces the value; `null`, `undefined` or none clear it.
   * @example
   * ```ts
   * progress.store(0.5);
   * ```
   */
  store(value: AtomicInput<T>): void {
    Atomics.store(this.#state, STATE, encode(this.#code, unwrap(value)));
    wake(this.#state, this.#words);
  }

  /**
   * Makes the slot none.
   * @example
   * ```ts
   * progress.clear();
   * ```
   */
  clear(): void {
    this.store(null);
  }

  /**
   * Replaces the value and returns the one it replaced, atomically.
   * @example
   * ```ts
   * const pending = inbox.exchange(null); // take the value, leave none
   * ```
   */
  exchange(value: AtomicInput<T>): Nullable<T> {
    const previous = Atomics.exchange(this.#state, STATE, encode(this.#code, unwrap(value)));
    wake(this.#state, this.#words);
    return this.#decode(previous);
  }

  /**
   * Stores `next` only if the slot still holds `expected` (none matches none; numbers match
   * by `Object.is`, so NaN matches NaN and 0 does not match -0); tells whether it did.
   * @example
   * ```ts
   * while (!counter.compareAndSet(seen, seen.map((n) => n + 1))) seen = counter.load();
   * ```
   */
  compareAndSet(expected: AtomicInput<T>, next: AtomicInput<T>): boolean {
    const want = encode(this.#code, unwrap(expected));
    const put = encode(this.#code, unwrap(next));
    if (Atomics.compareExchange(this.#state, STATE, want, put) !== want) return false;
    if (put !== want) wake(this.#state, this.#words);
    return true;
  }

  /**
   * Applies `f` to the current value with a compare-and-set loop (retrying when another
   * thread wrote in between) and returns the value stored. `f` may run more than once.
   * @example
   * ```ts
   * counter.update((n) => n.map((x) => x + 1));
   * ```
   */
  update(f: (current: Nullable<T>) => AtomicInput<T>): Nullable<T> {
    const state = this.#state;
    const code = this.#code;
    for (;;) {
      const seen = Atomics.load(state, STATE);
      const put = encode(code, unwrap(f(this.#decode(seen))));
      if (Atomics.compareExchange(state, STATE, seen, put) === seen) {
        if (put !== seen) wake(state, this.#words);
        return this.#decode(put);
      }
    }
  }

  /**
   * Blocks the calling thread until `until(value)` holds (by default: until a value is
   * present) and returns that value. Sleeps with `Atomics.wait`, woken by every write.
   * @example
   * ```ts
   * const port = ready.waitFor(undefined, { timeoutMs: 5_000 }).getOrThrow("port");
   * ```
   */
  waitFor(until: (value: Nullable<T>) => boolean = isSome, options?: WaitOptions): Nullable<T> {
    return waitSync(this.#target, until, options);
  }

  /**
   * Like `waitFor` without blocking the event loop (`Atomics.waitAsync`): for the main thread.
   * @example
   * ```ts
   * const result = await done.waitForAsync((n) => n.isSome(), { signal: AbortSignal.timeout(1000) });
   * ```
   */
  waitForAsync(
    until: (value: Nullable<T>) => boolean = isSome,
    options?: WaitAsyncOptions,
  ): Promise<Nullable<T>> {
    return waitAsync(this.#target, until, options);
  }

  #decode(state: bigint): Nullable<T> {
    const value = decode(this.#code, state);
    return value === undefined ? Nullable.none() : Nullable.of(value as T);
  }
}
