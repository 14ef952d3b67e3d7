// The part of autocannon's API the benchmark uses (it ships no types).
declare module "autocannon" {
  interface Histogram {
    readonly average: number;
    readonly p99: number;
  }
  interface Result {
    readonly requests: Histogram & { readonly total: number };
    readonly latency: Histogram;
    readonly non2xx: number;
    readonly errors: number;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    readonly pipelining?: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
