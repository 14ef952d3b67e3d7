import type { Measurement, Sampler, Side } from "@dext/bench-kit";

/** `--quick` (or BENCH_QUICK=1) runs fewer, shorter rounds while developing. */
export const quick: boolean = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
export const rounds: number = quick ? 3 : 7;
export const timeMs: number = quick ? 100 : 300;

/** A seeded PRNG (mulberry32) so every run and every side sees the same workload. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInts(count: number, below: number, seed: number): Int32Array {
  const next = prng(seed);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.floor(next() * below);
  return out;
}

/**
 * A side whose every measurement also carries the retained bytes per element of the value
 * `build` returns (measured once, in setup, after forced GCs).
 */
export function withMemory(
  sample: Sampler,
  elements: number,
  build: () => unknown,
  measure: (build: () => unknown) => { retainedBytes: number },
): Side {
  let bytesPerElement = 0;
  return {
    setup: () => {
      bytesPerElement = measure(build).retainedBytes / elements;
    },
    sample: async (): Promise<Measurement> => ({
      opsPerSec: (await sample()).opsPerSec,
      extra: { bytesPerElement },
    }),
  };
}

/** Keeps a result observable so the JIT cannot drop the work that produced it. */
export let sink: unknown;
export const consume = (value: unknown): void => {
  sink = value;
};
