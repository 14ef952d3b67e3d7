// GET /users/:id against bare fastify, raw node:http and NestJS 11 (fastify adapter), each
// server in its own process, measured with autocannon, alternating rounds. Also the cost of
// the lifecycle gate. BENCH_QUICK=1 for a short run while developing.
import { join } from "node:path";
import {
  type BenchLine,
  compare,
  formatLine,
  type Measurement,
  type Side,
  saveResults,
} from "@dext/bench-kit";
import { type NodeProcess, spawnNode } from "@dext/test-kit";
import autocannon from "autocannon";

const quick = process.env.BENCH_QUICK === "1";
const duration = quick ? 1 : 5;
const rounds = quick ? 2 : 5;
const connections = 50;
const here = import.meta.dirname;

function server(file: string, env: Record<string, string> = {}): Side & { url(): string } {
  let proc: NodeProcess | undefined;
  let base = "";
  return {
    async setup() {
      proc = spawnNode(join(here, "servers", file), { env: { NODE_ENV: "production", ...env } });
      const { port } = JSON.parse(await proc.waitForLine(/"port"/));
      base = `http://127.0.0.1:${port}`;
      const check = await fetch(`${base}/users/42`);
      const body = (await check.json()) as { id?: number };
      if (check.status !== 200 || body.id !== 42)
        throw new Error(`${file} answered ${check.status}`);
    },
    async teardown() {
      proc?.kill("SIGTERM");
      await proc?.exited();
    },
    url: () => base,
    sample: async (): Promise<Measurement> => {
      const r = await autocannon({
        url: `${base}/users/42`,
        connections,
        duration,
        pipelining: 1,
      });
      if (r.non2xx > 0 || r.errors > 0)
        throw new Error(`${file}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return { opsPerSec: r.requests.average, extra: { p99: r.latency.p99 } };
    },
  };
}

const sides = {
  dext: server("dext.ts"),
  dextNoTelemetry: server("dext.ts", { TELEMETRY: "0" }),
  dextNoGate: server("dext.ts", { TELEMETRY: "0", GATE: "0" }),
  dextSecurity: server("dext.ts", { TELEMETRY: "0", SECURITY_HEADERS: "1" }),
  fastify: server("fastify.ts"),
  fastifyTelemetry: server("fastify-telemetry.ts"),
  nodeHttp: server("node-http.ts"),
  nestjs: server("nestjs.mjs"),
};

const all = Object.values(sides);
for (const s of all) await s.setup!();
const lines: BenchLine[] = [];
try {
  const peers = { fastify: sides.fastify, "node-http": sides.nodeHttp, nestjs: sides.nestjs };
  const bare = (s: Side): Side => ({ sample: s.sample });
  const baselines = Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, bare(v)]));
  // get-user also against fastify doing the same tracing and metrics by hand.
  const withTelemetry = { ...baselines, "fastify-telemetry": bare(sides.fastifyTelemetry) };
  lines.push(
    ...(await compare({
      bench: "get-user",
      ours: bare(sides.dext),
      baselines: withTelemetry,
      rounds,
    })),
  );
  lines.push(
    ...(await compare({
      bench: "get-user-no-telemetry",
      ours: bare(sides.dextNoTelemetry),
      baselines,
      rounds,
    })),
  );
  // What single features cost: the same app with the feature on (ours) and off (baseline).
  const costOf = async (bench: string, on: Side, offName: string, off: Side) => {
    const [line] = await compare({
      bench,
      ours: bare(on),
      baselines: { [offName]: bare(off) },
      rounds,
      print: () => {},
    });
    const withCost = { ...line!, costPct: Number(((1 - line!.ratio) * 100).toFixed(2)) };
    process.stdout.write(`${formatLine(withCost)}\n`);
    lines.push(withCost);
  };
  await costOf("lifecycle-gate", sides.dextNoTelemetry, "no-gate", sides.dextNoGate);
  await costOf(
    "security-headers",
    sides.dextSecurity,
    "no-security-headers",
    sides.dextNoTelemetry,
  );
  await costOf("telemetry", sides.dext, "no-telemetry", sides.dextNoTelemetry);
} finally {
  for (const s of all) await s.teardown!();
}
if (!quick) {
  const file = await saveResults(join(here, ".."), "http", lines, {
    tool: "autocannon",
    connections,
    durationSeconds: duration,
    rounds,
  });
  process.stdout.write(`saved ${file}\n`);
}
