// GET /users/:id against bare fastify, raw node:http and NestJS 11 (fastify adapter), each
// server in its own process, measured with autocannon, alternating rounds. Also the cost of
// the lifecycle gate. BENCH_QUICK=1 for a short run while developing.
//
// On a small machine autocannon competes with the server for CPU, so req/s ratios swing with
// what else runs. Where `taskset` exists and there are two or more cores, every server is
// pinned to the last core and this process (autocannon) to the others, so each side has its
// own. Each sample also reads the server process's CPU time (utime + stime from
// /proc/<pid>/stat) before and after, and reports CPU microseconds per request: the cost of
// the server's own work, which the load generator does not distort. `cpuRatio` is
// baseline_cpuUsPerReq / cpuUsPerReq (higher is better, like `ratio`).
//
// Latency percentiles (p50, p99, in ms to the microsecond) are computed from every 2xx
// response's time as autocannon measured it, not from autocannon's histogram, which holds
// whole milliseconds.
//
// Telemetry runs send spans through OpenTelemetry's batch processor to an exporter that drops
// them on arrival. `get-user` uses the production defaults (every request counted in the
// metrics, at most 100 new traces recorded per second) on our side and on its `fastify` peer
// (the same telemetry by hand); `get-user-all-spans` records every request's span on both.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import {
  type BenchLine,
  compare,
  formatLine,
  type Measurement,
  type Side,
  saveResults,
  stealMeter,
} from "@dext/bench-kit";
import { type NodeProcess, spawnNode } from "@dext/test-kit";
import autocannon, { type Result } from "autocannon";

const quick = process.env.BENCH_QUICK === "1";
// Fresh processes of the same server differ far more than two samples of one process: on the
// Intel guest, 8 processes of this layer ran at 22-32 us of CPU per request and 6 of bare
// fastify at 19-33 us, depending on how V8 optimised each. So the number of processes sampled
// sets how small a difference a run can resolve, and each sample is short: 15 processes per
// side at 2 s + 3 s resolve about 1.5x finer than 7 at 3 s + 5 s, for about 40% more time.
const duration = quick ? 1 : 3;
/** Unmeasured load on each fresh server process before its sample, so V8 has optimized it. */
const warmupSeconds = quick ? 1 : 2;
const rounds = quick ? 2 : Number(process.env.BENCH_ROUNDS ?? 15);
const connections = 50;
const here = import.meta.dirname;

/** Pins `pid` (all its threads) to `cpus` when taskset exists; false when it cannot. */
function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const cores = availableParallelism();
const serverCore = String(cores - 1);
const pinned = cores >= 2 && pin(process.pid, `0-${cores - 2}`);

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, all threads) a process has used so far, in microseconds. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks;
}

/** Starts `file` pinned to the server core; resolves with the process and its base URL. */
async function startServer(
  file: string,
  env: Record<string, string>,
): Promise<{ proc: NodeProcess; base: string }> {
  // Pinned from the first thread on (pinning after start can miss threads node is creating).
  const proc = spawnNode(join(here, "servers", file), {
    env: { NODE_ENV: "production", ...env },
    ...(pinned ? { wrapper: ["taskset", "-c", serverCore] } : {}),
  });
  const { port } = JSON.parse(await proc.waitForLine(/"port"/));
  const base = `http://127.0.0.1:${port}`;
  const check = await fetch(`${base}/users/42`);
  const body = (await check.json()) as { id?: number };
  if (check.status !== 200 || body.id !== 42) throw new Error(`${file} answered ${check.status}`);
  return { proc, base };
}

async function stopServer(proc: NodeProcess | undefined): Promise<void> {
  proc?.kill("SIGTERM");
  await proc?.exited();
}

const load = (base: string, seconds: number, latencies?: Latencies): Promise<Result> =>
  new Promise<Result>((resolve, reject) => {
    autocannon(
      { url: `${base}/users/42`, connections, duration: seconds, pipelining: 1 },
      (error, result) => (error ? reject(error) : resolve(result)),
    ).on("response", (_client, status, _bytes, latencyMs) => {
      if (latencies && status < 300) latencies.add(latencyMs);
    });
  });

/**
 * One side: every sample starts a fresh server process, warms it up unmeasured, measures it,
 * and stops it. A process's speed depends on how V8 happened to optimize it (bare fastify's
 * `process.nextTick` lands on a slow runtime path in some processes and not in others, ~20% of
 * its CPU), so one process per side for a whole run made the run a coin flip; a process per
 * sample makes the median a median over those outcomes too.
 */
function server(file: string, env: Record<string, string> = {}): Side {
  let proc: NodeProcess | undefined;
  return {
    async teardown() {
      const running = proc;
      proc = undefined;
      await stopServer(running);
    },
    sample: async (): Promise<Measurement> => {
      const started = await startServer(file, env);
      proc = started.proc;
      try {
        await load(started.base, warmupSeconds);
        const pid = proc.child.pid!;
        const cpuBefore = cpuMicros(pid);
        const latencies = new Latencies();
        const r = await load(started.base, duration, latencies);
        const cpuUsPerReq = (cpuMicros(pid) - cpuBefore) / r.requests.total;
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${file}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        return {
          opsPerSec: r.requests.average,
          extra: { p99: latencies.percentile(99), p50: latencies.percentile(50), cpuUsPerReq },
        };
      } finally {
        const running = proc;
        proc = undefined;
        await stopServer(running);
      }
    },
  };
}

/**
 * Every response's latency as autocannon timed it (a float in ms, from `process.hrtime`).
 * autocannon's own percentiles come from a histogram of whole milliseconds, too coarse here:
 * its p99 of 2 against 3 ms read as 1.5x whatever the microseconds were.
 */
class Latencies {
  #values = new Float64Array(1 << 20);
  #size = 0;
  add(ms: number): void {
    if (this.#size === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#size++] = ms;
  }
  /** The nearest-rank percentile in ms, rounded to the microsecond. */
  percentile(p: number): number {
    const sorted = this.#values.subarray(0, this.#size).sort();
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return Number(sorted[rank - 1]!.toFixed(3));
  }
}

const sides = {
  dext: server("dext.ts"),
  dextNoTelemetry: server("dext.ts", { TELEMETRY: "0" }),
  dextNoGate: server("dext.ts", { TELEMETRY: "0", GATE: "0" }),
  dextSecurity: server("dext.ts", { TELEMETRY: "0", SECURITY_HEADERS: "1" }),
  fastify: server("fastify.ts"),
  fastifyTelemetry: server("fastify-telemetry.ts"),
  dextAllSpans: server("dext.ts", { ALL_SPANS: "1" }),
  fastifyTelemetryAllSpans: server("fastify-telemetry.ts", { ALL_SPANS: "1" }),
  nodeHttp: server("node-http.ts"),
  nestjs: server("nestjs.mjs"),
};

/** Adds `cpuRatio` (baseline CPU per request / ours: higher is better, like `ratio`). */
function withCpuRatio(line: BenchLine): BenchLine {
  const { cpuUsPerReq_ratio: _inverse, ...rest } = line;
  const ours = Number(line.cpuUsPerReq);
  const theirs = Number(line.baseline_cpuUsPerReq);
  return { ...rest, cpuRatio: Number((theirs / ours).toFixed(3)) };
}

/** BENCH_ONLY=get-user,telemetry runs only the named workloads (for development; not saved). */
const only = process.env.BENCH_ONLY?.split(",");
const selected = (bench: string): boolean => only === undefined || only.includes(bench);

/** compare(), with the CPU ratio added to each line before it is printed. */
async function compareWithCpu(options: Parameters<typeof compare>[0]): Promise<BenchLine[]> {
  if (!selected(options.bench)) return [];
  const lines = (await compare({ ...options, print: () => {} })).map(withCpuRatio);
  if (options.print === undefined) {
    for (const line of lines) process.stdout.write(`${formatLine(line)}\n`);
  }
  return lines;
}

const all = Object.values(sides);
const lines: BenchLine[] = [];
const steal = stealMeter();
try {
  // The route runs with telemetry on, so in `get-user` the `fastify` peer is fastify with the
  // same logic and the same telemetry written by hand; `fastify-no-telemetry` is bare fastify
  // without it (the stricter comparison, printed too). node:http and NestJS run without
  // telemetry in every workload. `get-user-no-telemetry` compares the same route with
  // telemetry off against bare fastify.
  lines.push(
    ...(await compareWithCpu({
      bench: "get-user",
      ours: sides.dext,
      baselines: {
        fastify: sides.fastifyTelemetry,
        "fastify-no-telemetry": sides.fastify,
        "node-http": sides.nodeHttp,
        nestjs: sides.nestjs,
      },
      rounds,
      warmupRounds: 0,
      pairedExtras: ["p99"],
    })),
  );
  lines.push(
    ...(await compareWithCpu({
      bench: "get-user-all-spans",
      ours: sides.dextAllSpans,
      baselines: {
        fastify: sides.fastifyTelemetryAllSpans,
        "fastify-no-telemetry": sides.fastify,
      },
      rounds,
      warmupRounds: 0,
      pairedExtras: ["p99"],
    })),
  );
  lines.push(
    ...(await compareWithCpu({
      bench: "get-user-no-telemetry",
      ours: sides.dextNoTelemetry,
      baselines: { fastify: sides.fastify, "node-http": sides.nodeHttp, nestjs: sides.nestjs },
      rounds,
      warmupRounds: 0,
      pairedExtras: ["p99"],
    })),
  );
  // What single features cost: the same app with the feature on (ours) and off (baseline).
  const costOf = async (bench: string, on: Side, offName: string, off: Side) => {
    if (!selected(bench)) return;
    const [line] = await compareWithCpu({
      bench,
      ours: on,
      baselines: { [offName]: off },
      rounds,
      warmupRounds: 0,
      pairedExtras: ["p99"],
      print: () => {},
    });
    // Two views of the same cost: req/s lost, and extra server CPU per request.
    const withCost = {
      ...line!,
      costPct: Number(((1 - line!.ratio) * 100).toFixed(2)),
      cpuCostPct: Number(((1 / Number(line!.cpuRatio) - 1) * 100).toFixed(2)),
    };
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
  await costOf("telemetry-all-spans", sides.dextAllSpans, "no-telemetry", sides.dextNoTelemetry);
} finally {
  for (const s of all) await s.teardown!(); // only what a failed workload left running
}
// A run during which other guests took more than this share of the CPU is printed, not saved.
const maxStealPct = Number(process.env.BENCH_MAX_STEAL_PCT ?? 2);
const stealPct = steal.stop();
process.stdout.write(`cpu steal during the run: ${stealPct ?? "unknown"}%\n`);
if (stealPct !== undefined && stealPct > maxStealPct) {
  process.stdout.write(
    `not saved: steal above ${maxStealPct}% (BENCH_MAX_STEAL_PCT) measures the neighbours\n`,
  );
} else if (!quick && only === undefined) {
  const file = await saveResults(join(here, ".."), "http", lines, {
    tool: "autocannon",
    connections,
    durationSeconds: duration,
    rounds,
    samples: `each sample a fresh server process: ${warmupSeconds} s of unmeasured load, then ${duration} s measured`,
    pinned: pinned ? `servers on cpu ${serverCore}, autocannon on 0-${cores - 2}` : "no",
    spans: "batch processor -> exporter that drops each batch (see bench/servers/shared.ts)",
    stealPct: stealPct ?? "unknown",
  });
  process.stdout.write(`saved ${file}\n`);
}
