import { createServer } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { Writable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { createConfig } from "@dext/core-di";
import { type Telemetry, TelemetryToken, telemetry } from "@dext/telemetry";
import { SpanKind } from "@opentelemetry/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, type WebApp } from "../src/index.ts";
import { deferred } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function telemetryApp(): { app: WebApp; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const a = createApp({
    modules: [
      telemetry({
        serviceName: "web-test",
        tracing: { exporter: "memory" },
        logging: { level: "info", destination },
      }),
    ],
    config: createConfig({}, { env: "test" }),
    web: { port: 0, host: "127.0.0.1" },
  });
  a.get("/users/:id")
    .params(z.object({ id: z.coerce.number() }))
    .handle((ctx, { params }) => {
      ctx.log.info({ user: params.id }, "loading user");
      return { id: params.id };
    });
  a.get("/boom").handle(() => {
    throw new Error("kaput");
  });
  return { app: a, lines };
}

const spansOf = async (a: WebApp) => {
  const t: Telemetry = a.host.services.resolve(TelemetryToken);
  await t.flush();
  return t.memoryExporter!.spans;
};

describe("telemetry", () => {
  it("opens a SERVER span per request named by the route template, continuing the caller's trace", async () => {
    ({ app } = telemetryApp());
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const r = await app.inject({
      url: "/users/7",
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(r.statusCode).toBe(200);
    await app.inject("/boom");
    await app.inject("/not/there");
    const spans = await spansOf(app);
    const user = spans.find((s) => s.name === "GET /users/:id")!;
    expect(user.kind).toBe(SpanKind.SERVER);
    expect(user.spanContext().traceId).toBe(traceId);
    expect(user.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(user.attributes).toMatchObject({
      "http.request.method": "GET",
      "http.route": "/users/:id",
      "url.path": "/users/7",
      "http.response.status_code": 200,
    });
    const boom = spans.find((s) => s.name === "GET /boom")!;
    expect(boom.status.code).toBe(2);
    expect(boom.events.some((e) => e.name === "exception")).toBe(true);
    expect(
      spans.some((s) => s.name === "GET" && s.attributes["http.response.status_code"] === 404),
    ).toBe(true);
  });

  it("reports open connections at scrape time, without listeners on the sockets", async () => {
    ({ app } = telemetryApp());
    const url = new URL(await app.listen());
    const scrapeOpen = async (): Promise<number> => {
      const m = await app!.inject({ url: "/metrics" });
      return Number(/^http_active_connections (\d+)$/m.exec(m.body)?.[1]);
    };
    // Polls until the server has seen the change: no timing assumption, only the test timeout.
    const until = async (expected: number): Promise<void> => {
      while ((await scrapeOpen()) !== expected) await new Promise((r) => setImmediate(r));
    };
    const open = (port: number, host: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = connect(port, host, () => resolve(s));
        s.once("error", reject);
      });
    const accepted: Socket[] = [];
    app.fastify.server.on("connection", (s: Socket) => accepted.push(s));
    const sockets = await Promise.all([1, 2, 3].map(() => open(Number(url.port), url.hostname)));
    await until(3);

    // A `close` listener of ours on keep-alive sockets made responses survive young GCs
    // (see Instrumentation.countConnections): server sockets carry only what Node adds itself.
    const plain = createServer();
    const plainAccepted = new Promise<Socket>((resolve) => plain.once("connection", resolve));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const client = await open((plain.address() as AddressInfo).port, "127.0.0.1");
    const nodeOwn = (await plainAccepted).listenerCount("close");
    client.destroy();
    await new Promise((resolve) => plain.close(resolve));
    expect(accepted).toHaveLength(3);
    for (const s of accepted) expect(s.listenerCount("close")).toBe(nodeOwn);

    sockets[0]!.destroy();
    sockets[1]!.destroy();
    await until(1);
    sockets[2]!.destroy();
    await until(0);
  });

  it("counts an injected request once, as answered, never as aborted", async () => {
    let lines: Record<string, any>[];
    ({ app, lines } = telemetryApp());
    for (let i = 0; i < 3; i++) expect((await app.inject("/users/1")).statusCode).toBe(200);
    const m = await app.inject({ url: "/metrics" });
    expect(m.body).toContain('http_requests_total{method="GET",route="/users/:id",status="200"} 3');
    expect(m.body).not.toContain('status="499"');
    expect(lines.some((l) => l.msg === "request aborted by the client")).toBe(false);
    const spans = (await spansOf(app)).filter((s) => s.name === "GET /users/:id");
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      expect(span.attributes["http.response.status_code"]).toBe(200);
      expect(span.attributes["dext.aborted"]).toBeUndefined();
    }
  });

  it("counts requests by route template and status, and mounts /metrics", async () => {
    ({ app } = telemetryApp());
    await app.inject("/users/1");
    await app.inject("/users/2");
    await app.inject("/boom");
    const m = await app.inject({ url: "/metrics" });
    expect(m.statusCode).toBe(200);
    expect(m.headers["content-type"]).toContain("text/plain");
    expect(m.body).toContain('http_requests_total{method="GET",route="/users/:id",status="200"} 2');
    expect(m.body).toContain(
      'http_requests_errors_total{method="GET",route="/boom",status="500"} 1',
    );
    expect(m.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/users/:id",status="200"} 2',
    );
    expect(m.body).not.toContain('route="/users/1"');
  });

  it("puts the request id and trace ids on the handler's log lines and the request log line", async () => {
    const made = telemetryApp();
    app = made.app;
    const r = await app.inject({ url: "/users/3", headers: { "x-request-id": "ignored" } });
    const requestId = r.headers["x-request-id"];
    const [span] = (await spansOf(app)).filter((s) => s.name === "GET /users/:id");
    const traceId = span!.spanContext().traceId;
    const handlerLine = made.lines.find((l) => l.msg === "loading user")!;
    expect(handlerLine).toMatchObject({ reqId: requestId, trace_id: traceId, user: 3 });
    const requestLine = made.lines.find(
      (l) => l.msg === "request completed" && l.url === "/users/3",
    )!;
    expect(requestLine).toMatchObject({
      reqId: requestId,
      trace_id: traceId,
      route: "/users/:id",
      statusCode: 200,
    });
  });

  it("puts the trace ids on request.log lines of plain fastify routes too", async () => {
    const made = telemetryApp();
    app = made.app;
    app.plugin(async (f: FastifyInstance) => {
      f.get("/plain", async (request) => {
        request.log.info("from a plugin route");
        return { ok: true };
      });
    });
    const r = await app.inject({ url: "/plain" });
    expect(r.statusCode).toBe(200);
    const [span] = (await spansOf(app)).filter((s) => s.name === "GET /plain");
    const line = made.lines.find((l) => l.msg === "from a plugin route")!;
    expect(line).toMatchObject({
      reqId: r.headers["x-request-id"],
      trace_id: span!.spanContext().traceId,
      span_id: span!.spanContext().spanId,
    });
  });

  it("keeps the request object's shape from fastify's constructor and writes nothing on Node's request", async () => {
    // A property added to a request after construction gives requests a hidden class that
    // only live requests hold; V8 drops it while the server idles and deoptimises the code
    // compiled against it. The keys are declared on fastify's Request instead.
    setFlagsFromString("--allow-natives-syntax");
    const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (
      a: object,
      b: object,
    ) => boolean;
    const made = telemetryApp();
    app = made.app;
    let seen: FastifyRequest | undefined;
    app.get("/shape").handle((ctx) => {
      seen = ctx.raw.request;
      ctx.log.info("shape");
      return { ok: true };
    });
    expect((await app.inject({ url: "/shape" })).statusCode).toBe(200);
    const request = seen! as unknown as Record<symbol, unknown>;
    const routeContext = Object.getOwnPropertySymbols(request).find(
      (s) => s.description === "fastify.context",
    )!;
    const Request = request.constructor as new (...args: unknown[]) => object;
    const fresh = new Request(
      seen!.id,
      seen!.params,
      seen!.raw,
      seen!.query,
      // fastify passes its no-op logger, which the `log` accessor ignores as it ignores this.
      undefined,
      request[routeContext],
    );
    // fastify itself adds a key or two while it handles a request; nothing else may.
    for (const key of Object.getOwnPropertySymbols(request)) {
      if (!(key in fresh) && key.description?.startsWith("fastify."))
        (fresh as Record<symbol, unknown>)[key] = request[key];
    }
    expect(Reflect.ownKeys(request)).toEqual(Reflect.ownKeys(fresh));
    expect(sameMap(request, fresh)).toBe(true);
    expect(Object.getOwnPropertySymbols(seen!.raw).map((s) => s.description)).not.toContain(
      "dext.telemetry",
    );
    // The handler's log line still carries the span's ids.
    expect(made.lines.find((l) => l.msg === "shape")).toHaveProperty("trace_id");
  });

  it("serves /metrics while the host is still migrating", async () => {
    ({ app } = telemetryApp());
    const migrated = deferred();
    app.host.addStartupTask("Migrating", () => migrated.promise);
    const starting = app.start({ listen: false });
    await app.host.waitFor("Migrating");
    expect((await app.fastify.inject("/users/1")).statusCode).toBe(503);
    const m = await app.fastify.inject("/metrics");
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('status="503"');
    migrated.resolve();
    await starting;
  });
});
