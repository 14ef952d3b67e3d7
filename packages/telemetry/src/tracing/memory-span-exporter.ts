import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

/**
 * An in-memory span exporter for tests that, unlike the SDK's, keeps the spans after
 * shutdown, so a test can stop the host and then check that nothing was lost.
 *
 * @example
 * ```ts
 * const t = createTelemetry({ tracing: { exporter: "memory" } });
 * await t.withSpan("work", {}, () => {});
 * await t.shutdown();
 * t.memoryExporter!.spans; // [ReadableSpan "work"]
 * ```
 */
export class MemorySpanExporter implements SpanExporter {
  readonly #spans: ReadableSpan[] = [];
  #stopped = false;

  /** Every span exported so far, in export order. */
  get spans(): readonly ReadableSpan[] {
    return this.#spans;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("exporter is shut down") });
      return;
    }
    this.#spans.push(...spans);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  /** Forgets the spans exported so far. */
  reset(): void {
    this.#spans.length = 0;
  }

  shutdown(): Promise<void> {
    this.#stopped = true;
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
