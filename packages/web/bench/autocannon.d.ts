// The part of autocannon's API the benchmark uses (it ships no types).
declare module "autocannon" {
  interface Histogram {
    readonly average: number;
    readonly p99: number;
  }
  export interface Result {
    readonly requests: Histogram & { readonly total: number };
    readonly latency: Histogram;
    readonly non2xx: number;
    readonly errors: number;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    /** Send this many requests, then stop (instead of running for `duration`). */
    readonly amount?: number;
    readonly pipelining?: number;
  }
  /** A running job: emits `response` (client, status, bytes, latency in ms as a float). */
  interface Instance {
    on(
      event: "response",
      listener: (client: unknown, status: number, bytes: number, latencyMs: number) => void,
    ): Instance;
  }
  function autocannon(options: Options): Promise<Result>;
  function autocannon(
    options: Options,
    done: (error: Error | null, result: Result) => void,
  ): Instance;
  export default autocannon;
}
