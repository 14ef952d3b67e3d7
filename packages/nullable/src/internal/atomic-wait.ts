// The waiting loops behind AtomicNullable#waitFor and #waitForAsync. A waiter reads STATE,
// tests the caller's condition, raises WAITERS and sleeps while STATE still holds what it read.
// A writer changes STATE first and reads WAITERS second; the waiter raises WAITERS first and
// has Atomics.wait compare STATE second. All Atomics operations are sequentially consistent,
// so either the writer sees the waiter and notifies it, or the waiter sees the new STATE and
// does not sleep: no wake-up is lost. Spurious wake-ups only cost another check.
import { NullableError } from "../errors.ts";
import { STATE, WAITERS } from "./atomic-layout.ts";

/** Options every wait takes; see WaitOptions and WaitAsyncOptions in atomic-options.ts. */
export interface WaitSettings {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The slot being waited on: its views, a name for messages and its decoder. */
export interface WaitTarget<V> {
  readonly state: BigInt64Array;
  readonly words: Int32Array;
  readonly what: string;
  readonly decode: (state: bigint) => V;
}

function timeoutOf(settings: WaitSettings | undefined): number {
  const timeout = settings?.timeoutMs ?? Number.POSITIVE_INFINITY;
  if (typeof timeout !== "number" || !(timeout >= 0)) {
    throw new NullableError(
      "NULLABLE_INVALID_ARGUMENT",
      `timeoutMs must be a number of milliseconds >= 0 (or omitted to wait forever) but got ${String(timeout)}.`,
    );
  }
  return timeout;
}

function timedOut(what: string, timeoutMs: number): NullableError {
  return new NullableError(
    "NULLABLE_WAIT_TIMEOUT",
    `waited ${timeoutMs} ms on ${what} and the condition never held; raise timeoutMs or check that a writer stores the awaited value.`,
  );
}

/** Wakes the threads sleeping on STATE, if any registered; called after every write. */
export function wake(state: BigInt64Array, words: Int32Array): void {
  if (Atomics.load(words, WAITERS) !== 0) Atomics.notify(state, STATE);
}

/** Blocks the thread (Atomics.wait) until `until` accepts the value, and returns it. */
export function waitSync<V>(
  target: WaitTarget<V>,
  until: (value: V) => boolean,
  settings?: WaitSettings,
): V {
  const timeout = timeoutOf(settings);
  const deadline = performance.now() + timeout;
  const { state, words } = target;
  for (;;) {
    const seen = Atomics.load(state, STATE);
    const value = target.decode(seen);
    if (until(value)) return value;
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw timedOut(target.what, timeout);
    Atomics.add(words, WAITERS, 1);
    try {
      Atomics.wait(state, STATE, seen, remaining);
    } finally {
      Atomics.sub(words, WAITERS, 1);
    }
  }
}

/** Like waitSync, sleeping with Atomics.waitAsync so the event loop keeps running. */
export async function waitAsync<V>(
  target: WaitTarget<V>,
  until: (value: V) => boolean,
  settings?: WaitSettings,
): Promise<V> {
  const timeout = timeoutOf(settings);
  const deadline = performance.now() + timeout;
  const signal = settings?.signal;
  const { state, words } = target;
  for (;;) {
    if (signal?.aborted) {
      throw new NullableError("NULLABLE_WAIT_ABORTED", `waiting on ${target.what} was aborted.`, {
        cause: signal.reason,
      });
    }
    const seen = Atomics.load(state, STATE);
    const value = target.decode(seen);
    if (until(value)) return value;
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw timedOut(target.what, timeout);
    Atomics.add(words, WAITERS, 1);
    try {
      const result = Atomics.waitAsync(state, STATE, seen, remaining);
      if (result.async) {
        // An abort cannot cancel waitAsync, so it wakes the slot's sleepers instead; they all
        // re-check their condition and sleep again, so the extra wake-up is harmless.
        const onAbort = (): void => void Atomics.notify(state, STATE);
        signal?.addEventListener("abort", onAbort, { once: true });
        try {
          await result.value;
        } finally {
          signal?.removeEventListener("abort", onAbort);
        }
      }
    } finally {
      Atomics.sub(words, WAITERS, 1);
    }
  }
}
