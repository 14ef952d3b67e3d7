import { Writable } from "node:stream";
import { createContextKey, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  contextWithRequestId,
  createLogger,
  createTelemetry,
  currentRequestId,
  type Telemetry,
  withRequestId,
  withSpan,
} from "../src/index.ts";

function capture() {
  const raw: string[] = [];
  return {
    raw,
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, any>),
    destination: { write: (s: string) => void raw.push(s) },
  };
}

const open: Telemetry[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.shutdown()));
});

describe("log lines", () => {
  it("are JSON lines with level, time, service and message", () => {
    const out = capture();
    const log = createLogger({
      serviceName: "forum",
      env: "production",
      destination: out.destination,
    });
    log.info({ thread: 5 }, "posted");
    expect(out.raw).toHaveLength(1);
    expect(out.raw[0]!.endsWith("\n")).toBe(true);
    expect(out.lines()[0]).toMatchObject({ level: 30, service: "forum", thread: 5, msg: "posted" });
    expect(typeof out.lines()[0]!.time).toBe("number");
    expect(out.lines()[0]).not.toHaveProperty("trace_id");
  });

  it("carry trace_id and span_id of the active span, per async flow", async () => {
    const out = capture();
    const t = createTelemetry({
      env: "production",
      logging: { destination: out.destination },
      tracing: { exporter: "memory" },
    });
    open.push(t);
    const flow = (name: string) =>
      t.withSpan(name, {}, async (span) => {
        await new Promise<void>((r) => setImmediate(r));
        t.logger.info({ flow: name }, "step");
        await withSpan(`${name}.child`, {}, async (child) => {
          await new Promise<void>((r) => setImmediate(r));
          t.logger.child({ part: "child" }).info({ flow: name }, "child step");
          return child;
        });
        return span.spanContext();
      });
    const [a, b] = await Promise.all([flow("a"), flow("b")]);
    const lines = out.lines().filter((l) => l.flow);
    expect(lines).toHaveLength(4);
    for (const [name, sc] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const step = lines.find((l) => l.flow === name && l.msg === "step")!;
      expect(step.trace_id).toBe(sc.traceId);
      expect(step.span_id).toBe(sc.spanId);
      expect(step.trace_flags).toBe("01");
      const child = lines.find((l) => l.flow === name && l.msg === "child step")!;
      expect(child.trace_id).toBe(sc.traceId);
      expect(child.span_id).not.toBe(sc.spanId);
      expect(child.part).toBe("child");
    }
  });

  it("carry the request id the web layer sets", async () => {
    const out = capture();
    const log = createLogger({ env: "production", destination: out.destination });
    await withRequestId("req-1", async () => {
      await new Promise<void>((r) => setImmediate(r));
      expect(currentRequestId()).toBe("req-1");
      log.info("inside");
    });
    log.info("outside");
    expect(out.lines()[0]).toMatchObject({ request_id: "req-1", msg: "inside" });
    expect(out.lines()[1]).not.toHaveProperty("request_id");
    expect(currentRequestId()).toBeUndefined();
  });

  it("keep the request id of contextWithRequestId through later context changes", () => {
    const key = createContextKey("other");
    const base = ROOT_CONTEXT.setValue(key, "kept");
    const ctx = contextWithRequestId("req-2", base);
    expect(currentRequestId(ctx)).toBe("req-2");
    expect(ctx.getValue(key)).toBe("kept");
    const span = trace.wrapSpanContext({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
    });
    const withSpanCtx = trace.setSpan(ctx, span);
    expect(currentRequestId(withSpanCtx)).toBe("req-2");
    expect(trace.getSpan(withSpanCtx)).toBe(span);
    expect(withSpanCtx.getValue(key)).toBe("kept");
    expect(trace.getSpan(ctx)).toBeUndefined();
    expect(currentRequestId(withSpanCtx.deleteValue(key))).toBe("req-2");
    expect(withSpanCtx.deleteValue(key).getValue(key)).toBeUndefined();
    expect(currentRequestId(contextWithRequestId("req-3", withSpanCtx))).toBe("req-3");
    expect(currentRequestId(base)).toBeUndefined();
  });

  it("carry a span given to contextWithRequestId as the active span, through later changes", () => {
    const key = createContextKey("other");
    const base = ROOT_CONTEXT.setValue(key, "kept");
    const span = trace.wrapSpanContext({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
    });
    const ctx = contextWithRequestId("req-4", base, span);
    expect(trace.getSpan(ctx)).toBe(span);
    expect(currentRequestId(ctx)).toBe("req-4");
    expect(ctx.getValue(key)).toBe("kept");
    // Other values set later keep both.
    const more = ctx.setValue(createContextKey("more"), 1);
    expect(trace.getSpan(more)).toBe(span);
    expect(currentRequestId(more)).toBe("req-4");
    // Replacing and deleting the span work as with the API's own contexts.
    const other = trace.wrapSpanContext({ ...span.spanContext(), spanId: "1111111111111111" });
    expect(trace.getSpan(trace.setSpan(ctx, other))).toBe(other);
    expect(currentRequestId(trace.setSpan(ctx, other))).toBe("req-4");
    const without = trace.deleteSpan(ctx);
    expect(trace.getSpan(without)).toBeUndefined();
    expect(currentRequestId(without)).toBe("req-4");
    expect(without.getValue(key)).toBe("kept");
    // The span under a span-carrying context is not resurrected by deleting the outer one.
    const nested = contextWithRequestId("req-5", trace.setSpan(base, other), span);
    expect(trace.getSpan(nested)).toBe(span);
    expect(trace.getSpan(trace.deleteSpan(nested))).toBeUndefined();
  });

  it("let a field of the call win over an injected one", () => {
    const out = capture();
    const log = createLogger({ env: "production", destination: out.destination });
    withRequestId("from-context", () => log.info({ request_id: "explicit" }, "x"));
    expect(out.lines()[0]!.request_id).toBe("explicit");
  });
});

describe("redaction", () => {
  it("hides authorization, cookie, password and token, nested headers included", () => {
    const out = capture();
    const log = createLogger({ env: "production", destination: out.destination });
    log.info(
      {
        password: "hunter2",
        token: "t0p",
        authorization: "Bearer top",
        user: { name: "ann", password: "p", token: "x" },
        req: {
          method: "GET",
          headers: { authorization: "Bearer abc", cookie: "sid=1", accept: "json" },
        },
        res: { headers: { "set-cookie": "sid=2" } },
        request: { headers: { cookie: "sid=3" } },
        body: { title: "t", password: "pw", token: "tk" },
        query: { token: "qt" },
      },
      "request",
    );
    const line = out.lines()[0]!;
    expect(line.password).toBe("[redacted]");
    expect(line.token).toBe("[redacted]");
    expect(line.authorization).toBe("[redacted]");
    expect(line.user).toEqual({ name: "ann", password: "[redacted]", token: "[redacted]" });
    expect(line.req.headers).toEqual({
      authorization: "[redacted]",
      cookie: "[redacted]",
      accept: "json",
    });
    expect(line.res.headers["set-cookie"]).toBe("[redacted]");
    expect(line.request.headers.cookie).toBe("[redacted]");
    expect(line.body).toEqual({ title: "t", password: "[redacted]", token: "[redacted]" });
    expect(line.query.token).toBe("[redacted]");
    expect(out.raw[0]).not.toMatch(/hunter2|Bearer|sid=|"pw"|"tk"|"qt"/);
  });

  it("takes extra paths, and never changes the logged object", () => {
    const out = capture();
    const log = createLogger({
      env: "production",
      destination: out.destination,
      redact: ["card.number"],
    });
    const payload = { card: { number: "4111", brand: "visa" }, password: "p" };
    log.info(payload, "paid");
    expect(out.lines()[0]!.card).toEqual({ number: "[redacted]", brand: "visa" });
    expect(out.lines()[0]!.password).toBe("[redacted]");
    expect(payload.card.number).toBe("4111");
  });

  it("an invalid redaction path fails with TELEMETRY_INVALID_OPTIONS", () => {
    expect(() => createLogger({ env: "production", redact: ["a[", "b..c"] })).toThrowError(
      expect.objectContaining({ code: "TELEMETRY_INVALID_OPTIONS" }),
    );
  });
});

describe("levels and output modes", () => {
  it("filters by level; defaults to debug in development and info elsewhere", () => {
    const out = capture();
    const warnOnly = createLogger({
      env: "production",
      level: "warn",
      destination: out.destination,
    });
    warnOnly.info("no");
    warnOnly.error({ err: new Error("bad thing") }, "yes");
    expect(out.lines()).toHaveLength(1);
    expect(out.lines()[0]!.err).toMatchObject({ type: "Error", message: "bad thing" });
    expect(createLogger({ env: "production", destination: out.destination }).level).toBe("info");
    expect(createLogger({ env: "development", destination: out.destination }).level).toBe("debug");
    expect(createLogger({ level: "silent", destination: out.destination }).level).toBe("silent");
  });

  it("writes ISO timestamps when asked", () => {
    const out = capture();
    createLogger({ env: "production", timestamp: "iso", destination: out.destination }).info("x");
    expect(out.lines()[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("pretty output is refused outside development", () => {
    expect(() => createLogger({ env: "production", pretty: true })).toThrowError(
      expect.objectContaining({
        code: "TELEMETRY_INVALID_OPTIONS",
        message: expect.stringContaining("development only"),
      }),
    );
  });

  it("pretty output in development goes through pino-pretty, not JSON", async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ env: "development", pretty: true, destination: sink });
    log.info({ password: "secret", user: 3 }, "hello pretty");
    const text = chunks.join("");
    expect(text).toContain("hello pretty");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("secret");
    expect(() => JSON.parse(text)).toThrow();
  });

  it("is JSON by default in development when not writing to a terminal", () => {
    const out = capture();
    const log = createLogger({ env: "development", destination: out.destination });
    log.info("plain");
    expect(out.lines()[0]!.msg).toBe("plain");
  });
});
