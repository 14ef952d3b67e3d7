import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchLine } from "./compare.ts";
import { machine, stealMeter } from "./machine.ts";

// Steal since the benchmark process loaded this module: about the whole run.
const sinceLoad = stealMeter();

/**
 * Writes `bench/results/<name>.json` under `packageDir`: the machine, the CPU steal during the
 * run (`stealPct`: the share of CPU time the hypervisor gave other guests since the benchmark
 * started; a `stealPct` in `notes` wins) and every line, so a committed result always says
 * where, and in what conditions, it was measured.
 */
export async function saveResults(
  packageDir: string,
  name: string,
  lines: readonly BenchLine[],
  notes?: Readonly<Record<string, unknown>>,
): Promise<string> {
  const dir = join(packageDir, "bench", "results");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  await writeFile(
    file,
    `${JSON.stringify(
      { machine: machine(), stealPct: sinceLoad.stop() ?? "unknown", ...notes, results: lines },
      null,
      2,
    )}\n`,
  );
  return file;
}
