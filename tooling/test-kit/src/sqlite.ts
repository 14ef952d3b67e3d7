import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A database file in a fresh temporary directory; `remove()` deletes the directory. */
export interface TempSqliteFile {
  readonly filename: string;
  remove(): void;
}

/**
 * A SQLite file path for one test run, in its own temporary directory (so its `-wal` and
 * `-shm` companions go away with it).
 *
 * @example
 * ```ts
 * const file = createTempSqliteFile("orm");
 * afterAll(() => file.remove());
 * ```
 */
export function createTempSqliteFile(label = "run"): TempSqliteFile {
  const dir = mkdtempSync(join(tmpdir(), `dext-${label.replace(/[^a-z0-9]/gi, "_")}-`));
  return {
    filename: join(dir, "test.db"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
