import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { createHost, type Host } from "@dext/core-di";
import { SpanKind } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { extractTraceContext, TelemetryToken, telemetry, withSpan } from "../src/index.ts";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
  status: { code?: number; message?: string };
  events: { name: string; attributes: { key: string; value: OtlpValue }[] }[];
}
interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** A minimal OTLP/HTTP receiver: records every JSON export request it gets. */
class Receiver {
  readonly requests: { path: string; contentType: string; body: OtlpRequest }[] = [];
  status = 200;
  readonly #server: Server;

  constructor() {
    this.#server = createServer(async (req, res) => {
      const body = await read(req);
      this.requests.push({
        path: req.url ?? "",
        contentType: req.headers["content-type"] ?? "",
        body: JSON.parse(body.toString("utf8")) as OtlpRequest,
      });
      res.writeHead(this.status, { "content-type": "application/json" }).end("{}");
    });
  }

  async listen(): Promise<string> {
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1/traces`;
  }

  get spans(): OtlpSpan[] {
    return this.requests.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)),
    );
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
}

const attr = (attrs: { key: string; value: OtlpValue }[], key: string): unknown => {
  const v = attrs.find((a) => a.key === key)?.value;
  if (v === undefined) return undefined;
  return (
    v.stringValue ??
    (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
    v.boolValue ??
    v.doubleValue
  );
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function hostWithOtlp(
  extra: Record<string, unknown> = {},
): Promise<{ host: Host; receiver: Receiver }> {
  const receiver = new Receiver();
  const url = await receiver.listen();
  cleanup.push(() => receiver.close());
  const host = createHost({
    modules: [telemetry({ logging: { level: "silent" } })],
    config: {
      telemetry: {
        serviceName: "forum",
        serviceVersion: "1.2.3",
        // A long delay: nothing is exported before stop, so stop must flush everything.
        tracing: {
          exporter: "otlp",
          otlp: { url, ...extra },
          batch: { scheduledDelayMs: 600_000 },
        },
      },
    },
  });
  cleanup.push(() => host.stop().catch(() => {}));
  await host.start();
  return { host, receiver };
}

describe("OTLP over HTTP against a local receiver", () => {
  it("delivers every span on host stop with names, parent ids, attributes and error status", async () => {
    const { host, receiver } = await hostWithOtlp();
    const t = host.services.resolve(TelemetryToken);
    const parent = extractTraceContext({
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    await t
      .withSpan(
        "GET /threads/:id",
        { "http.request.method": "GET", "http.route": "/threads/:id" },
        async (server) => {
          server.setAttribute("http.response.status_code", 500);
          await withSpan(
            "db.query",
            { "db.system": "postgresql", "db.operation": "select" },
            async () => {},
          );
          await withSpan("render", {}, async () => {
            throw new Error("template missing");
          });
        },
        { kind: SpanKind.SERVER, parent },
      )
      .catch(() => {});
    expect(receiver.requests).toHaveLength(0);

    await host.stop();

    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests[0]!.path).toBe("/v1/traces");
    expect(receiver.requests[0]!.contentType).toContain("application/json");
    const resource = receiver.requests[0]!.body.resourceSpans[0]!.resource.attributes;
    expect(attr(resource, "service.name")).toBe("forum");
    expect(attr(resource, "service.version")).toBe("1.2.3");

    const spans = receiver.spans;
    expect(spans.map((s) => s.name).sort()).toEqual(["GET /threads/:id", "db.query", "render"]);
    const server = spans.find((s) => s.name === "GET /threads/:id")!;
    const query = spans.find((s) => s.name === "db.query")!;
    const render = spans.find((s) => s.name === "render")!;
    expect(server.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(server.parentSpanId).toBe("00f067aa0ba902b7");
    expect(server.kind).toBe(2); // SPAN_KIND_SERVER
    expect(query.parentSpanId).toBe(server.spanId);
    expect(render.parentSpanId).toBe(server.spanId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([server.traceId]));
    expect(attr(server.attributes, "http.route")).toBe("/threads/:id");
    expect(attr(server.attributes, "http.response.status_code")).toBe(500);
    expect(attr(query.attributes, "db.system")).toBe("postgresql");
    expect(render.status).toEqual({ code: 2, message: "template missing" }); // STATUS_CODE_ERROR
    expect(render.events.find((e) => e.name === "exception")).toBeDefined();
    expect(query.status.code ?? 0).toBe(0);
  });

  it("loses nothing when many spans are queued at stop", async () => {
    const { host, receiver } = await hostWithOtlp();
    const t = host.services.resolve(TelemetryToken);
    for (let i = 0; i < 1500; i++) t.withSpan(`job ${i}`, { i }, () => {});
    await host.stop();
    expect(receiver.spans).toHaveLength(1500);
    expect(new Set(receiver.spans.map((s) => s.name)).size).toBe(1500);
  });

  it("gzip compression works end to end", async () => {
    const { host, receiver } = await hostWithOtlp({ compression: "gzip" });
    host.services.resolve(TelemetryToken).withSpan("zipped", {}, () => {});
    await host.stop();
    expect(receiver.spans.map((s) => s.name)).toEqual(["zipped"]);
  });

  it("a collector that rejects the export makes stop fail loudly instead of dropping spans silently", async () => {
    const { host, receiver } = await hostWithOtlp();
    receiver.status = 400;
    host.services.resolve(TelemetryToken).withSpan("rejected", {}, () => {});
    const error = await host.stop().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "HOST_STOP_FAILED" });
    const cause = ((error as Error).cause as AggregateError).errors[0] as Error;
    expect(cause.cause).toMatchObject({ code: "TELEMETRY_SHUTDOWN_FAILED" });
    expect(receiver.requests).toHaveLength(1);
  });
});
