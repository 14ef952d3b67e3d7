import { connect } from "node:net";
import { createConfig, silentLogger } from "@dext/core-di";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type WebApp } from "../src/index.ts";
import { deferred, recordingLogger, testApp } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Writes raw bytes to the server and returns everything it answers until it closes. */
function raw(base: string, payload: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(payload));
    let text = "";
    socket.setEncoding("utf8").on("data", (c: string) => {
      text += c;
    });
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("baseline hygiene", () => {
  it("answers CORS preflights and adds CORS headers when configured", async () => {
    app = testApp({ cors: { origin: ["https://app.example"], credentials: true } });
    app.post("/threads").handle(() => "created");
    const pre = await app.inject({
      method: "OPTIONS",
      url: "/threads",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("https://app.example");
    const post = await app.inject({
      method: "POST",
      url: "/threads",
      headers: { origin: "https://app.example" },
    });
    expect(post.headers["access-control-allow-credentials"]).toBe("true");
    const other = await app.inject({
      method: "POST",
      url: "/threads",
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("sends security headers by default, and none when turned off", async () => {
    app = testApp();
    app.get("/x").handle(() => 1);
    const r = await app.inject("/x");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["strict-transport-security"]).toContain("max-age=");
    expect(r.headers["x-frame-options"]).toBe("SAMEORIGIN");
    await app.close();
    app = testApp({ securityHeaders: false });
    app.get("/x").handle(() => 1);
    expect((await app.inject("/x")).headers["x-content-type-options"]).toBeUndefined();
  });

  it("honours an incoming request id only from trusted proxies, and only safe ones", async () => {
    app = testApp();
    app.get("/id").handle((ctx) => ctx.id);
    const untrusted = await app.inject({ url: "/id", headers: { "x-request-id": "abc-123" } });
    expect(untrusted.json()).not.toBe("abc-123");
    expect(untrusted.headers["x-request-id"]).toBe(untrusted.json());
    await app.close();
    app = testApp({ trustProxy: true });
    app.get("/id").handle((ctx) => ctx.id);
    const trusted = await app.inject({ url: "/id", headers: { "x-request-id": "abc-123" } });
    expect(trusted.json()).toBe("abc-123");
    expect(trusted.headers["x-request-id"]).toBe("abc-123");
    for (const hostile of ["a b", "x".repeat(200), "id\u0000", "<script>"]) {
      const r = await app.inject({ url: "/id", headers: { "x-request-id": hostile } });
      expect(r.json()).not.toBe(hostile);
    }
  });

  it("honours an incoming request id only when the socket peer is a trusted proxy (regression: any client was trusted once trustProxy was set)", async () => {
    app = testApp({ trustProxy: ["10.0.0.0/8"] });
    app.get("/id").handle((ctx) => ctx.id);
    const direct = await app.inject({
      url: "/id",
      remoteAddress: "127.0.0.1",
      headers: { "x-request-id": "spoofed-1" },
    });
    expect(direct.json()).not.toBe("spoofed-1");
    expect(direct.headers["x-request-id"]).toBe(direct.json());
    const viaProxy = await app.inject({
      url: "/id",
      remoteAddress: "10.1.2.3",
      headers: { "x-request-id": "from-proxy-1" },
    });
    expect(viaProxy.json()).toBe("from-proxy-1");
    await app.close();
    // A hop count cannot vouch for the peer (fastify trusts no peer for it either).
    app = testApp({ trustProxy: 1 });
    app.get("/id").handle((ctx) => ctx.id);
    const hops = await app.inject({ url: "/id", headers: { "x-request-id": "spoofed-2" } });
    expect(hops.json()).not.toBe("spoofed-2");
    await app.close();
    // Without proxies, trustRequestId: true trusts every client (a private network).
    app = testApp({ trustRequestId: true });
    app.get("/id").handle((ctx) => ctx.id);
    const mesh = await app.inject({ url: "/id", headers: { "x-request-id": "mesh-1" } });
    expect(mesh.json()).toBe("mesh-1");
  });

  it("reads the client address through trusted proxies only", async () => {
    app = testApp({ trustProxy: ["127.0.0.1"] });
    app.get("/ip").handle((ctx) => ctx.ip);
    const base = await app.listen();
    const viaProxy = await fetch(`${base}/ip`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(await viaProxy.json()).toBe("203.0.113.9");
    await app.close();
    app = testApp();
    app.get("/ip").handle((ctx) => ctx.ip);
    const base2 = await app.listen();
    const direct = await fetch(`${base2}/ip`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(await direct.json()).toBe("127.0.0.1");
  });

  it("logs one line per request", async () => {
    const logger = recordingLogger();
    app = testApp({ requestLog: true, slowRequestMs: 0 }, { logger });
    app.get("/fast/:id").handle(() => "fast");
    await app.inject("/fast/1?x=2");
    const lines = logger.lines.filter(
      (l) => l.msg === "request completed" || l.msg === "slow request",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "request completed",
      method: "GET",
      url: "/fast/1?x=2",
      route: "/fast/:id",
      statusCode: 200,
      name: "dext.web",
    });
    expect(lines[0]!.reqId).toEqual(expect.any(String));
  });

  it("warns about a request slower than slowRequestMs, even with requestLog off", async () => {
    const logger = recordingLogger();
    const slowRequestMs = 5;
    app = testApp({ requestLog: false, slowRequestMs }, { logger });
    const entered = deferred();
    const release = deferred();
    app.get("/slow").handle(async () => {
      entered.resolve();
      await release.promise;
      return "slow";
    });
    const slowRequest = app.inject("/slow");
    await entered.promise;
    // Hold the handler until the threshold has certainly passed on a monotonic clock.
    const heldSince = performance.now();
    while (performance.now() - heldSince <= slowRequestMs) {
      await new Promise((r) => setImmediate(r));
    }
    release.resolve();
    const r = await slowRequest;
    const lines = logger.lines.filter(
      (l) => l.msg === "request completed" || l.msg === "slow request",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "warn",
      msg: "slow request",
      method: "GET",
      url: "/slow",
      route: "/slow",
      statusCode: 200,
      slowRequestMs,
      reqId: r.headers["x-request-id"],
    });
  });

  it("applies the configured timeouts to the server and closes idle keep-alive connections", async () => {
    app = testApp({ keepAliveTimeoutMs: 50, requestTimeoutMs: 5000, headersTimeoutMs: 4000 });
    app.get("/x").handle(() => 1);
    const base = await app.listen();
    const server = app.fastify.server;
    expect([server.keepAliveTimeout, server.requestTimeout, server.headersTimeout]).toEqual([
      50, 5000, 4000,
    ]);
    const { hostname, port } = new URL(base);
    const closed = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      let text = "";
      socket.setEncoding("utf8").on("data", (c: string) => {
        text += c;
      });
      socket.on("close", () => resolve(text));
    });
    expect(closed).toContain("HTTP/1.1 200 OK");
  });

  it("answers a client that never finishes its headers with 408 problem+json", async () => {
    app = testApp({ requestTimeoutMs: 200 });
    app.get("/x").handle(() => 1);
    const base = await app.listen();
    const { hostname, port } = new URL(base);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write("GET /x HTTP/1.1\r\nHost: x\r\n"),
      );
      let text = "";
      socket.setEncoding("utf8").on("data", (c: string) => {
        text += c;
      });
      socket.on("close", () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain("https://dext.dev/problems/request-timeout");
    expect((await fetch(`${base}/x`)).status).toBe(200);
  });

  it("answers a header flood with 431 problem+json and stays up", async () => {
    app = testApp();
    app.get("/x").handle(() => 1);
    const base = await app.listen();
    let flood = "GET /x HTTP/1.1\r\nHost: localhost\r\n";
    for (let i = 0; i < 3000; i++) flood += `x-flood-${i}: ${"v".repeat(10)}\r\n`;
    const answer = await raw(base, `${flood}\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain("Content-Type: application/problem+json");
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({
      type: "https://dext.dev/problems/headers-too-large",
      status: 431,
    });
    const garbage = await raw(base, "NOT HTTP AT ALL\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain("https://dext.dev/problems/bad-request");
    expect((await fetch(`${base}/x`)).status).toBe(200);
  });

  it("warns at startup when development mode is on and the server listens beyond loopback", async () => {
    const logger = recordingLogger();
    app = testApp({ development: true, host: "0.0.0.0" }, { logger });
    app.get("/x").handle(() => 1);
    await app.listen();
    const warning = logger.lines.find(
      (l) => l.level === "warn" && String(l.msg).includes("development mode is on"),
    );
    expect(warning).toMatchObject({ address: "0.0.0.0" });
    expect(warning!.msg).toContain("stack traces");
    await app.close();
    for (const quiet of [
      { development: true, host: "127.0.0.1" },
      { development: false, host: "0.0.0.0" },
    ]) {
      const l = recordingLogger();
      app = testApp(quiet, { logger: l });
      app.get("/x").handle(() => 1);
      await app.listen();
      expect(l.lines.some((x) => String(x.msg).includes("development mode is on"))).toBe(false);
      await app.close();
    }
    app = undefined;
  });

  it("gives parser-level problems a request id that is on the log line, and the path when the request line is at hand", async () => {
    const logger = recordingLogger();
    app = testApp({ maxHeaderSize: 2048, requestTimeoutMs: 200 }, { logger });
    app.get("/x").handle(() => 1);
    const base = await app.listen();
    const rejected = () =>
      logger.lines.filter((l) => l.msg === "request rejected by the HTTP parser");
    const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));

    // One write, so the request line is in the packet the parser fails on.
    const flood = await raw(
      base,
      `GET /x?secret=1 HTTP/1.1\r\nHost: x\r\nx-big: ${"v".repeat(3000)}\r\n\r\n`,
    );
    const b431 = bodyOf(flood);
    expect(b431).toMatchObject({ status: 431, instance: "/x", requestId: expect.any(String) });
    expect(rejected().at(-1)).toMatchObject({
      reqId: b431.requestId,
      statusCode: 431,
      code: "HPE_HEADER_OVERFLOW",
      url: "/x",
    });

    const garbage = bodyOf(await raw(base, "NOT HTTP AT ALL\r\n\r\n"));
    expect(garbage).toMatchObject({ status: 400, type: "https://dext.dev/problems/bad-request" });
    expect(garbage.instance).toBeUndefined();
    expect(rejected().at(-1)).toMatchObject({ reqId: garbage.requestId, statusCode: 400 });

    const { hostname, port } = new URL(base);
    const timedOut = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write("GET /x HTTP/1.1\r\n"));
      let text = "";
      socket.setEncoding("utf8").on("data", (c: string) => {
        text += c;
      });
      socket.on("close", () => resolve(text));
    });
    const b408 = bodyOf(timedOut);
    expect(b408).toMatchObject({ status: 408, type: "https://dext.dev/problems/request-timeout" });
    expect(b408.instance).toBeUndefined();
    expect(rejected().at(-1)).toMatchObject({ reqId: b408.requestId, statusCode: 408 });
  });

  it("reports a taken port as WEB_LISTEN_FAILED", async () => {
    app = testApp();
    app.get("/x").handle(() => 1);
    const port = Number(new URL(await app.listen()).port);
    const second = createApp({
      logger: silentLogger,
      shutdownTimeoutMs: 200,
      config: createConfig({}, { env: "test" }),
      web: { port, host: "127.0.0.1" },
    });
    const error = (await second.listen().catch((e: unknown) => e)) as {
      code: string;
      cause: { code: string; message: string };
    };
    expect(error.code).toBe("HOST_STARTUP_FAILED");
    expect(error.cause.code).toBe("WEB_LISTEN_FAILED");
    expect(error.cause.message).toContain(`127.0.0.1:${port}`);
  });

  it("reads its settings from the web config section, over the code defaults", async () => {
    app = createApp({
      logger: silentLogger,
      config: createConfig(
        { web: { bodyLimit: 20, problemBaseUri: "https://errors.example/" } },
        { env: "test" },
      ),
      web: { port: 0, bodyLimit: 10_000 },
    });
    app.post("/x").handle(() => 1);
    const r = await app.inject({
      method: "POST",
      url: "/x",
      payload: { text: "more than twenty bytes" },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().type).toBe("https://errors.example/payload-too-large");
    expect(() =>
      createApp({
        logger: silentLogger,
        config: createConfig({ web: { port: "eighty" } }, { env: "test" }),
      }),
    ).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringContaining("web.port"),
      }),
    );
    expect(() => createApp({ modules: [], web: {}, config: {} }).get("/x")).not.toThrow();
  });
});
