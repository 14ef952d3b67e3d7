import { decode, encode } from "@msgpack/msgpack";
import { afterEach, describe, expect, it } from "vitest";
import { content, html, type OutputFormatter, type WebApp, xmlFormatter } from "../src/index.ts";
import { testApp } from "./helpers.ts";

let app: WebApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const msgpack: OutputFormatter = {
  mediaType: "application/msgpack",
  format: (data) => Buffer.from(encode(data)),
};

function negotiatingApp(notAcceptable: "problem" | "fallback" = "problem"): WebApp {
  const a = testApp({ formatters: [xmlFormatter(), msgpack], notAcceptable });
  a.get("/thread").handle(() => ({
    id: 1,
    title: "Hi <there> & you",
    tags: ["a", "b"],
    "bad key": null,
  }));
  a.get("/list").handle(() => [{ id: 1 }, { id: 2 }]);
  return a;
}

describe("content negotiation", () => {
  it("sends JSON by default and for */*", async () => {
    app = negotiatingApp();
    for (const accept of [undefined, "*/*", "application/json", "text/html, */*;q=0.1"]) {
      const r = await app.inject({ url: "/thread", headers: accept ? { accept } : {} });
      expect(r.headers["content-type"], accept).toBe("application/json; charset=utf-8");
      expect(r.headers.vary).toContain("accept");
    }
  });

  it("honours q-values", async () => {
    app = negotiatingApp();
    const xml = await app.inject({
      url: "/thread",
      headers: { accept: "application/json;q=0.5, application/xml" },
    });
    expect(xml.headers["content-type"]).toBe("application/xml; charset=utf-8");
    expect(xml.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><response><id>1</id><title>Hi &lt;there&gt; &amp; you</title><tags>a</tags><tags>b</tags><bad_key></bad_key></response>',
    );
    const json = await app.inject({
      url: "/thread",
      headers: { accept: "application/xml;q=0.2, application/json;q=0.9" },
    });
    expect(json.headers["content-type"]).toBe("application/json; charset=utf-8");
    const list = await app.inject({ url: "/list", headers: { accept: "application/xml" } });
    expect(list.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><response><item><id>1</id></item><item><id>2</id></item></response>',
    );
  });

  it("uses formatters the app adds (msgpack)", async () => {
    app = negotiatingApp();
    const r = await app.inject({ url: "/thread", headers: { accept: "application/msgpack" } });
    expect(r.headers["content-type"]).toBe("application/msgpack");
    expect(decode(r.rawPayload)).toMatchObject({ id: 1, tags: ["a", "b"] });
  });

  it("answers 406 problem+json when nothing acceptable can be produced", async () => {
    app = negotiatingApp();
    const r = await app.inject({
      url: "/thread",
      headers: { accept: "text/csv, image/png;q=0.5" },
    });
    expect(r.statusCode).toBe(406);
    expect(r.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(r.json()).toMatchObject({
      type: "https://dext.dev/problems/not-acceptable",
      available: ["application/json", "application/xml", "application/msgpack"],
    });
    const refused = await app.inject({
      url: "/thread",
      headers: { accept: "application/json;q=0" },
    });
    expect(refused.statusCode).toBe(406);
  });

  it("falls back to JSON when configured", async () => {
    app = negotiatingApp("fallback");
    const r = await app.inject({ url: "/thread", headers: { accept: "text/csv" } });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("answers hostile Accept values with the documented outcome and stays up", async () => {
    app = negotiatingApp();
    const json = { id: 1, title: "Hi <there> & you", tags: ["a", "b"], "bad key": null };
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><response><id>1</id><title>Hi &lt;there&gt; &amp; you</title><tags>a</tags><tags>b</tags><bad_key></bad_key></response>';
    const cases: [accept: string, outcome: "json" | "xml" | 406][] = [
      ["a".repeat(10_000), 406],
      // Only the first 2048 characters are read: the application/xml at the end is never seen.
      [`${"application/json;q=0.1,".repeat(2000)}application/xml`, "json"],
      [`application/xml, ${"x".repeat(5000)}`, "xml"],
      [";;;,,,;q=;q=abc", 406],
      ["application/json;q=NaN", 406],
      ["*/*;q=-1", 406],
      ["\u0000\u0001", 406],
      ["text/*;q=1e400, application/*;q=0.000001", "json"],
    ];
    for (const [accept, outcome] of cases) {
      const r = await app.inject({ url: "/thread", headers: { accept } });
      const label = accept.slice(0, 30);
      if (outcome === 406) {
        expect(r.statusCode, label).toBe(406);
        expect(r.headers["content-type"], label).toBe("application/problem+json; charset=utf-8");
        expect(r.json(), label).toMatchObject({
          type: "https://dext.dev/problems/not-acceptable",
          status: 406,
          available: ["application/json", "application/xml", "application/msgpack"],
        });
      } else if (outcome === "json") {
        expect(r.statusCode, label).toBe(200);
        expect(r.headers["content-type"], label).toBe("application/json; charset=utf-8");
        expect(r.json(), label).toEqual(json);
      } else {
        expect(r.statusCode, label).toBe(200);
        expect(r.headers["content-type"], label).toBe("application/xml; charset=utf-8");
        expect(r.body, label).toBe(xml);
      }
    }
    expect((await app.inject("/thread")).json()).toEqual(json);
  });
});

describe("html() and content() results", () => {
  it("send HTML and other ready bodies as they are, whatever Accept says", async () => {
    app = negotiatingApp();
    const page = { toString: () => "<h1>Hi &amp; welcome</h1>" };
    app.get("/page").handle(() => html(page));
    app.get("/missing-page").handle(() => html("<h1>Gone</h1>", 404));
    app.get("/report.csv").handle(() => content("id,title\n1,Hi\n", "text/csv; charset=utf-8"));
    const r = await app.inject({ url: "/page", headers: { accept: "application/msgpack" } });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(r.body).toBe("<h1>Hi &amp; welcome</h1>");
    const gone = await app.inject({ url: "/missing-page" });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toBe("<h1>Gone</h1>");
    const csv = await app.inject({ url: "/report.csv" });
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.body).toBe("id,title\n1,Hi\n");
  });
});
