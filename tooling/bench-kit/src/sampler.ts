/** One measurement of a side: operations per second plus any extra numbers (p99, bytes). */
export interface Measurement {
  readonly opsPerSec: number;
  readonly extra?: Readonly<Record<string, number>>;
}

/** Produces one measurement each time it is called; the comparison calls it once per round. */
export type Sampler = () => Promise<Measurement>;

/**
 * Times a workload for `timeMs`: calls `fn` in a loop (awaiting it when it returns a promise)
 * and reports operations per second. `opsPerCall` says how many operations one call does.
 */
export function timeSampler(
  fn: () => unknown,
  options: { readonly timeMs?: number; readonly opsPerCall?: number } = {},
): Sampler {
  const timeMs = options.timeMs ?? 250;
  const opsPerCall = options.opsPerCall ?? 1;
  return async () => {
    let calls = 0;
    const start = performance.now();
    const end = start + timeMs;
    let now = start;
    // Check the clock every `chunk` calls so cheap workloads are not dominated by timer reads.
    let chunk = 1;
    while (now < end) {
      for (let i = 0; i < chunk; i++) {
        const r = fn();
        if (r !== undefined && typeof (r as PromiseLike<unknown>).then === "function") await r;
      }
      calls += chunk;
      now = performance.now();
      if (now - start < timeMs / 20) chunk *= 2;
    }
    return { opsPerSec: (calls * opsPerCall * 1000) / (now - start) };
  };
}
