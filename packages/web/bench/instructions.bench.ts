// Instructions per request, counted by valgrind's callgrind: the server's user-space work for
// `GET /users/:id`, independent of how fast the (shared, noisy) machine is at the moment.
// Each server runs under callgrind with `node --single-threaded` (no concurrent compiler
// threads: most runs repeat within 2%, about one in four comes out 5-17% higher, so each side
// runs twice and the lower count is kept); autocannon sends 6,000 warm-up requests, the
// counters are zeroed, 10,000 more are sent and counted. Kernel time (the socket syscalls,
// the same for every server) is not counted, so ratios here are wider than req/s ratios.
//
// Under valgrind a server handles a few hundred requests a second, so telemetry's cap of
// traces per second would record a far larger share of requests than in production; the
// telemetry run caps at 1 trace per second, which records about the same share (~0.3%) as
// production's 100 per second at 30-50k req/s.
//
// `pnpm --filter @dext/web bench:instructions` (about 2 minutes per server; needs valgrind).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchLine, formatLine, saveResults } from "@dext/bench-kit";
import autocannon from "autocannon";

const here = import.meta.dirname;
const warmup = 6000;
const measured = Number(process.env.BENCH_REQUESTS ?? 10_000);

interface Server {
  readonly name: string;
  readonly file: string;
  readonly env: Record<string, string>;
}

function load(url: string, amount: number): Promise<void> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 10, amount }, (error, result) => {
      if (error) reject(error);
      else if (result.non2xx > 0 || result.errors > 0)
        reject(new Error(`${result.non2xx} non-2xx, ${result.errors} errors`));
      else resolve();
    });
  });
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
}

/** What one callgrind run of a server counted, per request. */
interface Count {
  /** Every instruction the process executed in user space. */
  readonly total: number;
  /** The same without V8's optimising compilers (TurboFan, Turboshaft, Maglev) at work. */
  readonly execution: number;
  /** Calls into V8's runtime to define a computed key of an object literal. */
  readonly literalRuntimeCalls: number;
}

const compilerFunction = /v8::internal::compiler::|turboshaft|maglev/i;
const literalRuntime = "Runtime_DefineKeyedOwnPropertyInLiteral";

/**
 * Reads a callgrind dump: the total, the self cost of V8's compiler functions (named in the
 * node binary) and the calls to the literal runtime function. With `--single-threaded`, V8
 * compiles on the main thread, and under valgrind it is still compiling after the warm-up
 * (about 40% of the total in our runs; at full speed its worker threads use ~2% of the CPU),
 * so `execution` is the figure that stands for the per-request work.
 */
function readDump(text: string, requests: number): Count {
  const total = /^(?:summary|totals):\s+(\d+)/m.exec(text);
  if (total === null) throw new Error("no totals in the callgrind dump");
  const names = new Map<string, string>();
  const nameOf = (spec: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (m === null) return spec;
    if (m[2] !== undefined) names.set(m[1]!, m[2]);
    return names.get(m[1]!) ?? "";
  };
  let inCompiler = false;
  let callee = "";
  let afterCall = false;
  let compiler = 0;
  let literalCalls = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("fn=")) inCompiler = compilerFunction.test(nameOf(line.slice(3)));
    else if (line.startsWith("cfn=")) callee = nameOf(line.slice(4));
    else if (line.startsWith("calls=")) {
      afterCall = true; // the next cost line is the call's inclusive cost, not self cost
      if (callee.includes(literalRuntime)) literalCalls += Number(line.slice(6).split(" ")[0]);
    } else if (/^[+\-*\d]/.test(line)) {
      if (afterCall) afterCall = false;
      else if (inCompiler) compiler += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  const all = Number(total[1]);
  return {
    total: all / requests,
    execution: (all - compiler) / requests,
    literalRuntimeCalls: literalCalls / requests,
  };
}

/** Instructions per request of one server: counted over `measured` requests after warm-up. */
async function instructionsPerRequest(server: Server): Promise<Count> {
  const dir = mkdtempSync(join(tmpdir(), "dext-callgrind-"));
  const child = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      "--smc-check=all-non-file",
      `--callgrind-out-file=${join(dir, "cg.%p")}`,
      process.execPath,
      "--single-threaded",
      "--conditions=@dext/source",
      join(here, "servers", server.file),
    ],
    {
      env: { ...process.env, NODE_ENV: "production", ...server.env },
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  try {
    const port = await waitForPort(child);
    const url = `http://127.0.0.1:${port}/users/42`;
    await load(url, warmup);
    execFileSync("callgrind_control", ["-z", String(child.pid)], { stdio: "ignore" });
    await load(url, measured);
    execFileSync("callgrind_control", ["-d", String(child.pid)], { stdio: "ignore" });
    // The dump on request is the file with a part number (`cg.<pid>.1`).
    const dump = readdirSync(dir).find((f) => /^cg\.\d+\.\d+$/.test(f));
    if (dump === undefined) throw new Error(`${server.name}: callgrind wrote no dump`);
    return readDump(readFileSync(join(dir, dump), "utf8"), measured);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  execFileSync("valgrind", ["--version"], { stdio: "ignore" });
} catch {
  process.stdout.write("valgrind is not installed; nothing measured\n");
  process.exit(0);
}

const fastify: Server = { name: "fastify", file: "fastify.ts", env: {} };
// The route runs with telemetry on, so `get-user`'s `fastify` peer is fastify with the same
// telemetry by hand, under the same trace cap; bare fastify is `fastify-no-telemetry`.
const fastifyTelemetry: Server = {
  name: "fastify",
  file: "fastify-telemetry.ts",
  env: { TRACES_PER_SECOND: "1" },
};
const dext: Server = { name: "dext", file: "dext.ts", env: { TRACES_PER_SECOND: "1" } };
const workloads: { bench: string; ours: Server; baseline: Server }[] = [
  { bench: "get-user", ours: dext, baseline: fastifyTelemetry },
  { bench: "get-user", ours: dext, baseline: { ...fastify, name: "fastify-no-telemetry" } },
  {
    bench: "get-user-no-telemetry",
    ours: { name: "dext-no-telemetry", file: "dext.ts", env: { TELEMETRY: "0" } },
    baseline: fastify,
  },
];

// Each server is counted twice (the lower count is kept: noise only adds), once per server even
// when two lines share it; a line's two servers alternate.
const counted = new Map<string, Count[]>();
const key = (server: Server): string => `${server.file} ${JSON.stringify(server.env)}`;

const lines: BenchLine[] = [];
for (const { bench, ours, baseline } of workloads) {
  const theirs = counted.get(key(baseline)) ?? [];
  const mine = counted.get(key(ours)) ?? [];
  for (let round = 0; round < 2; round++) {
    if (theirs.length <= round) theirs.push(await instructionsPerRequest(baseline));
    if (mine.length <= round) mine.push(await instructionsPerRequest(ours));
  }
  counted.set(key(baseline), theirs);
  counted.set(key(ours), mine);
  const lowest = (counts: Count[]): Count =>
    counts.reduce((a, b) => (b.execution < a.execution ? b : a));
  const t = lowest(theirs);
  const m = lowest(mine);
  const line: BenchLine = {
    bench,
    ours: Math.round(m.execution),
    baseline: baseline.name,
    baselineOps: Math.round(t.execution),
    ratio: Number((t.execution / m.execution).toFixed(3)),
    unit: "instructions per request without V8's compilers (ratio: baseline / ours, higher is better)",
    oursTotal: Math.round(m.total),
    baselineTotal: Math.round(t.total),
    totalRatio: Number((t.total / m.total).toFixed(3)),
    oursRuns: mine.map((c) => Math.round(c.execution)).join(" "),
    baselineRuns: theirs.map((c) => Math.round(c.execution)).join(" "),
    // Node's process.nextTick builds an object literal with computed symbol keys; when its
    // optimised code falls back to the runtime for them (seen in bare fastify on one machine,
    // ~28 calls and a fifth of its instructions per request), the baseline is slowed.
    oursLiteralRuntimeCalls: Number(m.literalRuntimeCalls.toFixed(2)),
    baselineLiteralRuntimeCalls: Number(t.literalRuntimeCalls.toFixed(2)),
  };
  if (t.literalRuntimeCalls > 5 || m.literalRuntimeCalls > 5) {
    process.stderr.write(
      `${bench}: a server called V8's literal runtime ${Math.max(t.literalRuntimeCalls, m.literalRuntimeCalls).toFixed(1)} times per request (process.nextTick off its fast path): the ratio measures that\n`,
    );
  }
  process.stdout.write(`${formatLine(line)}\n`);
  lines.push(line);
}
if (process.env.BENCH_NO_SAVE !== "1") {
  const file = await saveResults(join(here, ".."), "instructions", lines, {
    tool: "valgrind --tool=callgrind (node --single-threaded)",
    warmupRequests: warmup,
    measuredRequests: measured,
    connections: 10,
  });
  process.stdout.write(`saved ${file}\n`);
}
