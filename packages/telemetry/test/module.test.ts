import { ConfigError, createHost, defineModule, type Host, LoggerToken } from "@dext/core-di";
import { afterEach, describe, expect, it } from "vitest";
import {
  MeterToken,
  MetricsToken,
  TelemetryToken,
  TracerToken,
  telemetry,
  withSpan,
} from "../src/index.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    destination: {
      write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
    },
  };
}

const hosts: Host[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop().catch(() => {})));
});

function host(config: Record<string, unknown>, modules = [telemetry()]): Host {
  const h = createHost({ modules, config });
  hosts.push(h);
  return h;
}

describe("the telemetry module", () => {
  it("registers the logger under core-di's LoggerToken, and the host logs through it", async () => {
    const { lines, destination } = capture();
    const h = host({ telemetry: { serviceName: "forum", logging: { level: "info" } } }, [
      telemetry({ logging: { destination } }),
    ]);
    await h.start();
    const logger = h.services.resolve(LoggerToken);
    logger.info({ userId: 7 }, "hello");
    expect(lines).toContainEqual(
      expect.objectContaining({ name: "dext.host", msg: "host running", service: "forum" }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ userId: 7, msg: "hello", level: 30 }));
    expect(h.services.resolve(TelemetryToken).logger).toBe(logger);
  });

  it("registers the tracer, the metrics registry, the meter and the telemetry", async () => {
    const h = host({
      telemetry: { logging: { level: "silent" }, tracing: { exporter: "memory" } },
    });
    await h.start();
    const t = h.services.resolve(TelemetryToken);
    expect(h.services.resolve(TracerToken)).toBe(t.tracer);
    expect(h.services.resolve(MetricsToken)).toBe(t.metrics);
    expect(h.services.resolve(MeterToken)).toBe(t.meter);
    expect(t.metrics.get("http_requests_total")).toBe(t.http.requestsTotal);
    expect(t.metrics.get("db_query_duration_seconds")).toBe(t.db.queryDuration);
    // The registered tracer is the host's own: spans it starts reach this host's exporter.
    h.services.resolve(TracerToken).startSpan("direct").end();
    await t.flush();
    expect(t.memoryExporter!.spans.map((s) => s.name)).toEqual(["direct"]);
  });

  it("lets other modules use telemetry from their own start()", async () => {
    const seen: string[] = [];
    const consumer = defineModule({
      name: "consumer",
      requires: ["telemetry"],
      register() {},
      start(h) {
        const t = h.services.resolve(TelemetryToken);
        t.metrics.counter("consumer_started_total", { help: "starts" }).inc();
        withSpan("consumer.start", {}, () => seen.push("ran"));
      },
    });
    const h = host({ telemetry: { logging: { level: "silent" } } }, [consumer, telemetry()]);
    await h.start();
    expect(seen).toEqual(["ran"]);
    const body = (await h.services.resolve(MetricsToken).exposition()).body;
    expect(body).toContain("consumer_started_total 1");
  });

  it("validates its config section and names every bad key", () => {
    let error: unknown;
    try {
      host({
        telemetry: {
          tracing: {
            exporter: "zipkin",
            sampleRatio: 2,
            tracesPerSecond: 0,
            otlp: { url: "not a url" },
          },
          metrics: { maxCardinality: -1 },
          logging: { level: "loud" },
          surprise: true,
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    const message = (error as Error).message;
    for (const path of [
      "telemetry.tracing.exporter",
      "telemetry.tracing.sampleRatio",
      "telemetry.tracing.tracesPerSecond",
      "telemetry.tracing.otlp.url",
      "telemetry.metrics.maxCardinality",
      "telemetry.logging.level",
    ]) {
      expect(message).toContain(path);
    }
    expect(message).toMatch(/surprise/);
  });

  it("the config section wins over module options, key by key", async () => {
    const { lines, destination } = capture();
    const h = host({ telemetry: { serviceName: "from-config", logging: { level: "warn" } } }, [
      telemetry({ serviceName: "from-code", logging: { level: "trace", destination } }),
    ]);
    await h.start();
    const t = h.services.resolve(TelemetryToken);
    expect(t.serviceName).toBe("from-config");
    t.logger.info("dropped");
    t.logger.warn("kept");
    expect(lines.map((l) => l.msg)).toEqual(["kept"]);
  });

  it("two hosts in one process keep their own spans, metrics and loggers", async () => {
    const a = host({
      telemetry: {
        serviceName: "a",
        logging: { level: "silent" },
        tracing: { exporter: "memory" },
      },
    });
    const b = host({
      telemetry: {
        serviceName: "b",
        logging: { level: "silent" },
        tracing: { exporter: "memory" },
      },
    });
    await Promise.all([a.start(), b.start()]);
    const ta = a.services.resolve(TelemetryToken);
    const tb = b.services.resolve(TelemetryToken);
    ta.withSpan("in-a", {}, () => withSpan("nested-a", {}, () => {}));
    tb.withSpan("in-b", {}, () => {});
    ta.http.requestsTotal.inc({ method: "GET", route: "/", status: 200 });
    await Promise.all([ta.flush(), tb.flush()]);
    expect(ta.memoryExporter!.spans.map((s) => s.name).sort()).toEqual(["in-a", "nested-a"]);
    expect(tb.memoryExporter!.spans.map((s) => s.name)).toEqual(["in-b"]);
    expect(ta.memoryExporter!.spans[0]!.resource.attributes["service.name"]).toBe("a");
    expect(tb.http.requestsTotal.get({ method: "GET", route: "/", status: 200 })).toBe(0);
    await a.stop();
    // b keeps working after a stopped.
    tb.withSpan("after-a-stopped", {}, () => {});
    await tb.flush();
    expect(tb.memoryExporter!.spans.map((s) => s.name)).toContain("after-a-stopped");
  });

  it("loses no span at shutdown: host stop exports everything still queued", async () => {
    const h = host({
      telemetry: {
        logging: { level: "silent" },
        tracing: {
          exporter: "memory",
          batch: { scheduledDelayMs: 600_000, maxExportBatchSize: 100_000, maxQueueSize: 100_000 },
        },
      },
    });
    await h.start();
    const t = h.services.resolve(TelemetryToken);
    for (let i = 0; i < 3000; i++) {
      await t.withSpan("request", { i }, async () => {
        await withSpan("query", { i }, async () => {});
      });
    }
    // Nothing has been exported yet: the batch processor holds it all.
    expect(t.memoryExporter!.spans).toHaveLength(0);
    await h.stop();
    expect(t.memoryExporter!.spans).toHaveLength(6000);
    expect(new Set(t.memoryExporter!.spans.map((s) => s.attributes.i)).size).toBe(3000);
  });

  it("scrapes instruments made through the OpenTelemetry Meter with the rest", async () => {
    const h = host({ telemetry: { logging: { level: "silent" } } });
    await h.start();
    const meter = h.services.resolve(MeterToken);
    meter.createCounter("cache.hits", { description: "Cache hits" }).add(3, { cache: "threads" });
    meter
      .createHistogram("render.time", {
        unit: "s",
        description: "Render time",
        advice: { explicitBucketBoundaries: [0.1, 1] },
      })
      .record(0.5, { view: "thread" });
    meter.createUpDownCounter("queue.size", { description: "Queue" }).add(-2);
    const body = (await h.services.resolve(MetricsToken).exposition()).body;
    expect(body).toContain("# TYPE cache_hits_total counter");
    expect(body).toContain('cache_hits_total{cache="threads"} 3');
    expect(body).toContain("# TYPE render_time_seconds histogram");
    expect(body).toContain('render_time_seconds_bucket{view="thread",le="1"} 1');
    expect(body).toContain('render_time_seconds_count{view="thread"} 1');
    expect(body).toContain("queue_size -2");
  });

  it("process metrics are off by default and on when configured", async () => {
    const off = host({ telemetry: { logging: { level: "silent" } } });
    await off.start();
    expect((await off.services.resolve(MetricsToken).exposition()).body).not.toContain("nodejs_");
    const on = host({
      telemetry: { logging: { level: "silent" }, metrics: { processMetrics: true } },
    });
    await on.start();
    const body = (await on.services.resolve(MetricsToken).exposition()).body;
    for (const name of [
      "nodejs_heap_size_used_bytes",
      "nodejs_heap_size_total_bytes",
      "nodejs_external_memory_bytes",
      "nodejs_heap_space_size_used_bytes",
      "process_resident_memory_bytes",
      "process_cpu_user_seconds_total",
      "process_start_time_seconds",
      "nodejs_gc_duration_seconds",
      "nodejs_eventloop_lag_p99_seconds",
    ]) {
      expect(body).toContain(`# TYPE ${name} `);
    }
    expect(body).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
    expect(body).toMatch(/^nodejs_heap_space_size_used_bytes\{space="new"\} \d+$/m);
  });
});
