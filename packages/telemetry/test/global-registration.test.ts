import { metrics as otelMetrics, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { createTelemetry, withSpan } from "../src/index.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    destination: {
      write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
    },
  };
}

// Its own file: it changes the process-wide OpenTelemetry globals.
describe("tracing.registerGlobal", () => {
  it("is off by default: nothing global changes", async () => {
    const t = createTelemetry({ logging: { level: "silent" }, tracing: { exporter: "memory" } });
    trace.getTracer("third-party").startSpan("not ours").end();
    await t.flush();
    expect(t.memoryExporter!.spans).toEqual([]);
    await t.shutdown();
  });

  it("lets third-party instrumentation report through the app, once per process", async () => {
    const first = createTelemetry({
      logging: { level: "silent" },
      tracing: { exporter: "memory", registerGlobal: true },
    });
    const out = capture();
    const second = createTelemetry({
      logging: { level: "warn", destination: out.destination },
      tracing: { exporter: "memory", registerGlobal: true },
    });
    expect(out.lines).toContainEqual(
      expect.objectContaining({ code: "TELEMETRY_INVALID_OPTIONS", level: 40 }),
    );

    trace.getTracer("third-party").startSpan("from a library").end();
    otelMetrics.getMeter("third-party").createCounter("lib.calls").add(2);
    await first.flush();
    expect(first.memoryExporter!.spans.map((s) => s.name)).toEqual(["from a library"]);
    expect((await first.metrics.exposition()).body).toContain("lib_calls_total 2");
    expect((await second.metrics.exposition()).body).not.toContain("lib_calls_total");

    await second.shutdown();
    await first.shutdown();
    // Stopping the app that registered the globals releases them.
    expect(withSpan("after", {}, (span) => span.isRecording())).toBe(false);
    const third = createTelemetry({
      logging: { level: "silent" },
      tracing: { exporter: "memory", registerGlobal: true },
    });
    trace.getTracer("third-party").startSpan("to the third").end();
    await third.flush();
    expect(third.memoryExporter!.spans.map((s) => s.name)).toEqual(["to the third"]);
    await third.shutdown();
  });
});
