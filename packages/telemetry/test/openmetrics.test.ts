// The OpenMetrics exposition, parsed with the strict parser in support/openmetrics.ts (no
// OpenMetrics parser exists on npm; see that file). The first block proves the parser has
// teeth: it accepts the spec's own examples and rejects one violation of each rule.
import { describe, expect, it } from "vitest";
import {
  createMetrics,
  createTelemetry,
  enableProcessMetrics,
  httpInstruments,
} from "../src/index.ts";
import {
  type OpenMetricsFamily,
  OpenMetricsSyntaxError,
  parseNumber,
  parseOpenMetrics,
} from "./support/openmetrics.ts";

const OM_ACCEPT = "application/openmetrics-text; version=1.0.0";

function family(families: readonly OpenMetricsFamily[], name: string): OpenMetricsFamily {
  const f = families.find((x) => x.name === name);
  if (f === undefined)
    throw new Error(`family ${name} missing from ${families.map((x) => x.name)}`);
  return f;
}

const labelsOf = (s: { labels: readonly (readonly [string, string])[] }) =>
  Object.fromEntries(s.labels);

describe("the strict OpenMetrics parser used by these tests", () => {
  it("accepts the examples of the OpenMetrics 1.0 specification", () => {
    const examples = [
      `# TYPE acme_http_router_request_seconds summary
# UNIT acme_http_router_request_seconds seconds
# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
acme_http_router_request_seconds_sum{path="/api/v2",method="POST"} 479.3
acme_http_router_request_seconds_count{path="/api/v2",method="POST"} 34.0
acme_http_router_request_seconds_created{path="/api/v2",method="POST"} 1605281325.0
# TYPE go_goroutines gauge
# HELP go_goroutines Number of goroutines that currently exist.
go_goroutines 69
# TYPE process_cpu_seconds counter
# UNIT process_cpu_seconds seconds
# HELP process_cpu_seconds Total user and system CPU time spent in seconds.
process_cpu_seconds_total 4.20072246e+06
# EOF
`,
      `# TYPE foo histogram
foo_bucket{le="0.0"} 0
foo_bucket{le="1e-05"} 0
foo_bucket{le="0.0001"} 5
foo_bucket{le="0.1"} 8
foo_bucket{le="1.0"} 10
foo_bucket{le="10.0"} 11
foo_bucket{le="100000.0"} 11
foo_bucket{le="1e+06"} 15
foo_bucket{le="1e+23"} 16
foo_bucket{le="1.1e+23"} 17
foo_bucket{le="+Inf"} 17
foo_count 17
foo_sum 324789.3
foo_created 1520430000.123
# EOF`,
      `# TYPE foo counter
foo_total 17.0 1520879607.789
foo_created 1520430000.123 1520879607.789
# TYPE bar histogram
bar_bucket{le="0.1"} 8 # {} 0.054
bar_bucket{le="1.0"} 11 # {trace_id="KOO5S4vxi0o"} 0.67
bar_bucket{le="10.0"} 17 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789
bar_bucket{le="+Inf"} 17
bar_count 17
bar_sum 324789.3
# TYPE baz stateset
baz{entity="controller",baz="a"} 1.0
baz{entity="controller",baz="bb"} 0.0
# TYPE qux info
qux_info{name="pretty name",version="8.2.7"} 1
# TYPE g gauge
# HELP g Some text and \\n some \\" escaping
g{a="x",b="escaping\\" example \\n "} NaN
g{a="y"} -Inf
# EOF
`,
    ];
    for (const text of examples) expect(() => parseOpenMetrics(text)).not.toThrow();
    expect(family(parseOpenMetrics(examples[2]!), "g").help).toBe(
      'Some text and \n some " escaping',
    );
  });

  const valid = "# TYPE a counter\n# HELP a A.\na_total 1\n";
  const invalid: [string, string, RegExp][] = [
    ["no # EOF", valid, /must end with # EOF/],
    ["text after # EOF", `${valid}# EOF\nx 1\n`, /must end with # EOF/],
    ["a carriage return", `${valid.replace("\n", "\r\n")}# EOF`, /carriage return/],
    [
      "a counter sample without _total",
      "# TYPE a counter\na 1\n# EOF",
      /appears twice|needs a _total/,
    ],
    ["a reserved family name", "# TYPE _a gauge\n_a 1\n# EOF", /reserved/],
    [
      "interleaved families",
      "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF",
      /appears twice/,
    ],
    ["metadata after samples", "# TYPE a gauge\na 1\n# HELP a late\n# EOF", /after its samples/],
    ["two TYPE lines", "# TYPE a gauge\n# TYPE a gauge\na 1\n# EOF", /second # TYPE/],
    ["an unknown type", "# TYPE a untyped\na 1\n# EOF", /unknown type untyped/],
    [
      "a unit that is not the name's suffix",
      "# TYPE a gauge\n# UNIT a seconds\na 1\n# EOF",
      /must end with _seconds/,
    ],
    ["a stray comment", `# just a comment\n${valid}# EOF`, /must be # TYPE/],
    ["a negative counter", "# TYPE a counter\na_total -1\n# EOF", /non-negative/],
    ["a NaN counter", "# TYPE a counter\na_total NaN\n# EOF", /non-negative/],
    ["a repeated label", '# TYPE a gauge\na{x="1",x="2"} 1\n# EOF', /repeated/],
    ["a reserved label", '# TYPE a gauge\na{_x="1"} 1\n# EOF', /reserved/],
    ["an unescaped quote", '# TYPE a gauge\na{x="say "hi""} 1\n# EOF', /expected , or }|unescaped/],
    ["an undefined escape", '# TYPE a gauge\na{x="\\t"} 1\n# EOF', /undefined escape/],
    ["two spaces", "# TYPE a gauge\na  1\n# EOF", /bad number/],
    ["a bad number", "# TYPE a gauge\na 1.2.3\n# EOF", /bad number/],
    ["a duplicate series", '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n# EOF', /appears twice/],
    [
      "interleaved label sets",
      '# TYPE h histogram\nh_bucket{x="1",le="+Inf"} 1\nh_bucket{x="2",le="+Inf"} 1\nh_count{x="1"} 1\n# EOF',
      /interleaved/,
    ],
    [
      "a non-canonical le",
      '# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="+Inf"} 0\n# EOF',
      /not canonical/,
    ],
    ["no +Inf bucket", '# TYPE h histogram\nh_bucket{le="1.0"} 0\n# EOF', /\+Inf bucket/],
    [
      "buckets that are not cumulative",
      '# TYPE h histogram\nh_bucket{le="1.0"} 2\nh_bucket{le="+Inf"} 1\n# EOF',
      /cumulative/,
    ],
    [
      "unsorted buckets",
      '# TYPE h histogram\nh_bucket{le="2.0"} 0\nh_bucket{le="1.0"} 0\nh_bucket{le="+Inf"} 0\n# EOF',
      /sorted/,
    ],
    [
      "_count that differs from +Inf",
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\nh_sum 1\n# EOF',
      /must equal the \+Inf bucket/,
    ],
    [
      "_count without _sum",
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 2\n# EOF',
      /if and only if/,
    ],
    [
      "a sum with negative buckets",
      '# TYPE h histogram\nh_bucket{le="-1.0"} 0\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 2\n# EOF',
      /negative buckets/,
    ],
    [
      "clashing suffixes",
      "# TYPE a counter\na_total 1\n# TYPE a_created gauge\na_created 1\n# EOF",
      /could both/,
    ],
  ];
  it.each(invalid)("rejects %s", (_, text, message) => {
    expect(() => parseOpenMetrics(text)).toThrow(OpenMetricsSyntaxError);
    expect(() => parseOpenMetrics(text)).toThrow(message);
  });
});

/** A registry holding every kind of series the package produces. */
async function everything() {
  const t = createTelemetry({
    logging: { level: "silent" },
    tracing: { exporter: "memory" },
    metrics: { defaultLabels: { service: "forum" }, maxCardinality: 50 },
  });
  const { metrics, http, db } = t;
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
  db.queryDuration.observe({ system: "postgresql", operation: "select" }, 0.0021);
  http.activeConnections.inc(3);
  const weird = metrics.gauge("weird_values", {
    help: 'Help with \\ backslash and "quotes"\nand a newline',
    labelNames: ["v"],
  });
  weird.set({ v: 'back\\slash "quoted"\nnewline' }, Number.NaN);
  weird.set({ v: "inf" }, Number.POSITIVE_INFINITY);
  weird.set({ v: "tiny" }, 1e-9);
  metrics
    .histogram("temperature_celsius", { help: "Below zero too", buckets: [-10, 0, 1e6] })
    .observe(-3);
  metrics.counter("jobs", { help: "A counter not named _total" }).inc(2);
  metrics.observableCounter("pool_checkouts_total", { help: "Checkouts" }, (r) => r.observe(7));
  const tenants = metrics.counter("per_tenant_total", {
    help: "t",
    labelNames: ["tenant"],
    maxCardinality: 1,
  });
  tenants.inc({ tenant: "a" });
  tenants.inc({ tenant: "b" }); // refused and counted
  t.meter.createCounter("cache.hits").add(3, { cache: "threads" });
  t.meter
    .createHistogram("render.time", { unit: "s", advice: { explicitBucketBoundaries: [0.1, 1] } })
    .record(0.5, { view: "thread" });
  const processMetrics = enableProcessMetrics(metrics);
  t.withSpan("request", {}, () => {});
  const { contentType, body } = await metrics.exposition(OM_ACCEPT);
  processMetrics.stop();
  await t.shutdown();
  return { contentType, body, http };
}

describe("OpenMetrics exposition", () => {
  it("is valid OpenMetrics 1.0, every line, for every kind of metric the package produces", async () => {
    const { contentType, body } = await everything();
    expect(contentType).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect(body.endsWith("# EOF\n")).toBe(true);
    const families = parseOpenMetrics(body);
    const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      http_requests: "counter",
      http_requests_errors: "counter",
      http_active_connections: "gauge",
      http_request_duration_seconds: "histogram",
      db_query_duration_seconds: "histogram",
      jobs: "counter",
      pool_checkouts: "counter",
      cache_hits: "counter",
      render_time_seconds: "histogram",
      telemetry_label_cardinality_refusals: "counter",
      telemetry_spans_dropped: "counter",
      nodejs_heap_size_used_bytes: "gauge",
      nodejs_gc_duration_seconds: "histogram",
      process_cpu_user_seconds: "counter",
    });
    for (const f of families) expect(f.help, f.name).toBeTruthy();
    // Counters are exposed as <family>_total samples (a counter named without _total too).
    expect(family(families, "jobs").samples.map((s) => [s.name, s.value])).toEqual([
      ["jobs_total", 2],
    ]);
    expect(family(families, "telemetry_label_cardinality_refusals").samples.map(labelsOf)).toEqual([
      { metric: "per_tenant_total", service: "forum" },
    ]);
    const weird = family(families, "weird_values");
    expect(weird.help).toBe('Help with \\ backslash and "quotes"\nand a newline');
    const byV = new Map(weird.samples.map((s) => [labelsOf(s).v, s.value]));
    expect(byV.get('back\\slash "quoted"\nnewline')).toBeNaN();
    expect(byV.get("inf")).toBe(Number.POSITIVE_INFINITY);
    expect(byV.get("tiny")).toBe(1e-9);
  });

  it("writes le in canonical form (1.0, not 1), as OpenMetrics requires", async () => {
    // Regression: le was written with String(), so the 1, 2.5, 5 and 10 s buckets read
    // le="1", le="5", le="10", which OpenMetrics forbids for le.
    const { body } = await everything();
    const les = [...body.matchAll(/^http_request_duration_seconds_bucket\{[^}]*le="([^"]+)"\}/gm)]
      .map((m) => m[1])
      .slice(0, 12);
    expect(les).toEqual([
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1.0",
      "2.5",
      "5.0",
      "10.0",
      "+Inf",
    ]);
    expect(body).toContain('temperature_celsius_bucket{service="forum",le="1e+06"} 1');
  });

  it("leaves out _sum and _count of a histogram with a negative bucket, as OpenMetrics requires", async () => {
    const { body } = await everything();
    const temperature = family(parseOpenMetrics(body), "temperature_celsius");
    expect(temperature.samples.map((s) => s.name)).toEqual(
      Array(4).fill("temperature_celsius_bucket"),
    );
  });

  it("labelled histograms: per label set, buckets are cumulative, +Inf equals _count, _sum is the sum", async () => {
    const { body, http } = await everything();
    const f = family(parseOpenMetrics(body), "http_request_duration_seconds");
    const bySeries = new Map<string, typeof f.samples>();
    for (const s of f.samples) {
      const { le: _, ...labels } = labelsOf(s);
      const k = JSON.stringify(labels);
      bySeries.set(k, [...(bySeries.get(k) ?? []), s]);
    }
    expect(bySeries.size).toBeGreaterThan(3);
    let observations = 0;
    for (const [series, samples] of bySeries) {
      const labels = JSON.parse(series) as Record<string, string>;
      expect(labels.service).toBe("forum");
      const own = http.requestDuration.get({
        method: labels.method,
        route: labels.route,
        status: labels.status,
      });
      const buckets = samples.filter((s) => s.name.endsWith("_bucket"));
      expect(buckets.map((b) => parseNumber(labelsOf(b).le!))).toEqual([
        ...http.requestDuration.buckets,
        Number.POSITIVE_INFINITY,
      ]);
      expect(buckets.map((b) => b.value)).toEqual(own.buckets.map((b) => b.count));
      expect(samples.find((s) => s.name.endsWith("_count"))!.value).toBe(own.count);
      expect(samples.find((s) => s.name.endsWith("_sum"))!.value).toBeCloseTo(own.sum, 9);
      observations += own.count;
    }
    expect(observations).toBe(60);
  });

  it("stays valid with nothing registered but the built-ins, and with no metrics at all", async () => {
    expect(
      parseOpenMetrics((await createMetrics().exposition(OM_ACCEPT)).body).map((f) => f.name),
    ).toEqual(["telemetry_label_cardinality_refusals", "telemetry_collect_errors"]);
    const unused = createMetrics();
    httpInstruments(unused);
    const families = parseOpenMetrics((await unused.exposition(OM_ACCEPT)).body);
    expect(family(families, "http_active_connections").samples.map((s) => s.value)).toEqual([0]);
    expect(family(families, "http_requests").samples).toEqual([]);
    expect(parseOpenMetrics("# EOF\n")).toEqual([]);
  });
});
