import { mkdtemp, writeFile } from "node:fs/promises";
import { connect } from "node:http2";
import { Agent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { createTestCertificate, type TestCertificate, toPkcs12 } from "@dext/test-kit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CertificateReload, WebApp } from "../src/index.ts";
import { testApp } from "./helpers.ts";

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
