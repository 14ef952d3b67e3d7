// The batch span processor drops a finished span when its queue is full, and every span that
// ends after shutdown, telling no one (a debug line on the OpenTelemetry diag logger at most).
// CountingSpanProcessor sits in front of it and is the queue's gatekeeper: it counts the spans
// it lets in and the exporter side counts the spans handed to the exporter, so it knows the
// queue length exactly and drops (and counts) itself what the SDK would have dropped silently.
import type { Context } from "@opentelemetry/api";
import { TraceFlags } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { TelemetryError } from "../errors.ts";
import type { Metrics } from "../metrics/metrics.ts";

/** Why a finished span never reached the exporter. */
export type DropReason = "queue_full" | "shutdown" | "export_failed";

/** Where dropped spans are reported (a counter, a warning). */
export type OnSpansDropped = (reason: DropReason, count: number) => void;

/**
 * Shared between the processor in front of the batch processor and the exporter behind it.
 * The batch processor removes spans from its queue in the same synchronous step in which it
 * hands them to the exporter, so `admitted - handedOver` is its queue length.
 */
export class SpanQueueGauge {
  readonly capacity: number;
  #admitted = 0;
  #handedOver = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get queued(): number {
    return this.#admitted - this.#handedOver;
  }

  /** Counts a span into the queue, or tells that the queue is full. */
  admit(): boolean {
    if (this.queued >= this.capacity) return false;
    this.#admitted++;
    return true;
  }

  handedOver(count: number): void {
    this.#handedOver += count;
  }
}

/** A span processor that counts, instead of losing silently, what the batch processor drops. */
export class CountingSpanProcessor implements SpanProcessor {
  readonly #inner: SpanProcessor;
  readonly #gauge: SpanQueueGauge;
  readonly #onDropped: OnSpansDropped;
  #stopped = false;

  constructor(inner: SpanProcessor, gauge: SpanQueueGauge, onDropped: OnSpansDropped) {
    this.#inner = inner;
    this.#gauge = gauge;
    this.#onDropped = onDropped;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // Unsampled spans are never recorded, so they are not lost either.
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#stopped) {
      this.#onDropped("shutdown", 1);
      return;
    }
    if (!this.#gauge.admit()) {
      this.#onDropped("queue_full", 1);
      return;
    }
    this.#inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#stopped = true;
    return this.#inner.shutdown();
  }
}

/**
 * Counts spans that never reach the exporter in `telemetry_spans_dropped_total{reason}` and
 * warns the first time a reason occurs (failed exports warn on their own).
 */
export function spanDropCounter(
  metrics: Metrics,
  maxQueueSize: number | undefined,
  onProblem: (problem: TelemetryError) => void,
): OnSpansDropped {
  const counter = metrics.counter("telemetry_spans_dropped_total", {
    help: "Finished, sampled spans that were never exported, by reason: queue_full (the batch queue was full), shutdown (ended after telemetry shut down), export_failed (the exporter failed)",
    labelNames: ["reason"],
  });
  const warned = new Set<DropReason>(["export_failed"]);
  const advice: Readonly<Record<DropReason, string>> = {
    queue_full: `the batch queue holds ${maxQueueSize ?? 2048} spans (tracing.batch.maxQueueSize) and the exporter is not keeping up; raise the queue size, lower tracing.sampleRatio, or check the collector`,
    shutdown:
      "a span ended after telemetry shut down; stop work that creates spans before the host stops",
    export_failed: "",
  };
  return (reason, count) => {
    counter.inc({ reason }, count);
    if (warned.has(reason)) return;
    warned.add(reason);
    onProblem(
      new TelemetryError(
        "TELEMETRY_SPANS_DROPPED",
        `spans are being dropped (${reason}): ${advice[reason]}. Every dropped span is counted in telemetry_spans_dropped_total{reason="${reason}"}; this warning is logged once`,
      ),
    );
  };
}
