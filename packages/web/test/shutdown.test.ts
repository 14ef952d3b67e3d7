import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { createTestDatabase, spawnNode, type TestDatabase } from "@dext/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("web-shutdown");
});
afterAll(async () => {
  await db.drop();
});

interface Outcome {
  status?: number;
  body?: string;
  complete: boolean;
  error?: string;
}

function get(url: string, agent: Agent | false): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => {
        const length = Number(res.headers["content-length"]);
        resolve({ status: res.statusCode!, body, complete: Buffer.byteLength(body) === length });
      });
      res.on("error", (e) => resolve({ complete: false, error: e.message }));
    });
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve({ complete: false, error: e.code ?? e.message }),
    );
    req.end();
  });
}

const events = (stdout: string): Record<string, any>[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith('{"event"'))
    .map((l) => JSON.parse(l));

describe("graceful shutdown", () => {
  it("finishes every accepted request under load, closes idle connections, stops modules in reverse and exits 0", async () => {
    const hold = 20;
    const server = spawnNode(join(import.meta.dirname, "fixtures/shutdown-server.ts"), {
      env: { DATABASE_URL: db.url, HOLD: String(hold) },
    });
    const { url } = JSON.parse(await server.waitForLine(/"event":"listening"/));

    // An idle keep-alive connection: the server must close it during shutdown.
    const { hostname, port } = new URL(url);
    const idle = connect(Number(port), hostname);
    let idleAnswered = "";
    const idleClosed = new Promise<void>((resolve) => idle.on("close", () => resolve()));
    idle.setEncoding("utf8").on("data", (c: string) => {
      idleAnswered += c;
    });
    idle.write("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");

    // Requests the server holds until shutdown begins.
    const held = Array.from({ length: hold }, () => get(`${url}/hold`, false));
    await server.waitForLine(/"event":"held"/);

    // Load on keep-alive connections until the server stops taking requests.
    const outcomes: Outcome[] = [];
    let completedBeforeSignal = 0;
    const workers = Array.from({ length: 8 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 5000; i++) {
        const o = await get(`${url}/quick`, agent);
        outcomes.push(o);
        if (o.complete) completedBeforeSignal++;
        if (!o.complete) break;
      }
      agent.destroy();
    });
    while (completedBeforeSignal < 200 || !idleAnswered.includes("200 OK")) {
      await new Promise((r) => setTimeout(r, 2));
    }
    server.kill("SIGTERM");

    const heldOutcomes = await Promise.all(held);
    await Promise.all(workers);
    await idleClosed;
    const exit = await server.exited();
    const log = events(server.stdout());

    expect(exit.code, server.stderr()).toBe(0);
    for (const o of heldOutcomes) {
      expect(o).toMatchObject({ status: 200, complete: true });
      expect(JSON.parse(o.body!).answer).toBe(42);
    }
    // Every response the client got is complete; failures are only connections the server never took.
    const answered = outcomes.filter((o) => o.status !== undefined);
    for (const o of answered) {
      expect(o.complete).toBe(true);
      expect([200, 503]).toContain(o.status);
    }
    for (const o of outcomes.filter((x) => x.status === undefined)) {
      expect(["ECONNREFUSED", "ECONNRESET", "EPIPE", "socket hang up"]).toContain(o.error);
    }
    const exitEvent = log.find((e) => e.event === "exit")!;
    expect(exitEvent.finished).toBe(exitEvent.received);
    // The server saw exactly the requests the client got answers to (plus the held and idle ones).
    expect(exitEvent.received).toBe(answered.length + hold + 1);

    const stopping = log.find((e) => e.event === "database-stopping")!;
    expect(stopping.serverListening).toBe(false);
    expect(log.find((e) => e.event === "pool-drained")).toMatchObject({ total: 0, idle: 0 });
    expect(log.map((e) => e.event)).toEqual([
      "listening",
      "held",
      "database-stopping",
      "pool-drained",
      "exit",
    ]);
  });
});
