import type { Logger } from "@dext/core-di";
import { onSession } from "../context/query-context.ts";
import { type Database, databaseImpl } from "../database.ts";
import { isOrmError, OrmError } from "../errors.ts";
import { LockedConnection } from "../internal/migrations/locked-connection.ts";
import { createSeedsTableSql, readSeeds, recordSeed } from "../internal/migrations/seeds-table.ts";
import { defineSeeder, type Seeder } from "./define-seeder.ts";
import { SeedDb } from "./seed-db.ts";

/** Options of {@link runSeeders}. */
export interface RunSeedersOptions {
  /** Which environment to seed (default `NODE_ENV`, else `development`); the host passes its config's. */
  readonly environment?: string | undefined;
  /** Run seeders that already ran: `true` for all, or a list of names. */
  readonly force?: boolean | readonly string[] | undefined;
  /** The table that records which seeders ran (default `dext_seeds`). */
  readonly table?: string | undefined;
  /** How long a seeder waits for another process's seeding to finish, in ms (default 600000). */
  readonly lockTimeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
  /** Called before and after each seeder (the `orm()` module shows it as the host's detail). */
  readonly onProgress?: ((event: SeedProgress) => void) | undefined;
  /** Checked between seeders. */
  readonly signal?: AbortSignal | undefined;
}

/** One step of a seeding run, for progress displays. */
export interface SeedProgress {
  readonly phase: "start" | "done" | "skipped";
  readonly name: string;
  readonly index: number;
  readonly total: number;
  readonly durationMs?: number;
}

/** What one seeder did in a run. */
export interface SeedRun {
  readonly name: string;
  /**
   * `ran`; `skipped-environment` (not for this environment); `skipped-done` (ran before with this
   * version, here or in another process meanwhile).
   */
  readonly status: "ran" | "skipped-environment" | "skipped-done";
  readonly durationMs: number;
}

/**
 * Runs seeders in order, each in its own transaction under a lock (so two processes never seed
 * at once), and records each per environment so it runs once unless its version changes or it is
 * forced. A seeder that throws rolls back and stops the run with `ORM_SEED_FAILED`.
 *
 * @example
 * ```ts
 * await runSeeders(database, [roles, demoUsers], { environment: "development" });
 * ```
 */
export async function runSeeders(
  database: Database,
  seeders: readonly Seeder[],
  options: RunSeedersOptions = {},
): Promise<readonly SeedRun[]> {
  const db = databaseImpl(database, "runSeeders");
  const list = seeders.map((s) => defineSeeder(s));
  const names = new Set<string>();
  for (const s of list) {
    if (names.has(s.name)) {
      throw new OrmError("ORM_INVALID_CONFIG", `runSeeders: two seeders are named "${s.name}"`);
    }
    names.add(s.name);
  }
  const table = options.table ?? "dext_seeds";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `runSeeders: table ${JSON.stringify(table)} must be a plain identifier`,
    );
  }
  const environment = options.environment ?? process.env.NODE_ENV ?? "development";
  const forced = (s: Seeder): boolean =>
    options.force === true || (Array.isArray(options.force) && options.force.includes(s.name));
  const log = options.logger;
  const runs: SeedRun[] = [];
  const eligible = list.filter((s) => {
    const ok = s.environments === undefined || s.environments.includes(environment);
    if (!ok) runs.push({ name: s.name, status: "skipped-environment", durationMs: 0 });
    return ok;
  });
  if (eligible.length === 0) return runs;
  const c = await LockedConnection.open(db, options.signal, `the seeders of database "${db.name}"`);
  try {
    const done = await readSeeds(c, table, environment);
    const plan = eligible.filter((s) => {
      const skip = !forced(s) && done.get(s.name) === s.version;
      if (skip) runs.push({ name: s.name, status: "skipped-done", durationMs: 0 });
      return !skip;
    });
    for (const [i, s] of plan.entries()) {
      options.signal?.throwIfAborted();
      const step = { name: s.name, index: i + 1, total: plan.length };
      options.onProgress?.({ ...step, phase: "start" });
      log?.info(
        { seeder: s.name, step: `${step.index}/${step.total}`, environment },
        `seeder ${step.index}/${step.total}: ${s.name}`,
      );
      let durationMs = 0;
      const status = await c
        .transaction(
          {
            name: table,
            timeoutMs: options.lockTimeoutMs ?? 600_000,
            deferForeignKeys: false,
            what: `seeder ${s.name}`,
          },
          async () => {
            await c.exec(createSeedsTableSql(c, table), "creating the seeds table");
            if (!forced(s) && (await readSeeds(c, table, environment)).get(s.name) === s.version) {
              return "skipped-done" as const;
            }
            const seedDb = onSession(c.session, () => new SeedDb(database, environment));
            const t0 = performance.now();
            try {
              await s.run(seedDb);
            } catch (cause) {
              throw new OrmError(
                "ORM_SEED_FAILED",
                `seeder "${s.name}" failed and its transaction was rolled back, so nothing it wrote was kept: ${cause instanceof Error ? cause.message : String(cause)}`,
                { cause, details: { seeder: s.name, environment } },
              );
            }
            durationMs = performance.now() - t0;
            await recordSeed(c, table, {
              name: s.name,
              environment,
              version: s.version,
              durationMs,
            });
            return "ran" as const;
          },
        )
        .catch((e: unknown) => {
          if (isOrmError(e, "ORM_SEED_FAILED") || isOrmError(e, "ORM_MIGRATION_LOCKED")) throw e;
          if (options.signal?.aborted) throw e;
          throw new OrmError(
            "ORM_SEED_FAILED",
            `seeder "${s.name}" failed and its transaction was rolled back: ${e instanceof Error ? e.message : String(e)}`,
            { cause: e, details: { seeder: s.name, environment } },
          );
        });
      const ms = Math.round(durationMs);
      options.onProgress?.({ ...step, phase: status === "ran" ? "done" : "skipped", durationMs });
      log?.info(
        { seeder: s.name, durationMs: ms, environment },
        status === "ran"
          ? `seeder ${s.name} ran in ${ms} ms`
          : `seeder ${s.name} was run by another process`,
      );
      runs.push({ name: s.name, status, durationMs });
    }
  } finally {
    await c.close();
  }
  return runs;
}
