// What telemetry costs on a hot path: a span plus one counter increment plus one histogram
// record, with no SDK and with the SDK on, against a bare function call; a log line with
// trace ids against plain pino; the metric hot path against prom-client; and what process
// metrics cost when on, per scrape and per request.
import { join } from "node:path";
import { type BenchLine, compare, saveResults, timeSampler } from "@dext/bench-kit";
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import pino from "pino";
import promClient from "prom-client";
import { createLogger, createTelemetry, enableProcessMetrics, withSpan } from "../src/index.ts";

/** Accepts every span and keeps none: measures the SDK, not an exporter. */
class DiscardExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (r: { code: ExportResultCode }) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const sink = { write(_line: string): void {} };
const timeMs = Number(process.env.BENCH_TIME_MS ?? 200);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const lines: BenchLine[] = [];
const run = async (options: Parameters<typeof compare>[0]): Promise<void> => {
  lines.push(...(await compare({ rounds, ...options })));
};

const labels = { method: "GET", route: "/threads/:id", status: 200 };
const attributes = { "http.route": "/threads/:id" };
let sinkValue = 0;
// The "work" every side does, so the bare call is not optimised away.
const work = (): number => {
  sinkValue = (sinkValue + 1) | 0;
  return sinkValue;
};

// No SDK anywhere in the process: withSpan only calls the function.
const noSdk = createTelemetry({ logging: { level: "silent" } });
const noSdkHttp = noSdk.http;
await run({
  bench: "span+counter+histogram/no-sdk",
  ours: timeSampler(
    () =>
      withSpan("GET /threads/:id", attributes, () => {
        noSdkHttp.requestsTotal.inc(labels);
        noSdkHttp.requestDuration.observe(labels, 0.012);
        return work();
      }),
    { timeMs },
  ),
  baselines: { raw: timeSampler(() => work(), { timeMs }) },
});
await noSdk.shutdown();

// The SDK on: every span sampled, batched, handed to an exporter.
const sdk = createTelemetry({
  logging: { level: "silent" },
  tracing: { spanExporter: new DiscardExporter(), batch: { maxQueueSize: 65_536 } },
});
const sdkHttp = sdk.http;
await run({
  bench: "span+counter+histogram/sdk",
  ours: timeSampler(
    () =>
      sdk.withSpan("GET /threads/:id", attributes, () => {
        sdkHttp.requestsTotal.inc(labels);
        sdkHttp.requestDuration.observe(labels, 0.012);
        return work();
      }),
    { timeMs },
  ),
  baselines: { raw: timeSampler(() => work(), { timeMs }) },
});

// The SDK on with sampleRatio 0: how cheap an unsampled request is (the usual production
// setting is a ratio well below 1).
const unsampled = createTelemetry({
  logging: { level: "silent" },
  tracing: { spanExporter: new DiscardExporter(), sampleRatio: 0 },
});
const unsampledHttp = unsampled.http;
await run({
  bench: "span+counter+histogram/sdk-unsampled",
  ours: timeSampler(
    () =>
      unsampled.withSpan("GET /threads/:id", attributes, () => {
        unsampledHttp.requestsTotal.inc(labels);
        unsampledHttp.requestDuration.observe(labels, 0.012);
        return work();
      }),
    { timeMs },
  ),
  baselines: { raw: timeSampler(() => work(), { timeMs }) },
});
await unsampled.shutdown();

// A log line inside an active span (trace_id/span_id injected, redaction on) vs plain pino.
const ours = createLogger({ env: "production", destination: sink });
const plain = pino({}, sink);
await sdk.withSpan("request", {}, async () => {
  await run({
    bench: "log-line-with-trace-ids",
    ours: timeSampler(() => ours.info({ userId: 7, board: "general" }, "post created"), { timeMs }),
    baselines: {
      pino: timeSampler(() => plain.info({ userId: 7, board: "general" }, "post created"), {
        timeMs,
      }),
    },
  });
});
await sdk.shutdown();

// The metric hot path alone against prom-client, by label object and through a bound child.
const registry = new promClient.Registry();
const promCounter = new promClient.Counter({
  name: "http_requests_total",
  help: "h",
  labelNames: ["method", "route", "status"],
  registers: [registry],
});
const promHistogram = new promClient.Histogram({
  name: "http_request_duration_seconds",
  help: "h",
  labelNames: ["method", "route", "status"],
  registers: [registry],
});
const metricsOnly = createTelemetry({ logging: { level: "silent" } });
const { requestsTotal, requestDuration } = metricsOnly.http;
await run({
  bench: "counter+histogram/labels",
  ours: timeSampler(
    () => {
      requestsTotal.inc(labels);
      requestDuration.observe(labels, 0.012);
    },
    { timeMs },
  ),
  baselines: {
    "prom-client": timeSampler(
      () => {
        promCounter.inc(labels);
        promHistogram.observe(labels, 0.012);
      },
      { timeMs },
    ),
  },
});
const boundCounter = requestsTotal.labels(labels);
const boundHistogram = requestDuration.labels(labels);
const promBoundCounter = promCounter.labels(labels);
const promBoundHistogram = promHistogram.labels(labels);
await run({
  bench: "counter+histogram/bound",
  ours: timeSampler(
    () => {
      boundCounter.inc();
      boundHistogram.observe(0.012);
    },
    { timeMs },
  ),
  baselines: {
    "prom-client": timeSampler(
      () => {
        promBoundCounter.inc();
        promBoundHistogram.observe(0.012);
      },
      { timeMs },
    ),
  },
});
await metricsOnly.shutdown();

// Process metrics, on against off. A scrape: the same registry contents (50 HTTP series) with
// and without the ~25 process families read at scrape time.
const seed = (t: ReturnType<typeof createTelemetry>): void => {
  for (let i = 0; i < 50; i++) {
    const l = { method: i % 5 === 0 ? "POST" : "GET", route: `/route/${i % 25}`, status: 200 };
    t.http.requestsTotal.inc(l);
    t.http.requestDuration.observe(l, (i % 10) * 0.01);
  }
};
const withProcess = createTelemetry({ logging: { level: "silent" } });
const withoutProcess = createTelemetry({ logging: { level: "silent" } });
seed(withProcess);
seed(withoutProcess);
const processMetrics = enableProcessMetrics(withProcess.metrics);
await run({
  bench: "scrape/process-metrics-on",
  ours: timeSampler(() => withProcess.metrics.exposition(), { timeMs }),
  baselines: {
    "process-metrics-off": timeSampler(() => withoutProcess.metrics.exposition(), { timeMs }),
  },
});
processMetrics.stop();

// A request loop (span, counter, histogram, a small JSON body) that lets the event loop turn
// every 100 requests, so the event-loop delay monitor and the GC observer do their work in
// between, as they would in a server. Process metrics are switched on only while `ours` runs.
const requests = createTelemetry({ logging: { level: "silent" } });
const requestHttp = requests.http;
const batch = async (): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    withSpan("GET /threads/:id", attributes, () => {
      requestHttp.requestsTotal.inc(labels);
      requestHttp.requestDuration.observe(labels, 0.012);
      sinkValue += JSON.stringify({ id: i, title: "thread", tags: ["a", "b"] }).length;
    });
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
};
const requestLoop = timeSampler(batch, { timeMs, opsPerCall: 100 });
await run({
  bench: "requests/process-metrics-on",
  ours: async () => {
    const on = enableProcessMetrics(requests.metrics);
    try {
      return await requestLoop();
    } finally {
      on.stop();
    }
  },
  baselines: { "process-metrics-off": requestLoop },
});
await Promise.all([withProcess.shutdown(), withoutProcess.shutdown(), requests.shutdown()]);

if (process.env.BENCH_SAVE !== "0") {
  const file = await saveResults(join(import.meta.dirname, ".."), "overhead", lines, {
    notes:
      "ops/s of one operation; raw is the same work without telemetry. The SDK line samples every span into a BatchSpanProcessor with an exporter that discards. process-metrics-off is the same scrape or request loop with process metrics off.",
  });
  process.stdout.write(`saved ${file}\n`);
}
