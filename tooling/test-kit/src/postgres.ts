import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server every Dext machine runs for tests (override with DEXT_TEST_PG_URL). */
export const postgresAdminUrl: string =
  process.env.DEXT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A database created for one test run; `drop()` removes it. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

const PREFIX = "dext_t_";
const STALE_MS = 6 * 60 * 60 * 1000;

function urlFor(name: string): string {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh PostgreSQL database for one test run, so parallel runs never collide.
 * Databases a crashed run left behind (older than six hours) are dropped on the way.
 *
 * @example
 * ```ts
 * const db = await createTestDatabase("orm");
 * afterAll(() => db.drop());
 * ```
 */
export async function createTestDatabase(label = "run"): Promise<TestDatabase> {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "_")
    .slice(0, 20);
  const name = `${PREFIX}${safe}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(async (client) => {
    const stale = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like $1",
      [`${PREFIX}%`],
    );
    for (const { datname } of stale.rows) {
      const stamp = Number.parseInt(datname.split("_").at(-2) ?? "", 36);
      if (Number.isFinite(stamp) && Date.now() - stamp > STALE_MS) {
        await client.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
      }
    }
    await client.query(`create database "${name}"`);
  });
  return {
    name,
    url: urlFor(name),
    drop: () =>
      withAdmin(async (client) => {
        await client.query(`drop database if exists "${name}" with (force)`);
      }),
  };
}
