/** Bytes retained by what `build` returns, measured after forced GCs. */
export interface HeapSample {
  readonly retainedBytes: number;
}

const gc = (): void => {
  const fn = (globalThis as { gc?: () => void }).gc;
  if (!fn) throw new Error("memory measurement needs node --expose-gc");
  fn();
  fn();
};

/**
 * Measures the heap retained by the value `build` returns: heap after GC with the value alive
 * minus heap after GC before it was built. Needs `node --expose-gc`.
 */
export function measureRetainedBytes(build: () => unknown): HeapSample {
  gc();
  const before = process.memoryUsage().heapUsed;
  let keep: unknown = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  // Read the value after measuring so it cannot be collected early.
  if (keep === Symbol.for("never")) console.log(keep);
  keep = undefined;
  return { retainedBytes: Math.max(0, after - before) };
}
