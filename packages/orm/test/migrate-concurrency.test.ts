import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnNode } from "@dext/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { dialects, openTestDb } from "./support/databases.ts";
import { migrationDir } from "./support/migration-dir.ts";

const child = join(import.meta.dirname, "fixtures/migrate-child.ts");
const MIGRATIONS = 8;

/**
 * A migration that would fail if it ran twice (its table exists) and logs who applied it. The
 * gate (migration 1) holds the migration lock until the other process has announced a
 * migration of its own: that process is then migrating and waits for the lock, so the two runs
 * overlap for certain, and it must find migration 1 applied when it gets the lock.
 */
function migration(n: number, markers: string): string {
  const gate =
    n === 1
      ? `  while (!readdirSync(${JSON.stringify(markers)}).some((f) => !f.startsWith(\`\${process.pid}-\`))) {
    await delay(5);
  }
`
      : "";
  return `import { readdirSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import type { MigrationDb } from "@dext/orm";
export async function up(db: MigrationDb): Promise<void> {
${gate}  await db.schema.createTable("t_${n}").addColumn("id", "integer", (c) => c.primaryKey()).execute();
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: i + 1 }));
  await db.insertInto("t_${n}").values(rows).execute();
  await db.insertInto("applied_log").values({ migration: ${n}, pid: process.pid }).execute();
}
`;
}

describe.each(dialects)("two processes migrating one database at once (%s)", (dialect) => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it("apply each migration exactly once, while both are migrating", async () => {
    const t = await openTestDb(dialect, "concurrency", {}, false);
    cleanup.push(() => t.drop());
    // Create the file (and switch it to WAL) before two processes race to open it.
    await t.database.ping();
    const m = migrationDir("concurrency", {
      "0000_log.sql":
        "-- up\ncreate table applied_log (migration integer not null, pid integer not null);\n",
    });
    cleanup.push(() => m.remove());
    const markers = join(m.dir, "..", "markers");
    mkdirSync(markers);
    for (let n = 1; n <= MIGRATIONS; n++)
      m.write(`${String(n).padStart(4, "0")}_table_${n}.ts`, migration(n, markers));
    const target =
      dialect === "sqlite"
        ? (t.options as { filename: string }).filename
        : (t.options as { url: string }).url;
    const barrier = join(m.dir, "..", "go");
    const procs = [1, 2].map(() =>
      spawnNode(child, { args: [dialect, target, m.dir, barrier, markers] }),
    );
    cleanup.push(() => {
      for (const p of procs) p.kill("SIGKILL");
    });
    await Promise.all(procs.map((p) => p.waitForLine(/^ready$/)));
    writeFileSync(barrier, "go");
    const exits = await Promise.all(procs.map((p) => p.exited()));
    for (const [i, e] of exits.entries()) {
      expect(e, `process ${i + 1} stderr:\n${procs[i]!.stderr()}`).toEqual({
        code: 0,
        signal: null,
      });
    }
    const results = await Promise.all(
      procs.map(
        async (p) => JSON.parse((await p.waitForLine(/^result /)).slice(7)) as [string, string][],
      ),
    );
    // The runs overlapped: one process applied the gate while the other waited, then skipped it.
    const gate = results.map((r) => r.find(([n]) => n === "0001_table_1")?.[1]).sort();
    expect(gate).toEqual(["applied", "skipped"]);
    const appliedBy = results.map((r) => r.filter(([, s]) => s === "applied").map(([n]) => n));
    const all = [...appliedBy[0]!, ...appliedBy[1]!].sort();
    // Every migration applied, none twice: the two processes' applied lists partition the set.
    expect(all).toEqual([
      "0000_log",
      ...Array.from(
        { length: MIGRATIONS },
        (_, i) => `${String(i + 1).padStart(4, "0")}_table_${i + 1}`,
      ),
    ]);
    const log = await t.database.kysely
      .selectFrom("applied_log")
      .select(["migration", "pid"])
      .execute();
    expect(log.map((r) => Number(r.migration)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: MIGRATIONS }, (_, i) => i + 1),
    );
    const tracked = await t.database.kysely.selectFrom("dext_migrations").select("name").execute();
    expect(tracked).toHaveLength(MIGRATIONS + 1);
  });
});
