import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import { type Sampler, SamplingDecision, type SamplingResult } from "@opentelemetry/sdk-trace";

const DROP: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

/**
 * Samples what `inner` samples, but at most `perSecond` new traces in each one-second window
 * (a fixed window, like Datadog's default of 100 traces per second). Under low traffic every
 * trace `inner` keeps is recorded; under high traffic tracing costs a bounded amount, while
 * the metrics still see every request. Sits under `ParentBased`, so it only decides for new
 * traces; spans of a sampled trace are always kept.
 */
export class RateLimitedSampler implements Sampler {
  readonly #inner: Sampler;
  readonly #perSecond: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #taken = 0;

  /** `now` gives milliseconds (tests pass a clock they control). */
  constructor(inner: Sampler, perSecond: number, now: () => number = () => performance.now()) {
    this.#inner = inner;
    this.#perSecond = perSecond;
    this.#now = now;
  }

  /**
   * Whether this second's budget is spent: every new trace would be dropped now, whatever the
   * inner sampler says. The tracer asks first and, when it is, makes the unrecorded root span
   * itself instead of going through the SDK (most requests under load).
   */
  full(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#taken = 0;
    }
    return this.#taken >= this.#perSecond;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (this.full()) return DROP;
    const result = this.#inner.shouldSample(
      context,
      traceId,
      spanName,
      spanKind,
      attributes,
      links,
    );
    if (result.decision !== SamplingDecision.NOT_RECORD) this.#taken++;
    return result;
  }

  toString(): string {
    return `RateLimited{${this.#perSecond}/s, ${this.#inner.toString()}}`;
  }
}
