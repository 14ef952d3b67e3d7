import { request as httpRequest, type IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import * as zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { stream, type WebApp } from "../src/index.ts";
import { testApp } from "./helpers.ts";

const { brotliDecompressSync, createGunzip, gunzipSync } = zlib;
// zstd is in Node 22.15+ (the package supports 22.12+); without it the zstd cases are skipped.
const zstdDecompressSync = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer })
  .zstdDecompressSync;

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function get(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ res, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const big = {
  items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `thread number ${i}` })),
};

async function compressingApp(): Promise<string> {
  app = testApp({ compression: { threshold: 1024 } });
  app.get("/big").handle(() => big);
  app.get("/small").handle(() => ({ ok: true }));
  app.get("/png").handle(() => stream(new PassThrough().end(Buffer.alloc(4096, 1)), "image/png"));
  return app.listen();
}

describe("compression", () => {
  it("picks br or gzip by Accept-Encoding q-values and sets Vary", async () => {
    const base = await compressingApp();
    const json = JSON.stringify(big);
    const br = await get(base, "/big", { "accept-encoding": "gzip;q=0.5, br" });
    expect(br.res.headers["content-encoding"]).toBe("br");
    expect(br.res.headers.vary).toContain("accept-encoding");
    expect(brotliDecompressSync(br.body).toString()).toBe(json);
    const gz = await get(base, "/big", { "accept-encoding": "br;q=0.1, gzip;q=0.9" });
    expect(gz.res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(json);
    const none = await get(base, "/big", { "accept-encoding": "identity" });
    expect(none.res.headers["content-encoding"]).toBeUndefined();
    expect(none.body.toString()).toBe(json);
  });

  it.runIf(zstdDecompressSync !== undefined)(
    "picks zstd when asked (runtimes with zlib zstd, Node >= 22.15; skipped on older ones)",
    async () => {
      const base = await compressingApp();
      const zs = await get(base, "/big", { "accept-encoding": "zstd" });
      expect(zs.res.headers["content-encoding"]).toBe("zstd");
      expect(zstdDecompressSync!(zs.body).toString()).toBe(JSON.stringify(big));
    },
  );

  it("compresses what a plugin or the raw reply sends on a Dext route, and a large problem", async () => {
    app = testApp({ compression: { threshold: 1024 } });
    app.configureFastify((f) => {
      f.addHook("preHandler", async (request, reply) => {
        if (request.headers["x-deny"] !== undefined)
          return reply.code(401).type("application/json").send(JSON.stringify(big));
      });
    });
    app.get("/raw").handle((ctx) => {
      ctx.raw.reply.type("application/json").send(JSON.stringify(big));
    });
    app
      .get("/invalid")
      .query(z.object({ ids: z.array(z.coerce.number().int().positive()).optional() }))
      .handle(() => "never");
    app.get("/big").handle(() => big);
    const base = await app.listen();
    const json = JSON.stringify(big);
    const denied = await get(base, "/big", { "accept-encoding": "gzip", "x-deny": "1" });
    expect(denied.res.statusCode).toBe(401);
    expect(denied.res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(denied.body).toString()).toBe(json);
    const raw = await get(base, "/raw", { "accept-encoding": "gzip" });
    expect(raw.res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(raw.body).toString()).toBe(json);
    // 200 invalid ids: a validation problem well over the threshold.
    const query = Array.from({ length: 200 }, () => "ids=-1").join("&");
    const invalid = await get(base, `/invalid?${query}`, { "accept-encoding": "gzip" });
    expect(invalid.res.statusCode).toBe(400);
    expect(invalid.res.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(invalid.body).toString()).errors).toHaveLength(200);
    // Without Accept-Encoding nothing is compressed.
    const plain = await get(base, "/big", {});
    expect(plain.res.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(json);
  });

  it("keeps @fastify/compress's reply.compress() on Dext routes and raw fastify routes", async () => {
    app = testApp({ compression: { threshold: 1024 } });
    const json = JSON.stringify(big);
    app.configureFastify((f) => {
      f.get("/fastify-raw", (_request, reply) => {
        reply.type("application/json").compress(Buffer.from(json));
      });
    });
    app.get("/dext").handle((ctx) => {
      ctx.raw.reply.type("application/json").compress(Buffer.from(json));
    });
    const base = await app.listen();
    for (const path of ["/dext", "/fastify-raw"]) {
      const res = await get(base, path, { "accept-encoding": "br" });
      expect(res.res.statusCode, path).toBe(200);
      expect(res.res.headers["content-encoding"], path).toBe("br");
      expect(brotliDecompressSync(res.body).toString(), path).toBe(json);
    }
  });

  it("leaves bodies under the threshold and already-compressed types alone", async () => {
    const base = await compressingApp();
    const small = await get(base, "/small", { "accept-encoding": "gzip, br" });
    expect(small.res.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ ok: true });
    const png = await get(base, "/png", { "accept-encoding": "gzip, br" });
    expect(png.res.headers["content-encoding"]).toBeUndefined();
    expect(png.body.length).toBe(4096);
  });

  it("compresses a streamed response as it streams", async () => {
    app = testApp();
    const source = new PassThrough();
    app.get("/events").handle(() => stream(source, "text/plain; charset=utf-8"));
    const base = await app.listen();
    const received: string[] = [];
    let gotChunk: (() => void) | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        new URL("/events", base),
        { headers: { "accept-encoding": "gzip" } },
        (res) => {
          expect(res.headers["content-encoding"]).toBe("gzip");
          const gunzip = createGunzip();
          res.pipe(gunzip);
          gunzip.setEncoding("utf8").on("data", (text: string) => {
            received.push(text);
            gotChunk?.();
          });
          gunzip.on("end", resolve);
        },
      );
      req.on("error", reject);
      req.end();
    });
    // Each chunk reaches the client, decompressed, before the next one is even produced.
    for (const line of ["first\n", "second\n", "third\n"]) {
      const arrived = new Promise<void>((resolve) => {
        gotChunk = resolve;
      });
      source.write(line.repeat(300));
      await arrived;
    }
    source.end();
    await done;
    expect(received.join("")).toBe(
      ["first\n", "second\n", "third\n"].map((l) => l.repeat(300)).join(""),
    );
  });

  it("answers hostile Accept-Encoding values with a readable body: identity unless a listed coding is acceptable", async () => {
    const base = await compressingApp();
    const json = JSON.stringify(big);
    const decode: Record<string, (b: Buffer) => Buffer> = {
      identity: (b) => b,
      gzip: gunzipSync,
      br: brotliDecompressSync,
    };
    const cases: [value: string, encoding: "identity" | "gzip" | "br"][] = [
      ["x".repeat(8000), "identity"],
      // An unparsable or negative q rules a coding out; `*` is read as gzip (@fastify/compress).
      ["gzip;q=abc, br;q=-5, *;q=2", "gzip"],
      [",,,;;;", "identity"],
      ["unknown-encoding", "identity"],
      // Refusing everything (RFC 9110 allows a 406) still gets the uncompressed body.
      ["*;q=0", "identity"],
      ["identity;q=0", "identity"],
      ["gzip;q=0, br;q=0, deflate;q=0, zstd;q=0", "identity"],
      [`${"gzip;q=0.1,".repeat(500)}br`, "br"],
    ];
    for (const [value, encoding] of cases) {
      const r = await get(base, "/big", { "accept-encoding": value });
      const label = value.slice(0, 30);
      expect(r.res.statusCode, label).toBe(200);
      expect(r.res.headers["content-encoding"], label).toBe(
        encoding === "identity" ? undefined : encoding,
      );
      expect(r.res.headers["content-type"], label).toBe("application/json; charset=utf-8");
      expect(decode[encoding]!(r.body).toString(), label).toBe(json);
    }
    expect((await get(base, "/small", {})).res.statusCode).toBe(200);
  });
});
