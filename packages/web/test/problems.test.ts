import { createConfig, silentLogger } from "@dext/core-di";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, ProblemError, problem, type WebApp } from "../src/index.ts";
import { deferred, recordingLogger, testApp } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Shaped like @dext/orm's errors: a typed code and a message with SQL and a file path. */
class OrmError extends Error {
  override readonly name = "OrmError";
  readonly code = "ORM_QUERY_FAILED";
}
const ormFailure = () =>
  new OrmError(
    'query failed: select "id", "password_hash" from "users" where "email" = $1 (at /srv/app/src/users/user-repository.ts:42): relation "users" does not exist',
    { cause: new Error("42P01 undefined_table at /srv/app/node_modules/pg/lib/client.js:526") },
  );

const leaks = (body: string): string[] =>
  ["select", "password_hash", "/srv/app", "user-repository.ts", "42P01", "at "].filter((s) =>
    body.toLowerCase().includes(s.toLowerCase()),
  );

describe("errors leave as problem+json", () => {
  it("hides an ORM error's SQL and file paths outside development, with the request id to quote", async () => {
    const logger = recordingLogger();
    app = testApp({}, { logger });
    app.get("/users/:id").handle(() => {
      throw ormFailure();
    });
    const r = await app.inject({ url: "/users/1", headers: { "x-request-id": "untrusted" } });
    expect(r.statusCode).toBe(500);
    expect(r.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    const body = r.json();
    expect(body).toMatchObject({
      type: "https://dext.dev/problems/internal",
      title: "Internal Server Error",
      status: 500,
      instance: "/users/1",
    });
    expect(body.requestId).not.toBe("untrusted");
    expect(body.detail).toContain(body.requestId);
    expect(leaks(r.body)).toEqual([]);
    expect(Object.keys(body).sort()).toEqual([
      "detail",
      "instance",
      "requestId",
      "status",
      "title",
      "type",
    ]);
    // The log keeps what the client must not see.
    const logged = logger.lines.find((l) => l.msg === "request failed");
    expect((logged!.err as Error).message).toContain("password_hash");
    expect(logged?.reqId).toBe(body.requestId);
  });

  it("shows the message, code, stack and cause chain in development", async () => {
    app = createApp({
      logger: silentLogger,
      config: createConfig({}, { env: "development" }),
      web: { port: 0 },
    });
    app.get("/boom").handle(() => {
      throw ormFailure();
    });
    const body = (await app.inject("/boom")).json();
    expect(body.detail).toContain("password_hash");
    expect(body.error.code).toBe("ORM_QUERY_FAILED");
    expect(body.error.stack.length).toBeGreaterThan(1);
    expect(body.error.cause.message).toContain("42P01");
  });

  it("handles a thrown non-Error value and a rejected promise", async () => {
    app = testApp();
    app.get("/string").handle(() => {
      throw "just a string";
    });
    app.get("/object").handle(() => {
      throw { weird: true };
    });
    app.get("/rejected").handle(() => Promise.reject(new Error("async failure at /srv/x.ts")));
    app.get("/undefined").handle(() => Promise.reject(undefined));
    for (const url of ["/string", "/object", "/rejected", "/undefined"]) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(500);
      expect(r.json().type).toBe("https://dext.dev/problems/internal");
      expect(r.body).not.toContain("just a string");
      expect(r.body).not.toContain("/srv/x.ts");
    }
  });

  it("sends a ProblemError thrown anywhere in the request as it is", async () => {
    app = testApp();
    const check = () => {
      throw new ProblemError({
        status: 409,
        type: "https://example.com/problems/locked",
        title: "Locked",
        detail: "thread 3 is locked",
        headers: { "retry-after": "60" },
      });
    };
    app.post("/threads/:id/posts").handle(async () => {
      await Promise.resolve();
      check();
    });
    const r = await app.inject({ method: "POST", url: "/threads/3/posts" });
    expect(r.statusCode).toBe(409);
    expect(r.headers["retry-after"]).toBe("60");
    expect(r.json()).toMatchObject({
      type: "https://example.com/problems/locked",
      detail: "thread 3 is locked",
    });
  });

  it("answers 504 when a handler never resolves within handlerTimeoutMs, and aborts its signal", async () => {
    app = testApp({ handlerTimeoutMs: 20 });
    let aborted: unknown;
    app.get("/hang").handle(
      (ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener("abort", () => {
            aborted = ctx.signal.reason;
          });
        }),
    );
    const r = await app.inject("/hang");
    expect(r.statusCode).toBe(504);
    expect(r.json()).toMatchObject({
      type: "https://dext.dev/problems/handler-timeout",
      status: 504,
    });
    expect(r.headers["retry-after"]).toBeUndefined();
    expect((aborted as DOMException).name).toBe("TimeoutError");
  });

  it("answers 503 with Retry-After when configured, and honours a per-route timeout", async () => {
    app = testApp({ handlerTimeoutMs: 20, handlerTimeoutStatus: 503, retryAfterSeconds: 7 });
    const release = deferred<string>();
    app.get("/hang").handle(() => new Promise(() => {}));
    app
      .get("/slow-ok")
      .timeout(0)
      .handle(() => release.promise);
    const r = await app.inject("/hang");
    expect(r.statusCode).toBe(503);
    expect(r.headers["retry-after"]).toBe("7");
    const pending = app.inject("/slow-ok");
    release.resolve("done");
    expect((await pending).json()).toBe("done");
  });
});

describe("problem documents", () => {
  it("types a problem without a type by its status's catalogue slug (regression: all were `http`)", async () => {
    app = testApp();
    const expected: [status: number, slug: string][] = [
      [400, "bad-request"],
      [404, "not-found"],
      [405, "method-not-allowed"],
      [406, "not-acceptable"],
      [408, "request-timeout"],
      [413, "payload-too-large"],
      [415, "unsupported-media-type"],
      [431, "headers-too-large"],
      [500, "internal"],
      [503, "unavailable"],
      [401, "http"],
      [409, "http"],
      [422, "http"],
      [502, "http"],
    ];
    app.get("/status/:code").handle((_ctx, { params }) => problem({ status: Number(params.code) }));
    for (const [status, slug] of expected) {
      const r = await app.inject(`/status/${status}?q=1`);
      expect(r.statusCode).toBe(status);
      const body = r.json();
      expect(body, String(status)).toMatchObject({
        type: `https://dext.dev/problems/${slug}`,
        status,
        instance: `/status/${status}`,
        requestId: r.headers["x-request-id"],
      });
      // Every problem has a detail, even when the code gave none.
      expect(body.detail, String(status)).toEqual(expect.stringContaining(String(status)));
    }
  });

  it("sends a generic detail for a 4xx error whose message must not be shown", async () => {
    app = testApp();
    app.get("/gone").handle(() => {
      throw Object.assign(new Error("row 7 deleted by /srv/app/jobs/purge.ts"), {
        statusCode: 410,
      });
    });
    app.get("/missing").handle(() => {
      throw Object.assign(new Error("lookup in /srv/app/cache failed"), { statusCode: 404 });
    });
    app.get("/exposed").handle(() => {
      throw Object.assign(new Error("the invite has expired"), { statusCode: 410, expose: true });
    });
    const gone = await app.inject("/gone");
    expect(gone.json()).toMatchObject({
      type: "https://dext.dev/problems/http",
      status: 410,
      title: "Gone",
      detail: "the request was refused: 410 Gone",
    });
    expect(gone.body).not.toContain("/srv/app");
    const missing = await app.inject("/missing");
    expect(missing.json()).toMatchObject({
      type: "https://dext.dev/problems/not-found",
      detail: "the request was refused: 404 Not Found",
    });
    expect(missing.body).not.toContain("/srv/app");
    expect((await app.inject("/exposed")).json().detail).toBe("the invite has expired");
  });
});

describe("unknown routes and methods", () => {
  it("answers 404 and 405 with Allow, and OPTIONS with Allow", async () => {
    app = testApp();
    app.get("/things/:id").handle(() => 1);
    app.put("/things/:id").handle(() => 2);
    const nf = await app.inject("/nothing/here?token=s3cret");
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({
      type: "https://dext.dev/problems/not-found",
      detail: "no route matches GET /nothing/here",
      // The path only (regression: the query string, which may carry tokens, was included).
      instance: "/nothing/here",
    });
    expect(nf.body).not.toContain("s3cret");
    const na = await app.inject({ method: "DELETE", url: "/things/1" });
    expect(na.statusCode).toBe(405);
    expect(na.headers.allow).toBe("GET, HEAD, PUT");
    expect(na.json()).toMatchObject({
      type: "https://dext.dev/problems/method-not-allowed",
      allow: ["GET", "HEAD", "PUT"],
    });
    const opt = await app.inject({ method: "OPTIONS", url: "/things/1" });
    expect([opt.statusCode, opt.headers.allow]).toEqual([204, "GET, HEAD, PUT"]);
    const head = await app.inject({ method: "HEAD", url: "/things/1" });
    expect(head.statusCode).toBe(200);
  });

  it("answers weird methods and malformed URLs without falling over", async () => {
    app = testApp();
    app
      .get("/x/:id")
      .params(z.object({ id: z.string() }))
      .handle((_c, { params }) => params.id);
    const bad = await app.inject("/x/%E0%A4%A");
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    const ok = await app.inject("/x/%F0%9F%98%80");
    expect(ok.json()).toBe("😀");
  });
});
