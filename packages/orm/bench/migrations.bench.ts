// The migrator and seeding against Kysely on its own drivers, on SQLite and PostgreSQL, in one run.
//   node --conditions=@dext/source bench/migrations.bench.ts   (BENCH_ROUNDS, BENCH_DB=sqlite|postgres)
import { join } from "node:path";
import { type BenchLine, compare, type Sampler, saveResults } from "@dext/bench-kit";
import { createTempSqliteFile, createTestDatabase } from "@dext/test-kit";
import Sqlite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import { Migrator as KyselyMigrator, type Migration } from "kysely/migration";
import pg from "pg";
import {
  col,
  createDatabase,
  createMigrator,
  createTables,
  type Database,
  defineEntity,
  defineMigration,
  type MigrationDefinition,
  SeedDb,
  validateSchema,
} from "../src/index.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const only = process.env.BENCH_DB;
const MIGRATIONS = 20;
const ROWS = 1000;

/** Twenty small migrations: a table and an index each, as an app's history looks. */
function statements(i: number): string[] {
  return [
    `create table m_${i} (id integer primary key, name text not null, ref integer)`,
    `create index m_${i}_name_idx on m_${i} (name)`,
  ];
}
const ours: MigrationDefinition[] = Array.from({ length: MIGRATIONS }, (_, i) =>
  defineMigration({
    name: `${String(i + 1).padStart(4, "0")}_m_${i}`,
    up: `${statements(i).join(";\n")};`,
    down: `drop table m_${i};`,
  }),
);
const theirs: Record<string, Migration> = Object.fromEntries(
  Array.from({ length: MIGRATIONS }, (_, i) => [
    `${String(i + 1).padStart(4, "0")}_m_${i}`,
    {
      async up(db: Kysely<any>) {
        for (const s of statements(i)) await sql.raw(s).execute(db);
      },
    },
  ]),
);

const Setting = defineEntity("bench_settings", {
  id: col.int().primaryKey().generated(),
  key: col.text().unique(),
  value: col.text(),
});
const rows = Array.from({ length: ROWS }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

/** Times `run` `times` times, each after `reset` (not timed), as `ops` operations per run. */
function timed(
  ops: number,
  reset: () => Promise<unknown>,
  run: () => Promise<unknown>,
  times = 10,
): Sampler {
  return async () => {
    let elapsed = 0;
    for (let i = 0; i < times; i++) {
      await reset();
      const t0 = performance.now();
      await run();
      elapsed += performance.now() - t0;
    }
    return { opsPerSec: (ops * times * 1000) / elapsed };
  };
}

interface Target {
  readonly db: "sqlite" | "postgres";
  readonly database: Database;
  readonly kysely: Kysely<any>;
  close(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const file = createTempSqliteFile("bench-migrations");
  const database = createDatabase({ dialect: "sqlite", filename: file.filename });
  await database.open();
  const raw = new Sqlite(file.filename);
  raw.pragma("journal_mode = WAL");
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    db: "sqlite",
    database,
    kysely,
    async close() {
      await kysely.destroy();
      await database.close();
      file.remove();
    },
  };
}

async function postgresTarget(): Promise<Target> {
  const t = await createTestDatabase("bench-migrations");
  const database = createDatabase({ dialect: "postgres", url: t.url });
  await database.open();
  const kysely = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.url, max: 4 }) }),
  });
  return {
    db: "postgres",
    database,
    kysely,
    async close() {
      await kysely.destroy();
      await database.close();
      await t.drop();
    },
  };
}

async function dropAll(k: Kysely<any>): Promise<void> {
  for (let i = 0; i < MIGRATIONS; i++) await sql.raw(`drop table if exists m_${i}`).execute(k);
  for (const t of ["dext_migrations", "kysely_migration", "kysely_migration_lock"]) {
    await sql.raw(`drop table if exists ${t}`).execute(k);
  }
}

async function run(target: Target): Promise<BenchLine[]> {
  const { db, database, kysely } = target;
  const lines: BenchLine[] = [];
  const migrator = createMigrator(database, { migrations: ours });
  lines.push(
    ...(await compare({
      bench: `migrate-${MIGRATIONS}/${db}`,
      rounds,
      ours: timed(
        MIGRATIONS,
        () => dropAll(kysely),
        () => migrator.up(),
        3,
      ),
      baselines: {
        "kysely-migrator": timed(
          MIGRATIONS,
          () => dropAll(kysely),
          async () => {
            const r = await new KyselyMigrator({
              db: kysely,
              provider: { getMigrations: async () => theirs },
            }).migrateToLatest();
            if (r.error) throw r.error;
          },
          3,
        ),
      },
    })),
  );
  await dropAll(kysely);

  await createTables(database, [Setting]);
  const reset = () => sql`delete from bench_settings`.execute(kysely);
  // The second run of a seeder: every row exists and is unchanged, as on every restart.
  const seedOurs = async () => {
    await using seed = new SeedDb(database);
    await seed.upsert(Setting, rows, { by: Setting.key });
    await seed.upsert(Setting, rows, { by: Setting.key });
  };
  const seedTheirs = async () => {
    for (let pass = 0; pass < 2; pass++) {
      await kysely
        .insertInto("bench_settings")
        .values(rows)
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: sql.ref("excluded.value") }))
        .execute();
    }
  };
  lines.push(
    ...(await compare({
      bench: `upsert-${ROWS}x2/${db}`,
      rounds,
      ours: timed(ROWS * 2, reset, seedOurs),
      baselines: { "kysely-on-conflict": timed(ROWS * 2, reset, seedTheirs) },
    })),
  );
  lines.push(
    ...(await compare({
      bench: `validate-schema/${db}`,
      rounds,
      ours: timed(
        1,
        async () => {},
        () => validateSchema(database, [Setting]),
      ),
      baselines: {
        "kysely-introspection": timed(
          1,
          async () => {},
          () => kysely.introspection.getTables(),
        ),
      },
    })),
  );
  return lines;
}

const all: BenchLine[] = [];
for (const make of [sqliteTarget, postgresTarget]) {
  if (only && !make.name.startsWith(only)) continue;
  const target = await make();
  try {
    all.push(...(await run(target)));
  } finally {
    await target.close();
  }
}
if (!only) {
  const file = await saveResults(join(import.meta.dirname, ".."), "migrations", all, {
    rounds,
    migrations: MIGRATIONS,
    rows: ROWS,
    notes:
      "migrate: ours runs each migration in its own transaction under a lock (advisory lock / BEGIN IMMEDIATE) and re-reads the tracking table; Kysely's Migrator runs the batch in one transaction. upsert: ours only updates rows whose values differ. validate-schema: ours introspects keys, uniques, foreign keys and indexes; Kysely's getTables() reads columns only.",
  });
  console.log(`saved ${file}`);
}
