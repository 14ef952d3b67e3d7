import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchLine } from "./compare.ts";
import { machine } from "./machine.ts";

/**
 * Writes `bench/results/<name>.json` under `packageDir`: the machine and every line, so a
 * committed result always says where it was measured.
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
    `${JSON.stringify({ machine: machine(), ...notes, results: lines }, null, 2)}\n`,
  );
  return file;
}
