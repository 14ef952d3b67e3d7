import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import {
  createMetrics,
  httpInstruments,
  metricsEndpoint,
  type TelemetryError,
} from "../src/index.ts";
import { parseOpenMetrics } from "./support/openmetrics.ts";

const PROM = "text/plain; version=0.0.4; charset=utf-8";
const OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
// What Prometheus 2.x/3.x sends when scraping.
const PROMETHEUS_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const f = families.find((x) => x.name === name);
  if (f === undefined) throw new Error(`family ${name} missing`);
  return f;
}

/** Every sample of every family called `name` (the parser starts a family per run of lines). */
function samples(families: ParsedFamily[], name: string) {
  return families.filter((f) => f.name === name).flatMap((f) => f.metrics);
}

function seeded() {
  const metrics = createMetrics({ defaultLabels: { service: "forum" } });
  const http = httpInstruments(metrics);
  const routes = ["/threads", "/threads/:id", "/users/:id"];
  for (let i = 0; i < 60; i++) {
    const labels = {
      method: i % 4 === 0 ? "POST" : "GET",
      route: routes[i % 3]!,
      status: i % 7 === 0 ? 500 : 200,
    };
    http.requestsTotal.inc(labels);
    http.requestDuration.observe(labels, (i % 13) * 0.037);
    if (labels.status === 500) http.errorsTotal.inc(labels);
  }
  http.activeConnections.inc(5);
  http.activeConnections.dec(2);
  const gauge = metrics.gauge("weird_values", {
    help: 'Help with \\ backslash and "quotes"\nand a newline',
    labelNames: ["v"],
  });
  gauge.set({ v: 'back\\slash "quoted"\nnewline' }, Number.NaN);
  gauge.set({ v: "inf" }, Number.POSITIVE_INFINITY);
  gauge.set({ v: "tiny" }, 1e-9);
  metrics.observableGauge("pool_idle", { help: "Idle connections", labelNames: ["pool"] }, (r) => {
    r.observe({ pool: "main" }, 3);
    r.observe({ pool: "replica" }, 1);
  });
  return { metrics, http };
}

describe("Prometheus text exposition (0.0.4)", () => {
  it("parses with a real Prometheus text parser: names, types, labels, values", async () => {
    const { metrics } = seeded();
    const { contentType, body } = await metrics.exposition();
    expect(contentType).toBe(PROM);
    const families = parsePrometheusTextFormat(body);

    const requests = family(families, "http_requests_total");
    expect(requests.type).toBe("COUNTER");
    expect(requests.help).toContain("route template");
    const total = requests.metrics.reduce((sum, m) => sum + Number(m.value), 0);
    expect(total).toBe(60);
    for (const m of requests.metrics) {
      expect(Object.keys(m.labels!).sort()).toEqual(["method", "route", "service", "status"]);
      expect(m.labels!.service).toBe("forum");
    }
    expect(
      family(families, "http_requests_errors_total").metrics.reduce(
        (s, m) => s + Number(m.value),
        0,
      ),
    ).toBe(9);
    expect(family(families, "http_active_connections")).toMatchObject({
      type: "GAUGE",
      metrics: [{ value: "3", labels: { service: "forum" } }],
    });
    expect(family(families, "pool_idle").metrics.map((m) => [m.labels!.pool, m.value])).toEqual([
      ["main", "3"],
      ["replica", "1"],
    ]);

    const weird = family(families, "weird_values");
    expect(weird.help).toBe('Help with \\ backslash and "quotes"\nand a newline');
    const byV = Object.fromEntries(weird.metrics.map((m) => [m.labels!.v, m.value]));
    expect(byV['back\\slash "quoted"\nnewline']).toBe("NaN");
    expect(byV.inf).toBe("+Inf");
    expect(Number(byV.tiny)).toBe(1e-9);
  });

  it("histograms have consistent _bucket, _sum and _count series", async () => {
    const { metrics, http } = seeded();
    const { body } = await metrics.exposition();
    // parse-prometheus-text-format folds a typed histogram family into one sample and drops
    // its labels (its flattenMetrics keys buckets by le alone): right for an unlabeled
    // histogram (next test), useless for a labelled one. Without the TYPE line it returns
    // every _bucket, _sum and _count sample with its labels, which is what is checked here.
    // No other maintained parser of this format is on npm; openmetrics.test.ts checks the
    // same consistency on the OpenMetrics output with the strict parser, without stripping.
    const typed = family(parsePrometheusTextFormat(body), "http_request_duration_seconds");
    expect(typed.type).toBe("HISTOGRAM");
    const families = parsePrometheusTextFormat(
      body.replace("# TYPE http_request_duration_seconds histogram\n", ""),
    );
    const key = (labels: Record<string, string>): string =>
      JSON.stringify(
        Object.entries(labels)
          .filter(([k]) => k !== "le")
          .sort(),
      );
    const buckets = new Map<string, [number, number][]>();
    for (const m of samples(families, "http_request_duration_seconds_bucket")) {
      const le = m.labels!.le!;
      const list = buckets.get(key(m.labels!)) ?? [];
      list.push([le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), Number(m.value)]);
      buckets.set(key(m.labels!), list);
    }
    const sums = new Map(
      samples(families, "http_request_duration_seconds_sum").map((m) => [
        key(m.labels!),
        Number(m.value),
      ]),
    );
    const counts = new Map(
      samples(families, "http_request_duration_seconds_count").map((m) => [
        key(m.labels!),
        Number(m.value),
      ]),
    );
    expect(buckets.size).toBeGreaterThan(3);
    expect([...sums.keys()].sort()).toEqual([...buckets.keys()].sort());
    expect([...counts.keys()].sort()).toEqual([...buckets.keys()].sort());
    let observations = 0;
    for (const [series, list] of buckets) {
      const les = list.map(([le]) => le);
      expect(les).toEqual([...http.requestDuration.buckets, Number.POSITIVE_INFINITY]);
      // Cumulative: never decreasing, and the +Inf bucket equals _count.
      for (let i = 1; i < list.length; i++)
        expect(list[i]![1]).toBeGreaterThanOrEqual(list[i - 1]![1]);
      expect(list.at(-1)![1]).toBe(counts.get(series));
      const labels = Object.fromEntries(JSON.parse(series) as [string, string][]);
      const own = http.requestDuration.get({
        method: labels.method,
        route: labels.route,
        status: labels.status,
      });
      expect(sums.get(series)).toBeCloseTo(own.sum, 9);
      expect(counts.get(series)).toBe(own.count);
      expect(labels.service).toBe("forum");
      observations += counts.get(series)!;
    }
    expect(observations).toBe(60);
  });

  it("shows unlabeled instruments at zero before they are used", async () => {
    const metrics = createMetrics();
    metrics.counter("never_total", { help: "n" });
    metrics.histogram("never_seconds", { help: "n", buckets: [1] });
    const families = parsePrometheusTextFormat((await metrics.exposition()).body);
    expect(family(families, "never_total").metrics).toEqual([{ value: "0" }]);
    expect(family(families, "never_seconds").metrics).toEqual([
      { buckets: { "1": "0", "+Inf": "0" }, count: "0", sum: "0" },
    ]);
  });
});

describe("content negotiation", () => {
  it("chooses OpenMetrics when Accept asks for application/openmetrics-text, as Prometheus does", async () => {
    const { metrics } = seeded();
    expect((await metrics.exposition(PROMETHEUS_ACCEPT)).contentType).toBe(OM);
    expect(
      (await metrics.exposition("application/openmetrics-text; version=1.0.0")).contentType,
    ).toBe(OM);
    expect((await metrics.exposition("text/plain;version=0.0.4")).contentType).toBe(PROM);
    expect((await metrics.exposition("*/*")).contentType).toBe(PROM);
    expect(
      (await metrics.exposition("application/openmetrics-text;q=0.2, text/plain;q=0.9"))
        .contentType,
    ).toBe(PROM);
    expect((await metrics.exposition("application/openmetrics-text;q=0")).contentType).toBe(PROM);
    expect((await metrics.exposition("garbage;;;q=x,,")).contentType).toBe(PROM);
  });
});

describe("metricsEndpoint", () => {
  it("answers 200 with the negotiated format", async () => {
    const { metrics } = seeded();
    const scrape = metricsEndpoint(metrics);
    const text = await scrape();
    expect(text.status).toBe(200);
    expect(text.contentType).toBe(PROM);
    expect(parsePrometheusTextFormat(text.body).length).toBeGreaterThan(5);
    const om = await scrape(PROMETHEUS_ACCEPT);
    expect(om).toMatchObject({ status: 200, contentType: OM });
    expect(parseOpenMetrics(om.body).length).toBeGreaterThan(5);
  });

  it("leaves out a metric whose callback throws, keeps the rest and counts the failure", async () => {
    const problems: TelemetryError[] = [];
    const metrics = createMetrics({ onProblem: (p) => problems.push(p) });
    metrics.counter("fine_total", { help: "f" }).inc();
    metrics.observableGauge("broken", { help: "b" }, () => {
      throw new Error("pool is gone");
    });
    metrics.observableGauge("broken_async", { help: "b" }, async () => {
      throw new Error("remote is gone");
    });
    const res = await metricsEndpoint(metrics)();
    expect(res.status).toBe(200);
    const families = parsePrometheusTextFormat(res.body);
    expect(families.map((f) => f.name)).not.toContain("broken");
    expect(family(families, "fine_total").metrics).toEqual([{ value: "1" }]);
    expect(
      family(families, "telemetry_collect_errors_total")
        .metrics.map((m) => m.labels!.metric)
        .sort(),
    ).toEqual(["broken", "broken_async"]);
    expect(problems.map((p) => p.code)).toEqual([
      "TELEMETRY_COLLECT_FAILED",
      "TELEMETRY_COLLECT_FAILED",
    ]);
    expect(problems[0]!.message).toContain("pool is gone");
  });

  it("a failing observable next to a slow one is not an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const metrics = createMetrics();
      metrics.observableGauge("slow", { help: "s" }, async (r) => {
        for (let i = 0; i < 5; i++) await new Promise<void>((done) => setImmediate(done));
        r.observe(1);
      });
      metrics.observableGauge("fails_fast", { help: "f" }, () => {
        throw new Error("fails fast");
      });
      const body = (await metrics.exposition()).body;
      await new Promise<void>((done) => setImmediate(done));
      expect(body).toContain("slow 1");
      expect(body).not.toContain("fails_fast ");
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("applies cardinality limits to observable label sets per scrape", async () => {
    const metrics = createMetrics();
    metrics.observableGauge(
      "per_tenant",
      { help: "t", labelNames: ["tenant"], maxCardinality: 2 },
      (r) => {
        for (const tenant of ["a", "b", "c"]) r.observe({ tenant }, 1);
      },
    );
    const families = parsePrometheusTextFormat((await metrics.exposition()).body);
    expect(family(families, "per_tenant").metrics).toHaveLength(2);
    expect(family(families, "telemetry_label_cardinality_refusals_total").metrics).toEqual([
      { value: "1", labels: { metric: "per_tenant" } },
    ]);
  });
});
