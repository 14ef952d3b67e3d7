// 30 s of mixed browsing and posting against the forum on SQLite, then on PostgreSQL:
// `pnpm --filter so4-forum load`. The server runs in its own process; autocannon drives it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { machine } from "@dext/bench-kit";
import { createTestDatabase, spawnNode } from "@dext/test-kit";
import autocannon from "autocannon";
import { DEMO_PASSWORD } from "../src/db/demo-seeder.ts";

const DURATION_S = Number(process.env.LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 20);
const appDir = join(import.meta.dirname, "..");

interface LoadResult {
  readonly database: "sqlite" | "postgres";
  readonly durationS: number;
  readonly connections: number;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly mix: string;
}

async function json(url: string, init?: RequestInit): Promise<any> {
  const r = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
  });
  if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function run(database: "sqlite" | "postgres"): Promise<LoadResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "so4-load-"));
  const pg = database === "postgres" ? await createTestDatabase("forum_load") : undefined;
  const server = spawnNode(join(appDir, "src/main.ts"), {
    cwd: appDir,
    env: {
      PORT: "0",
      FORUM_DATA_DIR: dataDir,
      DATABASE_URL: pg?.url ?? "",
      DEXT_ENV: "production",
      DEXT__TELEMETRY__LOGGING__LEVEL: "warn",
    },
  });
  try {
    const ready = await server.waitForLine(/so4 forum is ready at /);
    const base = /(http:\/\/\S+)/.exec(ready)![1]!;
    const { token } = await json(`${base}/api/sessions`, {
      method: "POST",
      body: JSON.stringify({ email: "ada@example.com", password: DEMO_PASSWORD }),
    });
    const threads = await json(`${base}/api/threads?size=10`);
    const long = threads.items.find(
      (t: { title: string }) => t.title === "A long thread to try paging",
    ).id;
    const other = threads.items.find((t: { id: number }) => t.id !== long).id;
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    // Nine reads (pages and API) for every write, like a forum's traffic.
    const requests = [
      { method: "GET", path: "/" },
      { method: "GET", path: "/c/showcase" },
      { method: "GET", path: `/t/${long}` },
      { method: "GET", path: `/t/${long}?page=2` },
      { method: "GET", path: "/api/threads" },
      { method: "GET", path: `/api/threads/${other}/posts` },
      { method: "GET", path: `/t/${other}` },
      { method: "GET", path: "/api/categories" },
      { method: "GET", path: "/c/general" },
      {
        method: "POST",
        path: `/api/threads/${other}/posts`,
        headers: auth,
        body: JSON.stringify({ body: "load test reply" }),
      },
    ] as const;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: requests.map((r) => ({ ...r })),
    });
    return {
      database,
      durationS: DURATION_S,
      connections: CONNECTIONS,
      requests: result.requests.total,
      reqPerSec: Math.round(result.requests.average),
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      mix: "9 reads (pages, API) : 1 reply (API), cycled per connection",
    };
  } finally {
    server.kill("SIGTERM");
    await server.exited();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: LoadResult[] = [];
for (const database of ["sqlite", "postgres"] as const) {
  const r = await run(database);
  results.push(r);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
await mkdir(join(appDir, "bench/results"), { recursive: true });
writeFileSync(
  join(appDir, "bench/results/load.json"),
  `${JSON.stringify({ machine: machine(), results }, null, 2)}\n`,
);
const failures = results.filter((r) => r.errors + r.timeouts + r.non2xx > 0);
if (failures.length > 0) {
  process.stderr.write(
    `errors under load: ${failures.map((f) => `${f.database}: ${f.errors} errors, ${f.timeouts} timeouts, ${f.non2xx} non-2xx`).join("; ")}\n`,
  );
  process.exitCode = 1;
}
