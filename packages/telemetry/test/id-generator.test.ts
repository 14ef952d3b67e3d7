import { describe, expect, it } from "vitest";
import { createTelemetry } from "../src/index.ts";
import { PooledIdGenerator } from "../src/internal/pooled-id-generator.ts";

describe("PooledIdGenerator", () => {
  it("gives W3C-shaped ids, unique across pool refills", () => {
    const ids = new PooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      traces.add(ids.generateTraceId());
      spans.add(ids.generateSpanId());
    }
    expect(traces.size).toBe(20_000);
    expect(spans.size).toBe(20_000);
    for (const id of traces) expect(id).toMatch(/^[0-9a-f]{32}$/);
    for (const id of spans) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("skips all-zero ids, which W3C Trace Context treats as invalid", () => {
    let fills = 0;
    // The first pool is all zeros, the next one all 0xab.
    const ids = new PooledIdGenerator((bytes) => {
      bytes.fill(fills++ === 0 ? 0 : 0xab);
    });
    expect(ids.generateTraceId()).toBe("ab".repeat(16));
    expect(ids.generateSpanId()).toBe("ab".repeat(8));
  });

  it("is what the tracer uses: spans get valid, distinct ids", async () => {
    const t = createTelemetry({ tracing: { exporter: "memory" }, logging: { level: "silent" } });
    await t.withSpan("a", {}, () => {});
    await t.withSpan("b", {}, () => {});
    await t.flush();
    const [a, b] = t.memoryExporter!.spans.map((s) => s.spanContext());
    expect(a!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a!.traceId).not.toBe(b!.traceId);
    expect(a!.spanId).not.toBe(b!.spanId);
    await t.shutdown();
  });
});
