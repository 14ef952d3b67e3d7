import { describe, expect, it } from "vitest";
import { createMetrics, dbInstruments, httpInstruments, TelemetryError } from "../src/index.ts";

const code = (c: string) => expect.objectContaining({ name: "TelemetryError", code: c });

describe("counters", () => {
  it("adds per label set, through inc(labels) and through a bound handle", () => {
    const metrics = createMetrics();
    const jobs = metrics.counter("jobs_total", { help: "Jobs", labelNames: ["queue", "ok"] });
    jobs.inc({ queue: "mail", ok: true });
    jobs.inc({ queue: "mail", ok: true }, 2);
    const bound = jobs.labels({ queue: "mail", ok: true });
    bound.inc();
    bound.inc(0.5);
    jobs.inc({ queue: "sms", ok: false });
    expect(jobs.get({ queue: "mail", ok: true })).toBe(4.5);
    expect(jobs.get({ queue: "mail", ok: "true" })).toBe(4.5);
    expect(jobs.get({ queue: "sms", ok: false })).toBe(1);
    expect(jobs.get({ queue: "none", ok: false })).toBe(0);
    expect(jobs.labels({ queue: "mail", ok: true })).toBe(bound);
  });

  it("treats a number label and its string as the same series", () => {
    const metrics = createMetrics();
    const c = metrics.counter("statuses_total", { help: "s", labelNames: ["status"] });
    c.inc({ status: 200 });
    c.inc({ status: "200" });
    expect(c.get({ status: 200 })).toBe(2);
  });

  it("refuses a negative or NaN increment with TELEMETRY_INVALID_VALUE, changing nothing", () => {
    const metrics = createMetrics();
    const c = metrics.counter("c_total", { help: "c" });
    c.inc(2);
    expect(() => c.inc(-1)).toThrowError(code("TELEMETRY_INVALID_VALUE"));
    expect(() => c.inc(Number.NaN)).toThrowError(code("TELEMETRY_INVALID_VALUE"));
    expect(() => c.labels({}).inc(-5)).toThrowError(code("TELEMETRY_INVALID_VALUE"));
    expect(c.get()).toBe(2);
  });

  it("remove() drops one series and reset() drops them all", () => {
    const metrics = createMetrics();
    const c = metrics.counter("r_total", { help: "r", labelNames: ["a", "b"] });
    c.inc({ a: "1", b: "x" });
    c.inc({ a: "1", b: "y" });
    c.remove({ a: "1", b: "x" });
    expect(c.get({ a: "1", b: "x" })).toBe(0);
    expect(c.get({ a: "1", b: "y" })).toBe(1);
    c.reset();
    expect(c.get({ a: "1", b: "y" })).toBe(0);
  });
});

describe("up-down counters, gauges and histograms", () => {
  it("up-down counters go both ways", () => {
    const metrics = createMetrics();
    const open = metrics.upDownCounter("open_connections", { help: "open" });
    open.inc();
    open.inc(3);
    open.dec();
    open.labels({}).dec(2);
    expect(open.get()).toBe(1);
    expect(() => open.inc(Number.POSITIVE_INFINITY)).toThrowError(code("TELEMETRY_INVALID_VALUE"));
  });

  it("gauges set, inc and dec", () => {
    const metrics = createMetrics();
    const depth = metrics.gauge("queue_depth", { help: "d", labelNames: ["queue"] });
    depth.set({ queue: "a" }, 10);
    depth.inc({ queue: "a" });
    depth.dec({ queue: "a" }, 4);
    depth.labels({ queue: "b" }).set(-3);
    expect(depth.get({ queue: "a" })).toBe(7);
    expect(depth.get({ queue: "b" })).toBe(-3);
  });

  it("histograms bucket with le semantics (a value on a bound counts in that bucket)", () => {
    const metrics = createMetrics();
    const h = metrics.histogram("size_bytes", { help: "s", buckets: [10, 100] });
    for (const v of [1, 10, 11, 100, 1000]) h.observe(v);
    h.labels({}).observe(5);
    expect(h.get()).toEqual({
      buckets: [
        { le: 10, count: 3 },
        { le: 100, count: 5 },
        { le: Number.POSITIVE_INFINITY, count: 6 },
      ],
      sum: 1127,
      count: 6,
    });
    expect(() => h.observe(Number.NaN)).toThrowError(code("TELEMETRY_INVALID_VALUE"));
  });

  it("startTimer records elapsed seconds with labels given at the start and the end", () => {
    const metrics = createMetrics();
    const h = metrics.histogram("op_seconds", { help: "o", labelNames: ["op", "ok"] });
    const end = h.startTimer({ op: "read" });
    const seconds = end({ ok: "yes" });
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(h.get({ op: "read", ok: "yes" }).count).toBe(1);
    const boundEnd = h.labels({ op: "write", ok: "yes" }).startTimer();
    boundEnd();
    expect(h.get({ op: "write", ok: "yes" }).count).toBe(1);
  });
});

describe("label cardinality", () => {
  it("refuses label sets beyond the limit, records nothing for them and counts each refusal", async () => {
    const problems: TelemetryError[] = [];
    const metrics = createMetrics({ onProblem: (p) => problems.push(p) });
    const c = metrics.counter("by_user_total", {
      help: "u",
      labelNames: ["user"],
      maxCardinality: 2,
    });
    c.inc({ user: "a" });
    c.inc({ user: "b" });
    c.inc({ user: "c" });
    const refusedHandle = c.labels({ user: "d" });
    refusedHandle.inc();
    c.inc({ user: "a" });
    expect(c.get({ user: "c" })).toBe(0);
    expect(c.get({ user: "d" })).toBe(0);
    expect(c.get({ user: "a" })).toBe(2);
    const refusals = metrics.counter("telemetry_label_cardinality_refusals_total", {
      help: "Recordings refused because the metric reached its label cardinality limit",
      labelNames: ["metric"],
      maxCardinality: Number.MAX_SAFE_INTEGER,
    });
    // labels({user:"d"}) refuses once, its inc() once more.
    expect(refusals.get({ metric: "by_user_total" })).toBe(3);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe("TELEMETRY_CARDINALITY_EXCEEDED");
    expect(problems[0]!.message).toContain("route template");
    const body = (await metrics.exposition()).body;
    expect(body).toContain('telemetry_label_cardinality_refusals_total{metric="by_user_total"} 3');
    expect(body).not.toContain('user="c"');
  });

  it("frees a slot when a series is removed, and a refused handle then records", () => {
    const metrics = createMetrics();
    const c = metrics.counter("slots_total", { help: "s", labelNames: ["k"], maxCardinality: 1 });
    c.inc({ k: "a" });
    const later = c.labels({ k: "b" });
    later.inc();
    expect(c.get({ k: "b" })).toBe(0);
    c.remove({ k: "a" });
    later.inc();
    expect(c.get({ k: "b" })).toBe(1);
  });

  it("applies the registry default to every instrument", () => {
    const metrics = createMetrics({ maxCardinality: 3 });
    const g = metrics.gauge("g", { help: "g", labelNames: ["k"] });
    for (const k of ["a", "b", "c", "d", "e"]) g.set({ k }, 1);
    expect(["a", "b", "c", "d", "e"].map((k) => g.get({ k }))).toEqual([1, 1, 1, 0, 0]);
  });

  it("rejects a cardinality limit that is not a positive integer", () => {
    expect(() => createMetrics({ maxCardinality: 0 })).toThrowError(
      code("TELEMETRY_INVALID_OPTIONS"),
    );
    const metrics = createMetrics();
    expect(() => metrics.counter("x_total", { help: "x", maxCardinality: 1.5 })).toThrowError(
      code("TELEMETRY_INVALID_OPTIONS"),
    );
  });
});

describe("bad names and labels fail at creation with a typed error", () => {
  const metrics = createMetrics();

  it.each(["http requests", "1xx_total", "__reserved", "", "a-b", "naïve"])(
    "metric name %j",
    (name) => {
      expect(() => metrics.counter(name, { help: "x" })).toThrowError(
        code("TELEMETRY_INVALID_METRIC_NAME"),
      );
      expect(() => metrics.histogram(name, { help: "x" })).toThrowError(
        code("TELEMETRY_INVALID_METRIC_NAME"),
      );
    },
  );

  it.each([["bad-label"], ["__name"], ["1st"], ["a", "a"]])("label names %j", (...names) => {
    expect(() => metrics.gauge("ok_name", { help: "x", labelNames: names })).toThrowError(
      code("TELEMETRY_INVALID_LABEL_NAME"),
    );
  });

  it("a histogram cannot use the le label", () => {
    expect(() => metrics.histogram("h_seconds", { help: "h", labelNames: ["le"] })).toThrowError(
      code("TELEMETRY_INVALID_LABEL_NAME"),
    );
  });

  it.each([[[]], [[1, 1]], [[2, 1]], [[1, Number.POSITIVE_INFINITY]], [[Number.NaN]]])(
    "histogram buckets %j",
    (buckets) => {
      expect(() => metrics.histogram("b_seconds", { help: "b", buckets })).toThrowError(
        code("TELEMETRY_INVALID_BUCKETS"),
      );
    },
  );

  it("a missing help is refused", () => {
    expect(() => metrics.counter("nohelp_total", {} as never)).toThrowError(
      code("TELEMETRY_INVALID_OPTIONS"),
    );
  });

  it("an unknown label or a non-scalar value is refused when the label set is first seen", () => {
    const c = metrics.counter("labelled_total", { help: "l", labelNames: ["a"] });
    expect(() => c.inc({ a: "1", b: "2" } as never)).toThrowError(code("TELEMETRY_INVALID_LABELS"));
    expect(() => c.inc({ a: { nested: true } } as never)).toThrowError(
      code("TELEMETRY_INVALID_LABELS"),
    );
    expect(c.get({ a: "1" })).toBe(0);
  });
});

describe("registration", () => {
  it("returns the same instrument for the same definition, so packages can share it", () => {
    const metrics = createMetrics();
    const a = httpInstruments(metrics);
    const b = httpInstruments(metrics);
    expect(a.requestsTotal).toBe(b.requestsTotal);
    expect(dbInstruments(metrics).queryDuration).toBe(dbInstruments(metrics).queryDuration);
    expect(metrics.get("http_requests_total")).toBe(a.requestsTotal);
  });

  it("throws TELEMETRY_METRIC_CONFLICT for the same name with another definition", () => {
    const metrics = createMetrics();
    metrics.counter("dup_total", { help: "d", labelNames: ["a"] });
    expect(() => metrics.counter("dup_total", { help: "d", labelNames: ["b"] })).toThrowError(
      code("TELEMETRY_METRIC_CONFLICT"),
    );
    expect(() => metrics.gauge("dup_total", { help: "d", labelNames: ["a"] })).toThrowError(
      code("TELEMETRY_METRIC_CONFLICT"),
    );
    httpInstruments(metrics);
    expect(() => httpInstruments(metrics, { buckets: [1, 2] })).toThrowError(
      code("TELEMETRY_METRIC_CONFLICT"),
    );
    metrics.observableGauge("obs", { help: "o" }, (r) => r.observe(1));
    expect(() => metrics.observableGauge("obs", { help: "o" }, (r) => r.observe(2))).toThrowError(
      code("TELEMETRY_METRIC_CONFLICT"),
    );
  });

  it("errors are TelemetryError instances with a message that says what to do", () => {
    const metrics = createMetrics();
    try {
      metrics.counter("http requests", { help: "x" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TelemetryError);
      expect((e as Error).message).toMatch(/invalid metric name "http requests".*e\.g\./);
    }
  });
});
