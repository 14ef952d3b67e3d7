import { mkdtemp, writeFile } from "node:fs/promises";
import { type ClientHttp2Session, connect, constants } from "node:http2";
import { Agent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import { createConfig, defineModule, silentLogger } from "@dext/core-di";
import { createTestCertificate, type TestCertificate, toPkcs12 } from "@dext/test-kit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CertificateReload, createApp, type WebApp, web } from "../src/index.ts";
import { deferred, testApp, until } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Answer {
  status: number;
  body: string;
  fingerprint: string;
  reused: boolean;
  protocol: string | false | null;
}

function get(url: string, options: { ca: string[]; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: options.ca, agent: options.agent ?? false }, (res) => {
      const socket = res.socket as TLSSocket;
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => {
        body += c;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          body,
          fingerprint: socket.getPeerCertificate().fingerprint256,
          reused: req.reusedSocket,
          protocol: socket.alpnProtocol,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

interface H2Answer {
  status: number | undefined;
  headers: Record<string, unknown>;
  body: string;
  rstCode: number | undefined;
}

/** One request on an HTTP/2 session; resolves when the stream closes, however it closed. */
function h2get(
  session: ClientHttp2Session,
  path: string,
  headers: Record<string, string> = {},
): Promise<H2Answer> {
  return new Promise((resolve) => {
    const stream = session.request({ ":path": path, "accept-encoding": "identity", ...headers });
    let status: number | undefined;
    let responseHeaders: Record<string, unknown> = {};
    let body = "";
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      responseHeaders = h;
    });
    stream.setEncoding("utf8").on("data", (c: string) => {
      body += c;
    });
    stream.on("error", () => {});
    stream.on("close", () =>
      resolve({ status, headers: responseHeaders, body, rstCode: stream.rstCode }),
    );
    stream.end();
  });
}

/** Raw HTTP/1.1 over TLS; everything the server answers until it closes. */
function rawTls(base: string, ca: string, payload: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      {
        port: Number(port),
        host: "127.0.0.1",
        servername: "localhost",
        ca,
        ALPNProtocols: ["http/1.1"],
      },
      () => socket.write(payload),
    );
    let text = "";
    socket.setEncoding("utf8").on("data", (c: string) => {
      text += c;
    });
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

let dir: string;
let certA: TestCertificate;
let certB: TestCertificate;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dext-web-tls-"));
  certA = await createTestCertificate(dir, "a");
  certB = await createTestCertificate(dir, "b");
});

async function liveFiles(name: string): Promise<{ certFile: string; keyFile: string }> {
  const live = await mkdtemp(join(dir, `${name}-`));
  const files = { certFile: join(live, "tls.crt"), keyFile: join(live, "tls.key") };
  await writeFile(files.certFile, certA.cert);
  await writeFile(files.keyFile, certA.key);
  return files;
}

describe("HTTPS", () => {
  it("serves TLS from PEM files and reloads them on change without dropping connections", async () => {
    const files = await liveFiles("reload");
    const reloads: CertificateReload[] = [];
    let onOk: (() => void) | undefined;
    app = testApp();
    app.useHttps({
      ...files,
      onReload: (r) => {
        reloads.push(r);
        if (r.ok) onOk?.();
      },
    });
    app.get("/hello").handle(() => ({ hello: "tls" }));
    const base = (await app.listen()).replace("127.0.0.1", "localhost");
    const ca = [certA.cert, certB.cert];
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1, ca });

    const first = await get(`${base}/hello`, { ca, agent: keepAlive });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ hello: "tls" });
    expect(first.fingerprint).toBe(certA.fingerprint256);

    const reloaded = new Promise<void>((resolve) => {
      onOk = resolve;
    });
    await writeFile(files.keyFile, certB.key);
    await writeFile(files.certFile, certB.cert);
    await reloaded;

    // The open keep-alive connection still works, on the certificate it was made with.
    const again = await get(`${base}/hello`, { ca, agent: keepAlive });
    expect(again.status).toBe(200);
    expect(again.reused).toBe(true);
    expect(again.fingerprint).toBe(certA.fingerprint256);
    // New connections get the new certificate.
    const fresh = await get(`${base}/hello`, { ca });
    expect(fresh.fingerprint).toBe(certB.fingerprint256);
    keepAlive.destroy();
  });

  it("keeps the current certificate when the new files are unusable", async () => {
    const files = await liveFiles("bad");
    app = testApp();
    app.useHttps({ ...files, watch: false });
    app.get("/x").handle(() => 1);
    const base = (await app.listen()).replace("127.0.0.1", "localhost");
    await writeFile(files.keyFile, certB.key); // does not match certificate A
    expect(app.reloadCertificates()).toBe(false);
    const r = await get(`${base}/x`, { ca: [certA.cert] });
    expect(r.fingerprint).toBe(certA.fingerprint256);
  });

  it("loads a PKCS#12 bundle with a passphrase", async () => {
    const pfxFile = toPkcs12(certA, join(dir, "a.pfx"), "s3cret");
    app = testApp();
    app.useHttps({ pfxFile, passphrase: "s3cret" });
    app.get("/x").handle(() => "pfx");
    const base = (await app.listen()).replace("127.0.0.1", "localhost");
    const r = await get(`${base}/x`, { ca: [certA.cert] });
    expect(JSON.parse(r.body)).toBe("pfx");
  });

  it("serves HTTP/2 with HTTP/1.1 fallback", async () => {
    app = testApp();
    app.useHttps({ certFile: certA.certFile, keyFile: certA.keyFile, http2: true });
    app.get("/h2").handle((ctx) => ({ version: ctx.raw.request.raw.httpVersion }));
    const base = (await app.listen()).replace("127.0.0.1", "localhost");
    const session = connect(base, { ca: certA.cert });
    const body = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ":path": "/h2", "accept-encoding": "identity" });
      let text = "";
      stream.setEncoding("utf8").on("data", (c: string) => {
        text += c;
      });
      stream.on("end", () => resolve(text));
      stream.on("error", reject);
      stream.end();
    });
    session.close();
    expect(JSON.parse(body)).toEqual({ version: "2.0" });
    const h1 = await get(`${base}/h2`, { ca: [certA.cert] });
    expect(JSON.parse(h1.body)).toEqual({ version: "1.1" });
  });

  it("applies header limits and timeouts to HTTP/2 and to its HTTP/1.1 fallback (regression: none applied)", async () => {
    app = testApp({ maxHeaderSize: 2048, requestTimeoutMs: 200, keepAliveTimeoutMs: 100 });
    app.useHttps({ certFile: certA.certFile, keyFile: certA.keyFile, http2: true });
    app.get("/x").handle(() => "x");
    const base = (await app.listen()).replace("127.0.0.1", "localhost");
    const session = connect(base, { ca: certA.cert });
    const settings = await new Promise<{ maxHeaderListSize?: number }>((resolve) =>
      session.once("remoteSettings", resolve),
    );
    expect(settings.maxHeaderListSize).toBe(2048);
    // Too many header bytes: that stream is reset, the session and the server carry on.
    const flood = await h2get(session, "/x", { "x-big": "v".repeat(4000) });
    expect([flood.status, flood.rstCode]).toEqual([undefined, constants.NGHTTP2_ENHANCE_YOUR_CALM]);
    const ok = await h2get(session, "/x");
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, "x"]);
    // An idle session is closed after keepAliveTimeoutMs, as an idle keep-alive socket is.
    await new Promise((resolve) => session.once("close", resolve));

    // HTTP/1.1 clients on the same port get the HTTP/1 limits and problem answers.
    const h1Flood = await rawTls(
      base,
      certA.cert,
      `GET /x HTTP/1.1\r\nHost: x\r\nx-big: ${"v".repeat(4000)}\r\n\r\n`,
    );
    expect(h1Flood).toMatch(/^HTTP\/1\.1 431 /);
    expect(h1Flood).toContain("https://dext.dev/problems/headers-too-large");
    const h1Slow = await rawTls(base, certA.cert, "GET /x HTTP/1.1\r\nHost: x\r\n");
    expect(h1Slow).toMatch(/^HTTP\/1\.1 408 /);
    expect(h1Slow).toContain("https://dext.dev/problems/request-timeout");
  });

  it("shuts down gracefully over HTTP/2: 503 and GOAWAY while stopping, streams in flight finish", async () => {
    const drainerEntered = deferred();
    const drainerHold = deferred();
    const drainer = defineModule({
      name: "drainer",
      register() {},
      async stop() {
        drainerEntered.resolve();
        await drainerHold.promise;
      },
    });
    // web() first, so it stops last and keeps serving while "drainer" stops.
    app = createApp({
      logger: silentLogger,
      config: createConfig({}, { env: "test" }),
      modules: [
        web({
          port: 0,
          host: "127.0.0.1",
          requestLog: false,
          shutdown: { drainTimeoutMs: 600_000 },
        }),
        drainer,
      ],
    });
    app.useHttps({ certFile: certA.certFile, keyFile: certA.keyFile, http2: true });
    const entered = deferred();
    const release = deferred();
    app.get("/hold").handle(async () => {
      entered.resolve();
      await release.promise;
      return { done: true, padding: "x".repeat(20_000) };
    });
    app.get("/x").handle(() => "x");
    const base = (await app.listen()).replace("127.0.0.1", "localhost");
    const session = connect(base, { ca: certA.cert });
    const goaway = new Promise<void>((resolve) => session.once("goaway", () => resolve()));
    const held = h2get(session, "/hold");
    await entered.promise;

    const closing = app.close();
    await drainerEntered.promise;
    // Stopping: new streams are gated, and the session is told to go away (no Connection header).
    const gated = await h2get(session, "/x");
    expect(gated.status).toBe(503);
    expect(gated.headers.connection).toBeUndefined();
    expect(JSON.parse(gated.body)).toMatchObject({
      type: "https://dext.dev/problems/unavailable",
      state: "Stopping",
    });
    await goaway;

    drainerHold.resolve();
    const server = app.fastify.server;
    await until(() => !server.listening);
    // The stream in flight when the server closed still completes, whole.
    release.resolve();
    const done = await held;
    expect(done.status).toBe(200);
    expect(done.rstCode).toBe(constants.NGHTTP2_NO_ERROR);
    expect(JSON.parse(done.body)).toMatchObject({ done: true });
    await closing;
    session.destroy();
    app = undefined;
  });

  it("refuses to start with unusable certificate files", async () => {
    app = testApp();
    app.useHttps({ certFile: certA.certFile, keyFile: certB.keyFile });
    await expect(app.listen()).rejects.toMatchObject({ code: "WEB_CERTIFICATE_INVALID" });
    await expect(
      (async () => {
        const other = testApp();
        other.useHttps({ certFile: join(dir, "missing.crt"), keyFile: certA.keyFile });
        await other.listen();
      })(),
    ).rejects.toMatchObject({ code: "WEB_CERTIFICATE_INVALID" });
  });
});
