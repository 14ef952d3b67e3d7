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

/** Instructions per request of one server: counted over `measured` requests after warm-up. */
async function instructionsPerRequest(server: Server): Promise<number> {
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
    const text = readFileSync(join(dir, dump), "utf8");
    const total = /^(?:summary|totals):\s+(\d+)/m.exec(text);
    if (total === null) throw new Error(`${server.name}: no totals in the callgrind dump`);
    return Number(total[1]) / measured;
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
const workloads: { bench: string; ours: Server }[] = [
  {
    bench: "get-user",
    ours: { name: "dext", file: "dext.ts", env: { TRACES_PER_SECOND: "1" } },
  },
  {
    bench: "get-user-no-telemetry",
    ours: { name: "dext-no-telemetry", file: "dext.ts", env: { TELEMETRY: "0" } },
  },
];

const lines: BenchLine[] = [];
for (const { bench, ours } of workloads) {
  // Baseline and ours alternate, twice each; the lower count of each is kept (noise only adds).
  const theirs: number[] = [];
  const mine: number[] = [];
  for (let round = 0; round < 2; round++) {
    theirs.push(await instructionsPerRequest(fastify));
    mine.push(await instructionsPerRequest(ours));
  }
  const t = Math.min(...theirs);
  const m = Math.min(...mine);
  const line: BenchLine = {
    bench,
    ours: Math.round(m),
    baseline: "fastify",
    baselineOps: Math.round(t),
    ratio: Number((t / m).toFixed(3)),
    unit: "instructions per request (ratio: fastify / ours, higher is better)",
    oursRuns: mine.map(Math.round).join(" "),
    baselineRuns: theirs.map(Math.round).join(" "),
  };
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
