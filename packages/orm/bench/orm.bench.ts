// @dext/orm against the raw drivers and MikroORM v7, on SQLite and PostgreSQL, in one run.
//   pnpm --filter @dext/orm bench            (BENCH_ROUNDS, BENCH_TIME_MS, BENCH_DB=sqlite|postgres)
// Peers: `raw` (better-sqlite3 prepared statement; pg.Pool.query, unnamed), `raw-prepared`
// (PostgreSQL: pg.Pool.query with named statements, like ours) and `mikro-orm`.
import { join } from "node:path";
import {
  type BenchLine,
  compare,
  type Measurement,
  type Sampler,
  saveResults,
  timeSampler,
} from "@dext/bench-kit";
import { createTempSqliteFile, createTestDatabase } from "@dext/test-kit";
import { MikroORM as MikroPg } from "@mikro-orm/postgresql";
import { MikroORM as MikroSqlite, defineEntity as mikroEntity, p } from "@mikro-orm/sqlite";
import Sqlite from "better-sqlite3";
import pg from "pg";
import {
  col,
  createDatabase,
  createTables,
  type Database,
  DbContext,
  defineEntity,
} from "../src/index.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const timeMs = Number(process.env.BENCH_TIME_MS ?? 250);
const only = process.env.BENCH_DB;
const ROWS = 10_000;
const INSERTS = 10_000;

const User = defineEntity("users", {
  id: col.int().primaryKey().generated(),
  email: col.text().unique(),
  name: col.text(),
  bio: col.text().nullable(),
  version: col.int().version(),
});
const Item = defineEntity("items", {
  id: col.int().primaryKey().generated(),
  name: col.text(),
  qty: col.int(),
  note: col.text().nullable(),
});
class BenchDb extends DbContext {}

const MikroUser = mikroEntity({
  name: "MikroUser",
  tableName: "mikro_users",
  properties: {
    id: p.integer().primary(),
    email: p.string().unique(),
    name: p.string(),
    bio: p.string().nullable(),
    version: p.integer().version(),
  },
});
const MikroItem = mikroEntity({
  name: "MikroItem",
  tableName: "mikro_items",
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    qty: p.integer(),
    note: p.string().nullable(),
  },
});

/** Cycles through 1..ROWS so lookups hit distinct rows (no identity-map hits). */
function counter(): () => number {
  let i = 0;
  return () => (i++ % ROWS) + 1;
}

/** One timed run of `fn` per measurement, reported as `ops` operations. */
function oneShot(
  ops: number,
  before: () => Promise<unknown> | unknown,
  fn: () => Promise<unknown>,
): Sampler {
  return async (): Promise<Measurement> => {
    await before();
    // Start every side with a clean heap, so none pays for the garbage of the side before it.
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    await fn();
    return { opsPerSec: (ops * 1000) / (performance.now() - start) };
  };
}

interface Target {
  readonly db: "sqlite" | "postgres";
  readonly database: Database;
  readonly raw: {
    pk(id: number): unknown;
    list(after: number): unknown;
    insert(rows: readonly { name: string; qty: number; note: string | null }[]): Promise<void>;
    clearItems(): Promise<void>;
  };
  /**
   * PostgreSQL only: the raw driver with named prepared statements (parsed once per connection),
   * as ours uses, so the comparison is like for like. On SQLite `raw` is already prepared.
   */
  readonly rawPrepared?: {
    pk(id: number): unknown;
    list(after: number): unknown;
  };
  readonly mikro: MikroSqlite | MikroPg;
  close(): Promise<void>;
}

const rows = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    name: `${tag}-${i}`,
    qty: i,
    note: i % 3 === 0 ? null : "note",
  }));

async function seed(database: Database): Promise<void> {
  await createTables(database, [User, Item]);
  await using db = new BenchDb(database);
  for (let i = 1; i <= ROWS; i++)
    db.add(User, { email: `user${i}@bench.test`, name: `User ${i}`, bio: i % 2 ? "bio" : null });
  await db.saveChanges();
}

async function seedMikro(mikro: MikroSqlite | MikroPg): Promise<void> {
  await mikro.schema.create();
  const em = mikro.em.fork();
  for (let i = 1; i <= ROWS; i++)
    em.create(MikroUser, {
      email: `user${i}@bench.test`,
      name: `User ${i}`,
      bio: i % 2 ? "bio" : null,
    });
  await em.flush();
}

async function sqliteTarget(): Promise<Target> {
  const file = createTempSqliteFile("orm-bench");
  const database = createDatabase({ dialect: "sqlite", filename: file.filename });
  await seed(database);
  const raw = new Sqlite(file.filename);
  raw.pragma("journal_mode = WAL");
  const pk = raw.prepare("select id, email, name, bio, version from users where id = ?");
  const list = raw.prepare(
    "select id, email, name, bio, version from users where id > ? order by id limit 100",
  );
  const ins = raw.prepare("insert into items (name, qty, note) values (?, ?, ?)");
  const insertAll = raw.transaction(
    (items: readonly { name: string; qty: number; note: string | null }[]) => {
      for (const r of items) ins.run(r.name, r.qty, r.note);
    },
  );
  const mikroFile = createTempSqliteFile("orm-bench-mikro");
  const mikro = await MikroSqlite.init({
    dbName: mikroFile.filename,
    entities: [MikroUser, MikroItem],
    debug: false,
  });
  await mikro.em.getConnection().execute("pragma journal_mode = WAL");
  await seedMikro(mikro);
  return {
    db: "sqlite",
    database,
    raw: {
      pk: (id) => pk.get(id),
      list: (after) => list.all(after),
      insert: async (items) => insertAll(items),
      clearItems: async () => {
        raw.exec("delete from items");
        await mikro.em.getConnection().execute("delete from mikro_items");
      },
    },
    mikro,
    async close() {
      raw.close();
      await mikro.close(true);
      await database.close();
      file.remove();
      mikroFile.remove();
    },
  };
}

async function postgresTarget(): Promise<Target> {
  const t = await createTestDatabase("orm_bench");
  const database = createDatabase({ dialect: "postgres", url: t.url, max: 10 });
  await seed(database);
  const pool = new pg.Pool({ connectionString: t.url, max: 10 });
  const mikro = await MikroPg.init({
    clientUrl: t.url,
    entities: [MikroUser, MikroItem],
    debug: false,
    pool: { min: 0, max: 10 },
  });
  await seedMikro(mikro);
  const pkSql = "select id, email, name, bio, version from users where id = $1";
  const listSql =
    "select id, email, name, bio, version from users where id > $1 order by id limit 100";
  return {
    db: "postgres",
    database,
    rawPrepared: {
      pk: (id) => pool.query({ name: "raw_pk", text: pkSql, values: [id] }).then((r) => r.rows[0]),
      list: (after) =>
        pool.query({ name: "raw_list", text: listSql, values: [after] }).then((r) => r.rows),
    },
    raw: {
      pk: (id) =>
        pool
          .query("select id, email, name, bio, version from users where id = $1", [id])
          .then((r) => r.rows[0]),
      list: (after) =>
        pool
          .query(
            "select id, email, name, bio, version from users where id > $1 order by id limit 100",
            [after],
          )
          .then((r) => r.rows),
      // The usual hand-written bulk insert: multi-row VALUES, 1000 rows a statement, one transaction.
      insert: async (items) => {
        const client = await pool.connect();
        try {
          await client.query("begin");
          for (let i = 0; i < items.length; i += 1000) {
            const batch = items.slice(i, i + 1000);
            const values: unknown[] = [];
            const tuples = batch.map((r, j) => {
              values.push(r.name, r.qty, r.note);
              return `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3})`;
            });
            await client.query(
              `insert into items (name, qty, note) values ${tuples.join(", ")}`,
              values,
            );
          }
          await client.query("commit");
        } finally {
          client.release();
        }
      },
      clearItems: async () => {
        await pool.query("truncate items");
        await pool.query("truncate mikro_items");
      },
    },
    mikro,
    async close() {
      await pool.end();
      await mikro.close(true);
      await database.close();
      await t.drop();
    },
  };
}

async function run(target: Target): Promise<BenchLine[]> {
  const { db, database, raw, rawPrepared, mikro } = target;
  const lines: BenchLine[] = [];
  const ours = counter();
  const theirs = counter();
  const prepared = counter();
  const m = counter();
  lines.push(
    ...(await compare({
      bench: `pk-lookup/${db}`,
      rounds,
      ours: timeSampler(
        async () => {
          await using ctx = new BenchDb(database);
          await ctx.find(User, ours());
        },
        { timeMs },
      ),
      baselines: {
        raw: timeSampler(() => raw.pk(theirs()), { timeMs }),
        ...(rawPrepared
          ? { "raw-prepared": timeSampler(() => rawPrepared.pk(prepared()), { timeMs }) }
          : {}),
        "mikro-orm": timeSampler(() => mikro.em.fork().findOne(MikroUser, { id: m() }), { timeMs }),
      },
    })),
  );

  const after = () => Math.floor(Math.random() * (ROWS - 200));
  lines.push(
    ...(await compare({
      bench: `list-100/${db}`,
      rounds,
      ours: timeSampler(
        async () => {
          await using ctx = new BenchDb(database);
          await ctx.from(User).where(User.id.gt(after())).orderBy(User.id).limit(100).all();
        },
        { timeMs },
      ),
      baselines: {
        raw: timeSampler(() => raw.list(after()), { timeMs }),
        ...(rawPrepared
          ? { "raw-prepared": timeSampler(() => rawPrepared.list(after()), { timeMs }) }
          : {}),
        "mikro-orm": timeSampler(
          () =>
            mikro.em
              .fork()
              .find(MikroUser, { id: { $gt: after() } }, { orderBy: { id: "asc" }, limit: 100 }),
          { timeMs },
        ),
      },
    })),
  );

  let batch = 0;
  const items = () => rows(INSERTS, `b${batch++}`);
  lines.push(
    ...(await compare({
      bench: `insert-10k/${db}`,
      rounds: Math.max(5, rounds),
      ours: oneShot(INSERTS, raw.clearItems, async () => {
        await using ctx = new BenchDb(database);
        for (const r of items()) ctx.add(Item, r);
        await ctx.saveChanges();
      }),
      baselines: {
        raw: oneShot(INSERTS, raw.clearItems, () => raw.insert(items())),
        "mikro-orm": oneShot(INSERTS, raw.clearItems, async () => {
          const em = mikro.em.fork();
          for (const r of items()) em.create(MikroItem, r);
          await em.flush();
        }),
      },
    })),
  );
  return lines;
}

// Dropping the benchmark database terminates connections MikroORM's pg pool may still hold;
// that pool has no error listener of ours, so ignore exactly that shutdown notice.
process.on("uncaughtException", (error: Error & { code?: string }) => {
  if (error.code === "57P01") return;
  throw error;
});

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
  const file = await saveResults(join(import.meta.dirname, ".."), "orm", all, {
    rounds,
    timeMs,
    rows: ROWS,
    notes:
      "raw SQLite is a better-sqlite3 prepared statement (synchronous); raw PostgreSQL is pg.Pool.query with unnamed statements, raw-prepared the same with named (prepared) statements as ours uses; MikroORM v7 forks an EntityManager per operation.",
  });
  console.log(`saved ${file}`);
}
