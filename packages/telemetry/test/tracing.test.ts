import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AlwaysOnSampler, type ReadableSpan, SamplingDecision } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTelemetry,
  extractTraceContext,
  injectTraceContext,
  type Telemetry,
  withSpan,
} from "../src/index.ts";
import { RateLimitedSampler } from "../src/internal/rate-limited-sampler.ts";
import { OwningTracer, tracerFor } from "../src/internal/span-tracers.ts";

const open: Telemetry[] = [];
function memoryTelemetry(sampleRatio = 1): Telemetry {
  const t = createTelemetry({
    serviceName: "test",
    logging: { level: "silent" },
    tracing: { exporter: "memory", sampleRatio },
  });
  open.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.shutdown()));
});

async function finished(t: Telemetry): Promise<ReadableSpan[]> {
  await t.flush();
  return [...t.memoryExporter!.spans];
}

const byName = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const s = spans.find((x) => x.name === name);
  if (!s) throw new Error(`no span ${name} in ${spans.map((x) => x.name).join(", ")}`);
  return s;
};

/** Resolves after `n` turns of the event loop, to interleave flows without timers. */
const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

describe("withSpan", () => {
  it("returns a sync function's result and ends the span", async () => {
    const t = memoryTelemetry();
    const result = t.withSpan("sync", { "app.answer": 42 }, (span) => {
      expect(span.isRecording()).toBe(true);
      return 42;
    });
    expect(result).toBe(42);
    const span = byName(await finished(t), "sync");
    expect(span.attributes["app.answer"]).toBe(42);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.ended).toBe(true);
  });

  it("returns an async function's result and ends the span when it settles", async () => {
    const t = memoryTelemetry();
    const result = await t.withSpan("async", undefined, async () => {
      await turns(2);
      return "done";
    });
    expect(result).toBe("done");
    expect(byName(await finished(t), "async").ended).toBe(true);
  });

  it("records a thrown error: exception event, error status, rethrown as is", async () => {
    const t = memoryTelemetry();
    const boom = new Error("boom");
    expect(() =>
      t.withSpan("sync-fail", {}, () => {
        throw boom;
      }),
    ).toThrow(boom);
    await expect(
      t.withSpan("async-fail", {}, async () => {
        await turns(1);
        throw new TypeError("async boom");
      }),
    ).rejects.toThrow(TypeError);
    const spans = await finished(t);
    for (const [name, message] of [
      ["sync-fail", "boom"],
      ["async-fail", "async boom"],
    ] as const) {
      const span = byName(spans, name);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message });
      const event = span.events.find((e) => e.name === "exception");
      expect(event?.attributes?.["exception.message"]).toBe(message);
    }
  });

  it("records a non-Error throw too", async () => {
    const t = memoryTelemetry();
    await expect(t.withSpan("string-fail", {}, () => Promise.reject("plain string"))).rejects.toBe(
      "plain string",
    );
    expect(byName(await finished(t), "string-fail").status.message).toBe("plain string");
  });

  it("sets the span kind and an explicit parent", async () => {
    const t = memoryTelemetry();
    const parent = extractTraceContext({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    t.withSpan("server", {}, () => {}, { kind: SpanKind.SERVER, parent });
    const span = byName(await finished(t), "server");
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(span.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(span.parentSpanContext?.isRemote).toBe(true);
  });
});

describe("the host's tracer", () => {
  it("startActiveSpan in all three forms activates the span for nested withSpan calls", async () => {
    const t = memoryTelemetry();
    const parent = extractTraceContext({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    t.tracer.startActiveSpan("plain", (span) => {
      withSpan("plain.child", {}, () => {});
      span.end();
    });
    await t.tracer.startActiveSpan("with-options", { kind: SpanKind.CONSUMER }, async (span) => {
      await withSpan("options.child", {}, () => turns(1));
      span.end();
    });
    t.tracer.startActiveSpan("with-context", {}, parent, (span) => span.end());
    const spans = await finished(t);
    expect(byName(spans, "plain.child").parentSpanContext?.spanId).toBe(
      byName(spans, "plain").spanContext().spanId,
    );
    expect(byName(spans, "options.child").parentSpanContext?.spanId).toBe(
      byName(spans, "with-options").spanContext().spanId,
    );
    expect(byName(spans, "with-options").kind).toBe(SpanKind.CONSUMER);
    expect(byName(spans, "with-context").parentSpanContext?.spanId).toBe("b7ad6b7169203331");
  });
});

describe("context across await", () => {
  it("keeps each flow's span through interleaved awaits", async () => {
    const t = memoryTelemetry();
    const seen: Record<string, string[]> = {};
    const flow = (name: string, steps: number) =>
      t.withSpan(name, {}, async (root) => {
        const mine = root.spanContext().spanId;
        seen[name] = [];
        for (let i = 0; i < steps; i++) {
          await turns(1 + (i % 3));
          seen[name].push(trace.getActiveSpan()!.spanContext().spanId === mine ? "ok" : "LEAK");
          await withSpan(`${name}.step${i}`, { step: i }, async () => {
            await turns(1);
          });
        }
      });
    await Promise.all([flow("a", 6), flow("b", 5), flow("c", 4)]);
    expect(seen).toEqual({
      a: Array(6).fill("ok"),
      b: Array(5).fill("ok"),
      c: Array(4).fill("ok"),
    });
    const spans = await finished(t);
    for (const [name, steps] of [
      ["a", 6],
      ["b", 5],
      ["c", 4],
    ] as const) {
      const root = byName(spans, name);
      expect(root.parentSpanContext).toBeUndefined();
      for (let i = 0; i < steps; i++) {
        const child = byName(spans, `${name}.step${i}`);
        expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
        expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
      }
    }
    expect(new Set(["a", "b", "c"].map((n) => byName(spans, n).spanContext().traceId)).size).toBe(
      3,
    );
  });

  it("nested free withSpan calls use the tracer of the enclosing span, per host", async () => {
    const one = memoryTelemetry();
    const two = memoryTelemetry();
    await Promise.all([
      one.withSpan("one.request", {}, async () => {
        await turns(2);
        await withSpan("one.query", {}, () => turns(1));
      }),
      two.withSpan("two.request", {}, async () => {
        await turns(1);
        await withSpan("two.query", {}, () => turns(2));
      }),
    ]);
    expect((await finished(one)).map((s) => s.name).sort()).toEqual(["one.query", "one.request"]);
    expect((await finished(two)).map((s) => s.name).sort()).toEqual(["two.query", "two.request"]);
  });
});

describe("spans started outside any span", () => {
  it("use the app's tracer when exactly one app with tracing runs in the process", async () => {
    const only = memoryTelemetry();
    await withSpan("background job", { job: "digest" }, async () => {
      await withSpan("step", {}, () => turns(1));
    });
    const spans = await finished(only);
    expect(spans.map((s) => s.name).sort()).toEqual(["background job", "step"]);
    expect(byName(spans, "step").parentSpanContext?.spanId).toBe(
      byName(spans, "background job").spanContext().spanId,
    );
  });

  it("are not guessed when several apps run: each app's t.withSpan stays explicit", async () => {
    const one = memoryTelemetry();
    const two = memoryTelemetry();
    withSpan("ambiguous", {}, () => {});
    two.withSpan("explicit", {}, () => {});
    expect(await finished(one)).toEqual([]);
    expect((await finished(two)).map((s) => s.name)).toEqual(["explicit"]);
  });

  it("stop going to an app once it is shut down", async () => {
    const t = memoryTelemetry();
    await t.shutdown();
    expect(withSpan("after", {}, (span) => span.isRecording())).toBe(false);
  });
});

describe("without an SDK", () => {
  it("withSpan only calls the function, with a non-recording span", async () => {
    const t = createTelemetry({ logging: { level: "silent" } });
    open.push(t);
    expect(t.tracingEnabled).toBe(false);
    expect(t.withSpan("x", {}, (span) => span.isRecording())).toBe(false);
    expect(await withSpan("y", {}, async () => "value")).toBe("value");
    expect(() =>
      withSpan("z", {}, () => {
        throw new Error("still thrown");
      }),
    ).toThrow("still thrown");
  });

  it("keeps propagating an incoming trace given as parent", () => {
    const parent = extractTraceContext({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    const headers = withSpan("no-sdk", {}, () => injectTraceContext({}), { parent });
    expect(headers).toEqual({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
  });
});

describe("sampling", () => {
  it("ratio 0 records no new trace but still gives ids to propagate", async () => {
    const t = memoryTelemetry(0);
    const headers = t.withSpan("unsampled", {}, () =>
      injectTraceContext<Record<string, string>>({}),
    );
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(await finished(t)).toEqual([]);
  });

  it("a sampled remote parent is followed even at ratio 0 (parent-based)", async () => {
    const t = memoryTelemetry(0);
    const parent = extractTraceContext({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    t.withSpan("child", {}, () => {}, { parent });
    expect((await finished(t)).map((s) => s.name)).toEqual(["child"]);
  });
});

describe("rate-limited sampling", () => {
  const always = new AlwaysOnSampler();
  const decide = (sampler: RateLimitedSampler) =>
    sampler.shouldSample(
      ROOT_CONTEXT,
      "0af7651916cd43dd8448eb211c80319c",
      "s",
      SpanKind.SERVER,
      {},
      [],
    ).decision;

  it("keeps at most perSecond new traces in each one-second window", () => {
    let now = 5_000;
    const sampler = new RateLimitedSampler(always, 3, () => now);
    const first = [1, 2, 3, 4, 5].map(() => decide(sampler));
    expect(first).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
      SamplingDecision.NOT_RECORD,
    ]);
    now += 999;
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    now += 1;
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it("counts only what the inner sampler keeps", () => {
    let keep = false;
    const sometimes = {
      shouldSample: () => ({
        decision: keep ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
      }),
      toString: () => "sometimes",
    };
    const sampler = new RateLimitedSampler(sometimes, 1, () => 0);
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    keep = true;
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    expect(sampler.toString()).toBe("RateLimited{1/s, sometimes}");
  });

  it("production caps new traces at 100 per second; children of a kept trace are all kept", async () => {
    const t = createTelemetry({
      env: "production",
      logging: { level: "silent" },
      tracing: { exporter: "memory", batch: { maxQueueSize: 10_000 } },
    });
    open.push(t);
    const started = performance.now();
    for (let i = 0; i < 300; i++) t.withSpan("root", {}, () => t.withSpan("child", {}, () => {}));
    // Each one-second window the loop touched may add 100; no assumption on how fast it ran.
    const windows = Math.floor((performance.now() - started) / 1000) + 1;
    const spans = await finished(t);
    const roots = spans.filter((s) => s.name === "root");
    expect(roots.length).toBeGreaterThanOrEqual(100);
    expect(roots.length).toBeLessThanOrEqual(Math.min(300, 100 * windows));
    const kept = new Set(roots.map((s) => s.spanContext().traceId));
    const children = spans.filter((s) => s.name === "child");
    expect(children).toHaveLength(roots.length);
    for (const c of children) expect(kept.has(c.spanContext().traceId)).toBe(true);
  });

  it("has no cap in development, or in production with tracesPerSecond: unlimited", async () => {
    for (const options of [
      { env: "development" },
      {
        env: "production",
        tracing: { exporter: "memory" as const, tracesPerSecond: "unlimited" as const },
      },
    ]) {
      const t = createTelemetry({
        logging: { level: "silent" },
        tracing: { exporter: "memory" },
        ...options,
      });
      open.push(t);
      for (let i = 0; i < 250; i++) t.withSpan("root", {}, () => {});
      expect(await finished(t)).toHaveLength(250);
    }
  });

  it("a sampled remote parent is followed past the cap (parent-based)", async () => {
    const t = createTelemetry({
      env: "production",
      logging: { level: "silent" },
      tracing: { exporter: "memory", tracesPerSecond: 1 },
    });
    open.push(t);
    t.withSpan("first", {}, () => {});
    t.withSpan("over the cap", {}, () => {});
    const parent = extractTraceContext({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    t.withSpan("remote child", {}, () => {}, { parent });
    expect((await finished(t)).map((s) => s.name).sort()).toEqual(
      expect.arrayContaining(["first", "remote child"]),
    );
    expect((await finished(t)).map((s) => s.name)).not.toContain("over the cap");
  });
});

describe("new traces over the cap", () => {
  it("get an unrecorded span with fresh valid ids, made without the SDK, and children still nest", async () => {
    const t = createTelemetry({
      env: "production",
      logging: { level: "silent" },
      tracing: { exporter: "memory", tracesPerSecond: 1 },
    });
    open.push(t);
    const first = t.tracer.startSpan("first");
    expect(first.isRecording()).toBe(true);
    first.end();
    const over = [0, 1, 2].map(() => t.tracer.startSpan("over", { kind: SpanKind.SERVER }));
    for (const span of over) {
      expect(span.isRecording()).toBe(false);
      const sc = span.spanContext();
      expect(trace.isSpanContextValid(sc)).toBe(true);
      expect(sc.traceFlags).toBe(0);
      expect(sc.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(sc.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(new Set(over.map((s) => s.spanContext().traceId)).size).toBe(3);
    // A child of an unrecorded span stays in its trace (and unrecorded), through the SDK.
    const child = t.tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, over[0]!));
    expect(child.spanContext().traceId).toBe(over[0]!.spanContext().traceId);
    expect(child.isRecording()).toBe(false);
    // A root span asked for explicitly is a new trace, also over the cap.
    const root = t.tracer.startSpan("root", { root: true }, trace.setSpan(ROOT_CONTEXT, first));
    expect(root.spanContext().traceId).not.toBe(first.spanContext().traceId);
    expect(root.isRecording()).toBe(false);
    expect((await finished(t)).map((s) => s.name)).toEqual(["first"]);
  });
});

describe("an unrecorded new trace's ids", () => {
  it("are drawn when first read, once: a request that never reads them costs no random bytes", () => {
    let drawn = 0;
    const ids = {
      generateTraceId: () => `${String(++drawn).padStart(2, "0")}${"a".repeat(30)}`,
      generateSpanId: () => `${String(++drawn).padStart(2, "0")}${"b".repeat(14)}`,
    };
    // A cap of zero traces a second: every new trace is over it.
    const cap = new RateLimitedSampler(new AlwaysOnSampler(), 0, () => 0);
    const inner = trace.getTracerProvider().getTracer("unused");
    const tracer = new OwningTracer(inner, cap, ids);
    const span = tracer.startSpan("GET /users/:id");
    span.setAttribute("http.response.status_code", 200).setStatus({ code: SpanStatusCode.OK });
    span.end();
    expect(span.isRecording()).toBe(false);
    expect(drawn).toBe(0);
    const sc = span.spanContext();
    expect(drawn).toBe(2);
    expect(span.spanContext()).toBe(sc);
    expect(sc).toEqual({
      traceId: `01${"a".repeat(30)}`,
      spanId: `02${"b".repeat(14)}`,
      traceFlags: 0,
    });
    // The span in a context is found again (withSpan keeps using this tracer under it).
    expect(trace.getSpan(trace.setSpan(ROOT_CONTEXT, span))).toBe(span);
    expect(tracerFor(trace.setSpan(ROOT_CONTEXT, span))).toBe(tracer);
  });
});

describe("W3C trace context", () => {
  it("injects the active span as traceparent and tracestate and extracts it back", async () => {
    const t = memoryTelemetry();
    const incoming = extractTraceContext({
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "vendor=opaque,other=1",
    });
    const outgoing = t.withSpan(
      "client",
      {},
      (span) => {
        const headers = injectTraceContext<Record<string, string>>({ accept: "json" });
        return { headers, spanId: span.spanContext().spanId };
      },
      { parent: incoming },
    );
    expect(outgoing.headers.accept).toBe("json");
    expect(outgoing.headers.traceparent).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${outgoing.spanId}-01`,
    );
    expect(outgoing.headers.tracestate).toBe("vendor=opaque,other=1");
    const back = trace.getSpanContext(extractTraceContext(outgoing.headers))!;
    expect(back.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(back.spanId).toBe(outgoing.spanId);
    expect(back.traceState?.get("vendor")).toBe("opaque");
  });

  it("reads fetch Headers, arrays and mixed-case names", () => {
    const fetchHeaders = new Headers({
      TraceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    expect(trace.getSpanContext(extractTraceContext(fetchHeaders))?.spanId).toBe(
      "00f067aa0ba902b7",
    );
    expect(
      trace.getSpanContext(
        extractTraceContext({
          Traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
        }),
      )?.traceFlags,
    ).toBe(0);
    const out = new Headers();
    withSpan("noop", {}, () => injectTraceContext(out), {
      parent: extractTraceContext(fetchHeaders),
    });
    expect(out.get("traceparent")).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  });

  it.each([
    ["garbage", "garbage"],
    ["wrong version", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["all-zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["short trace id", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01"],
    ["uppercase hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"],
    ["bad flags", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz"],
    ["empty", ""],
    ["huge", "0".repeat(100_000)],
  ])("a malformed traceparent (%s) is ignored: new trace, no error", async (_, value) => {
    const t = memoryTelemetry();
    const ctx = extractTraceContext({ traceparent: value, tracestate: "a=b" });
    expect(trace.getSpanContext(ctx)).toBeUndefined();
    t.withSpan("fresh", {}, () => {}, { parent: ctx });
    const span = byName(await finished(t), "fresh");
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("non-object headers are ignored too", () => {
    const active = context.active();
    expect(extractTraceContext(undefined as never)).toBe(active);
    expect(extractTraceContext(null as never)).toBe(active);
  });
});
