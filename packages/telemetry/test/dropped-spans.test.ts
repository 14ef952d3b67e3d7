// The batch span processor drops spans beyond its queue and after shutdown without telling
// anyone. These tests stall a collector on purpose (an exporter that holds its callback until
// the test releases it), so the queue fills at a known span, without any clock.
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { type Counter, createTelemetry, type Telemetry } from "../src/index.ts";

/** A collector that accepts spans but answers only when released (or fails every export). */
class StalledExporter implements SpanExporter {
  readonly received: ReadableSpan[] = [];
  readonly #held: (() => void)[] = [];
  #open = false;
  readonly #fail: boolean;

  constructor(options: { fail?: boolean } = {}) {
    this.#fail = options.fail ?? false;
  }

  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode; error?: Error }) => void) {
    this.received.push(...spans);
    const answer = (): void =>
      done(
        this.#fail
          ? { code: ExportResultCode.FAILED, error: new Error("collector said 503") }
          : { code: ExportResultCode.SUCCESS },
      );
    if (this.#open || this.#fail) answer();
    else this.#held.push(answer);
  }

  release(): void {
    this.#open = true;
    for (const answer of this.#held.splice(0)) answer();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function setup(exporter: SpanExporter) {
  const logs: Record<string, unknown>[] = [];
  const t = createTelemetry({
    logging: {
      level: "warn",
      destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
    },
    tracing: { spanExporter: exporter, batch: { maxQueueSize: 4, maxExportBatchSize: 2 } },
  });
  const dropped = t.metrics.get("telemetry_spans_dropped_total") as Counter<"reason">;
  const warnings = () => logs.filter((l) => l.code === "TELEMETRY_SPANS_DROPPED");
  return { t, dropped, logs, warnings };
}

const endSpans = (t: Telemetry, from: number, to: number): void => {
  for (let i = from; i < to; i++) t.withSpan("job", { i }, () => {});
};

describe("spans the batch queue cannot hold", () => {
  it("are counted in telemetry_spans_dropped_total and warned about once, not lost silently", async () => {
    const exporter = new StalledExporter();
    const { t, dropped, warnings } = setup(exporter);
    // Spans 0-1 fill a batch and go to the (stalled) exporter; 2-5 fill the queue of 4;
    // 6-9 find it full.
    endSpans(t, 0, 10);
    expect(exporter.received.map((s) => s.attributes.i)).toEqual([0, 1]);
    expect(dropped.get({ reason: "queue_full" })).toBe(4);
    endSpans(t, 10, 13);
    expect(dropped.get({ reason: "queue_full" })).toBe(7);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.msg).toMatch(/queue_full.*tracing\.batch\.maxQueueSize/);

    exporter.release();
    await t.shutdown();
    // Every span that ended was either exported or counted: nothing went missing unseen.
    expect(exporter.received.map((s) => s.attributes.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(exporter.received.length + dropped.get({ reason: "queue_full" })).toBe(13);
    expect(dropped.get({ reason: "shutdown" })).toBe(0);
    expect(dropped.get({ reason: "export_failed" })).toBe(0);
  });

  it("shows up in the scrape", async () => {
    const exporter = new StalledExporter();
    const { t } = setup(exporter);
    endSpans(t, 0, 8);
    const { body } = await t.metrics.exposition();
    expect(body).toContain("# TYPE telemetry_spans_dropped_total counter");
    expect(body).toMatch(/^telemetry_spans_dropped_total\{reason="queue_full"\} 2$/m);
    exporter.release();
    await t.shutdown();
  });

  it("lets spans in again once the exporter catches up", async () => {
    const exporter = new StalledExporter();
    const { t, dropped } = setup(exporter);
    endSpans(t, 0, 7);
    expect(dropped.get({ reason: "queue_full" })).toBe(1);
    exporter.release();
    await t.flush();
    endSpans(t, 7, 9);
    await t.shutdown();
    expect(exporter.received.map((s) => s.attributes.i)).toEqual([0, 1, 2, 3, 4, 5, 7, 8]);
    expect(dropped.get({ reason: "queue_full" })).toBe(1);
  });

  it("counts a span that ends after shutdown, which the SDK would ignore", async () => {
    const exporter = new StalledExporter();
    exporter.release();
    const { t, dropped, warnings } = setup(exporter);
    const late = t.tracer.startSpan("still running at shutdown");
    await t.shutdown();
    late.end();
    expect(dropped.get({ reason: "shutdown" })).toBe(1);
    expect(exporter.received).toHaveLength(0);
    expect(warnings().map((w) => w.msg)).toEqual([expect.stringMatching(/\(shutdown\)/)]);
  });

  it("counts spans whose export failed", async () => {
    const exporter = new StalledExporter({ fail: true });
    const { t, dropped, logs, warnings } = setup(exporter);
    endSpans(t, 0, 3);
    await expect(t.flush()).rejects.toBeDefined();
    expect(dropped.get({ reason: "export_failed" })).toBe(3);
    // Failed exports have their own warning (TELEMETRY_EXPORT_FAILED).
    expect(logs.some((l) => l.code === "TELEMETRY_EXPORT_FAILED")).toBe(true);
    expect(warnings()).toHaveLength(0);
    await expect(t.shutdown()).resolves.toBeUndefined();
  });

  it("does not count unsampled spans, which are never recorded", async () => {
    const exporter = new StalledExporter();
    const t = createTelemetry({
      logging: { level: "silent" },
      tracing: {
        spanExporter: exporter,
        sampleRatio: 0,
        batch: { maxQueueSize: 1, maxExportBatchSize: 1 },
      },
    });
    endSpans(t, 0, 10);
    const dropped = t.metrics.get("telemetry_spans_dropped_total") as Counter<"reason">;
    expect(dropped.get({ reason: "queue_full" })).toBe(0);
    await t.shutdown();
  });
});
