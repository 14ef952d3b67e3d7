import { jsonLogger } from "@dext/core-di";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { databaseImpl } from "../src/database.ts";
import {
  createMigrator,
  type Database,
  defineMigration,
  type MigrationProgress,
  type MigratorOptions,
} from "../src/index.ts";
import { advisoryKey } from "../src/internal/migrations/locked-connection.ts";
import { readSchema } from "../src/internal/schema/read-schema.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { type MigrationDir, migrationDir, sqlMigration } from "./support/migration-dir.ts";
import { tableNames } from "./support/schema.ts";

const code = (c: string) => expect.objectContaining({ code: c });

/** The live schema as plain data, to compare before and after. */
async function snapshot(database: Database): Promise<unknown> {
  const s = await readSchema(databaseImpl(database, "test"));
  return [...s.tables.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function count(database: Database, table: string): Promise<number> {
  const r = await database.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const users = sqlMigration(
  "create table users (id integer primary key, email text not null);",
  "drop table users;",
);
const posts = sqlMigration(
  "create table posts (id integer primary key, user_id integer not null references users (id));\ncreate index posts_user_id_idx on posts (user_id);",
  "drop table posts;",
);

describe.each(dialects)("migrations (%s)", (dialect) => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(
    files: Record<string, string>,
    options: Omit<MigratorOptions, "dir"> = {},
  ): Promise<{ t: TestDb; m: MigrationDir; migrator: ReturnType<typeof createMigrator> }> {
    const t = await openTestDb(dialect, "migrations", {}, false);
    cleanup.push(() => t.drop());
    const m = migrationDir("migrations", files);
    cleanup.push(() => m.remove());
    return { t, m, migrator: createMigrator(t.database, { dir: m.dir, ...options }) };
  }

  it("applies SQL and TypeScript migrations in prefix order (9 before 10), recording each", async () => {
    const { t, migrator } = await setup({
      "9_users.sql": users,
      "10_posts.sql": posts,
      "11_seed_admin.ts": `
        import type { MigrationContext, MigrationDb } from "@dext/orm";
        export async function up(db: MigrationDb, ctx: MigrationContext): Promise<void> {
          await db.insertInto("users").values({ id: 1, email: ctx.name + "@" + ctx.dialect }).execute();
        }
        export async function down(db: MigrationDb): Promise<void> {
          await db.deleteFrom("users").where("id", "=", 1).execute();
        }`,
      "README.md": "not a migration",
    });
    expect((await migrator.status()).pending.map((p) => p.name)).toEqual([
      "9_users",
      "10_posts",
      "11_seed_admin",
    ]);
    const runs = await migrator.up();
    expect(runs.map((r) => [r.name, r.status])).toEqual([
      ["9_users", "applied"],
      ["10_posts", "applied"],
      ["11_seed_admin", "applied"],
    ]);
    const row = await t.database.kysely.selectFrom("users").selectAll().executeTakeFirstOrThrow();
    expect(row.email).toBe(`11_seed_admin@${dialect}`);
    const tracked = await t.database.kysely
      .selectFrom("dext_migrations")
      .selectAll()
      .orderBy("name")
      .execute();
    expect(tracked).toHaveLength(3);
    for (const r of tracked) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(r.duration_ms)).toBeGreaterThanOrEqual(0);
      expect(new Date(r.applied_at as string).getTime()).not.toBeNaN();
    }
    const s = await migrator.status();
    expect(s.applied.map((a) => a.name)).toEqual(["9_users", "10_posts", "11_seed_admin"]);
    expect(s.applied[0]!.source).toMatch(/9_users\.sql$/);
    expect(s).toMatchObject({ pending: [], changed: [], missing: [], current: "11_seed_admin" });
    expect(await migrator.up()).toEqual([]);
  });

  it("up({ to }) stops at a migration; down({ steps }) and down({ to }) roll back in reverse", async () => {
    const { t, migrator } = await setup({
      "0001_users.sql": users,
      "0002_posts.sql": posts,
      "0003_tags.sql": sqlMigration(
        "create table tags (id integer primary key);",
        "drop table tags;",
      ),
    });
    await migrator.up({ to: "0002_posts" });
    expect(await tableNames(t.database)).toEqual(["dext_migrations", "posts", "users"]);
    await migrator.up();
    expect((await migrator.down()).map((r) => r.name)).toEqual(["0003_tags"]);
    await migrator.up();
    const back = await migrator.down({ to: "0001_users" });
    expect(back.map((r) => [r.name, r.status])).toEqual([
      ["0003_tags", "reverted"],
      ["0002_posts", "reverted"],
    ]);
    expect(await tableNames(t.database)).toEqual(["dext_migrations", "users"]);
    await migrator.down({ steps: Number.POSITIVE_INFINITY });
    expect(await tableNames(t.database)).toEqual(["dext_migrations"]);
    expect((await migrator.status()).pending).toHaveLength(3);
    await expect(migrator.up({ to: "0009_nope" })).rejects.toThrowError(
      code("ORM_MIGRATION_NOT_FOUND"),
    );
    await expect(migrator.down({ to: "0002_posts" })).rejects.toThrowError(
      code("ORM_MIGRATION_NOT_FOUND"),
    );
    await expect(migrator.down({ steps: -1 })).rejects.toThrowError(code("ORM_INVALID_CONFIG"));
  });

  it("a migration that fails half-way leaves the schema exactly as before it", async () => {
    const { t, m, migrator } = await setup({ "0001_users.sql": users });
    await migrator.up();
    await t.database.kysely.insertInto("users").values({ id: 1, email: "a@x" }).execute();
    const before = await snapshot(t.database);
    m.write(
      "0002_half.sql",
      sqlMigration(
        [
          "create table audit (id integer primary key, note text);",
          "insert into audit (id, note) values (1, 'half');",
          "alter table users add column nickname text;",
          "create index users_email_idx on users (email);",
          "insert into users (id, email) values (2, 'b@x');",
          "insert into no_such_table values (1);",
        ].join("\n"),
        "drop table audit;",
      ),
    );
    const error = await migrator.up().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ORM_MIGRATION_FAILED",
      details: { migration: "0002_half", direction: "up" },
    });
    expect((error as Error).message).toContain("0002_half.sql");
    expect((error as Error).message).toContain("rolled back");
    expect(await snapshot(t.database)).toEqual(before);
    expect(await count(t.database, "users")).toBe(1);
    const s = await migrator.status();
    expect(s.applied.map((a) => a.name)).toEqual(["0001_users"]);
    expect(s.pending.map((p) => p.name)).toEqual(["0002_half"]);
  });

  it("a TypeScript migration that throws half-way leaves the schema as before it", async () => {
    const { t, m, migrator } = await setup({ "0001_users.sql": users });
    await migrator.up();
    const before = await snapshot(t.database);
    m.write(
      "0002_half.ts",
      `import type { MigrationDb } from "@dext/orm";
       export async function up(db: MigrationDb): Promise<void> {
         await db.schema.createTable("audit").addColumn("id", "integer", (c) => c.primaryKey()).execute();
         await db.schema.alterTable("users").addColumn("nickname", "text").execute();
         await db.insertInto("users").values({ id: 5, email: "e@x" }).execute();
         throw new Error("the data was not what this migration expected");
       }`,
    );
    await expect(migrator.up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_FAILED",
        message: expect.stringContaining("the data was not what this migration expected"),
      }),
    );
    expect(await snapshot(t.database)).toEqual(before);
    expect(await count(t.database, "users")).toBe(0);
  });

  it("a migration that leaves a dangling foreign key fails and rolls back (SQLite checks before commit)", async () => {
    const { t, m, migrator } = await setup({ "0001_users.sql": users, "0002_posts.sql": posts });
    await migrator.up();
    const before = await snapshot(t.database);
    m.write(
      "0003_orphan.sql",
      sqlMigration(
        "create table notes (id integer primary key);\ninsert into posts (id, user_id) values (1, 42);",
      ),
    );
    const error = await migrator.up().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ORM_MIGRATION_FAILED",
      details: { migration: "0003_orphan" },
    });
    expect((error as Error).message).toMatch(
      dialect === "sqlite"
        ? /foreign keys point at missing rows \(posts rowid 1 -> users\)/
        : /foreign key/,
    );
    expect(await snapshot(t.database)).toEqual(before);
    expect(await count(t.database, "posts")).toBe(0);
  });

  it("runs past the pool's statement timeout (PostgreSQL) and keeps SQLite's foreign keys on afterwards", async () => {
    const { t, migrator } = await setup({
      "0001_users.sql": users,
      "0002_posts.sql": posts,
      "0003_slow.postgres.sql": sqlMigration("select pg_sleep(0.2);"),
    });
    const strict = t.open({ ...(dialect === "postgres" ? { statementTimeoutMs: 50 } : {}) });
    const m2 = createMigrator(strict, { dir: migrator.dir as string });
    await m2.up();
    // Foreign keys are enforced again outside migrations.
    await expect(
      strict.kysely.insertInto("posts").values({ id: 1, user_id: 99 }).execute(),
    ).rejects.toThrowError(expect.objectContaining({ code: "ORM_FOREIGN_KEY_VIOLATION" }));
  });

  it("an edited applied migration is ORM_MIGRATION_CHANGED naming the file, never re-run", async () => {
    const { t, m, migrator } = await setup({ "0001_users.sql": users, "0002_posts.sql": posts });
    await migrator.up();
    m.write("0001_users.sql", users.replace("email text not null", "email text"));
    m.write("0003_tags.sql", sqlMigration("create table tags (id integer primary key);"));
    const error = await migrator.up().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ORM_MIGRATION_CHANGED",
      details: { migrations: ["0001_users"] },
    });
    expect((error as Error).message).toContain("0001_users.sql");
    expect(await tableNames(t.database)).not.toContain("tags");
    const s = await migrator.status();
    expect(s.changed).toEqual([
      expect.objectContaining({
        name: "0001_users",
        source: expect.stringMatching(/0001_users\.sql$/),
      }),
    ]);
    await expect(migrator.down({ steps: 2 })).rejects.toThrowError(code("ORM_MIGRATION_CHANGED"));
    // A CRLF checkout of the same text is not a change.
    m.write("0001_users.sql", users.replaceAll("\n", "\r\n"));
    expect((await migrator.status()).changed).toEqual([]);
    // An intended edit is accepted with repair(), after which the run goes on.
    m.write("0001_users.sql", `-- a comment added later\n${users}`);
    expect(await migrator.repair()).toEqual(["0001_users"]);
    expect((await migrator.up()).map((r) => r.name)).toEqual(["0003_tags"]);
  });

  it("refuses to run when the database has migrations this code lacks (ORM_MIGRATION_MISSING)", async () => {
    const { m, migrator } = await setup({ "0001_users.sql": users, "0002_posts.sql": posts });
    await migrator.up();
    m.write("0003_tags.sql", sqlMigration("create table tags (id integer primary key);"));
    const { rmSync } = await import("node:fs");
    rmSync(`${m.dir}/0002_posts.sql`);
    await expect(migrator.up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_MISSING",
        message: expect.stringContaining("0002_posts"),
      }),
    );
    expect((await migrator.status()).missing.map((x) => x.name)).toEqual(["0002_posts"]);
    await expect(migrator.down()).rejects.toThrowError(code("ORM_MIGRATION_MISSING"));
  });

  it("a pending migration older than an applied one is ORM_MIGRATION_ORDER unless allowed", async () => {
    const { t, m, migrator } = await setup({ "0001_users.sql": users, "0003_posts.sql": posts });
    await migrator.up();
    m.write("0002_tags.sql", sqlMigration("create table tags (id integer primary key);"));
    await expect(migrator.up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_ORDER",
        message: expect.stringContaining("0003_posts"),
      }),
    );
    expect(await tableNames(t.database)).not.toContain("tags");
    const lenient = createMigrator(t.database, { dir: m.dir, allowOutOfOrder: true });
    expect((await lenient.up()).map((r) => r.name)).toEqual(["0002_tags"]);
  });

  it("down() on a migration without a down section is ORM_MIGRATION_IRREVERSIBLE and rolls nothing back", async () => {
    const { t, migrator } = await setup({
      "0001_users.sql": users,
      "0002_tags.sql": sqlMigration("create table tags (id integer primary key);"),
      "0003_empty_down.sql": "-- up\ncreate table notes (id integer primary key);\n-- down\n",
    });
    await migrator.up();
    // An empty down section undoes nothing, on purpose.
    expect((await migrator.down()).map((r) => r.name)).toEqual(["0003_empty_down"]);
    expect(await tableNames(t.database)).toContain("notes");
    await expect(migrator.down({ steps: 2 })).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_IRREVERSIBLE",
        message: expect.stringContaining("0002_tags"),
      }),
    );
    expect((await migrator.status()).applied.map((a) => a.name)).toEqual([
      "0001_users",
      "0002_tags",
    ]);
  });

  it.each([
    ["0001_x.sql", "create table x (id integer);", 'no "-- up" line'],
    [
      "0001_x.sql",
      "create table y (id integer);\n-- up\ncreate table x (id integer);",
      "statements before",
    ],
    ["0001_x.sql", "-- up\n-- nothing yet\n-- down\n", "has no statements"],
    ["0001_x.sql", "-- down\ndrop table x;\n-- up\ncreate table x (id integer);", "comes before"],
    ["0001_x.sql", "-- up\nselect 1;\n-- up\nselect 2;", "more than one"],
    ["create_users.sql", "-- up\nselect 1;", "not named like a migration"],
    ["0001_x.ts", "export const down = async () => {};", "exports no up function"],
    [
      "0001_x.ts",
      "export async function up() {}\nexport const down = 3;",
      "down export is not a function",
    ],
    [
      "0001_x.ts",
      "import './does-not-exist.ts';\nexport async function up() {}",
      "could not be loaded",
    ],
  ])("an invalid migration file %s is ORM_MIGRATION_INVALID (%#)", async (file, text, why) => {
    const { migrator } = await setup({ [file]: text });
    await expect(migrator.up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_INVALID",
        message: expect.stringContaining(why),
      }),
    );
  });

  it("two files with one name, or a missing folder, are ORM_MIGRATION_INVALID", async () => {
    const { t, m } = await setup({
      "0001_x.sql": users,
      "0001_x.ts": "export async function up() {}",
    });
    await expect(createMigrator(t.database, { dir: m.dir }).up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_INVALID",
        message: expect.stringContaining("two migrations are named 0001_x"),
      }),
    );
    await expect(
      createMigrator(t.database, { dir: `${m.dir}/nope` }).status(),
    ).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_INVALID",
        message: expect.stringContaining("does not exist"),
      }),
    );
  });

  it("dialect-specific files run only on their database", async () => {
    const { t, migrator } = await setup({
      "0001_users.sql": users,
      "0002_flag.postgres.sql": sqlMigration("alter table users add column flag boolean;"),
      "0002_flag.sqlite.sql": sqlMigration("alter table users add column flag integer;"),
      "0003_pg_only.postgres.sql": sqlMigration("create table pg_only (id integer);"),
    });
    const runs = await migrator.up();
    const names = runs.map((r) => r.name);
    expect(names).toEqual(
      dialect === "postgres"
        ? ["0001_users", "0002_flag", "0003_pg_only"]
        : ["0001_users", "0002_flag"],
    );
    expect(
      (await t.database.kysely.introspection.getTables())
        .find((x) => x.name === "users")
        ?.columns.map((c) => c.dataType.toLowerCase()),
    ).toContain(dialect === "postgres" ? "bool" : "integer");
  });

  it("migrations given in code run with the folder's, in order", async () => {
    const { t, migrator } = await setup(
      { "0001_users.sql": users },
      {
        migrations: [
          defineMigration({
            name: "0002_admin",
            up: async (db) => {
              await db.insertInto("users").values({ id: 1, email: "admin@x" }).execute();
            },
            down: "delete from users where id = 1",
          }),
          {
            name: "0003_other",
            up: "create table other (id integer)",
            dialect: dialect === "sqlite" ? "postgres" : "sqlite",
          },
        ],
      },
    );
    expect((await migrator.up()).map((r) => r.name)).toEqual(["0001_users", "0002_admin"]);
    expect(await count(t.database, "users")).toBe(1);
    await migrator.down();
    expect(await count(t.database, "users")).toBe(0);
    expect(() => defineMigration({ name: "no_prefix", up: "select 1" })).toThrowError(
      code("ORM_MIGRATION_INVALID"),
    );
    expect(() => defineMigration({ name: "0001_x", up: 42 as never })).toThrowError(
      code("ORM_MIGRATION_INVALID"),
    );
  });

  it("reports progress and logs each migration's name and duration", async () => {
    const lines: Record<string, unknown>[] = [];
    const events: MigrationProgress[] = [];
    const { migrator } = await setup(
      { "0001_users.sql": users, "0002_posts.sql": posts },
      {
        logger: jsonLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
        onProgress: (e) => events.push(e),
      },
    );
    await migrator.up();
    expect(events.map((e) => `${e.phase} ${e.index}/${e.total} ${e.name}`)).toEqual([
      "start 1/2 0001_users",
      "done 1/2 0001_users",
      "start 2/2 0002_posts",
      "done 2/2 0002_posts",
    ]);
    const done = lines.filter((l) => typeof l.durationMs === "number");
    expect(done.map((l) => l.migration)).toEqual(["0001_users", "0002_posts"]);
    expect(String(done[0]!.msg)).toMatch(/^migration 0001_users applied in \d+ ms$/);
    expect(lines.map((l) => l.msg)).toContain("migration 2/2: 0002_posts");
  });

  it("create() writes a template with the next prefix, which refuses to run until written", async () => {
    const { t, m, migrator } = await setup({ "0001_users.sql": users, "0009_posts.sql": posts });
    const sqlFile = await migrator.create("Add tags table!");
    expect(sqlFile).toMatch(/0010_add_tags_table\.sql$/);
    const tsFile = await migrator.create("backfill", { format: "ts", dialect });
    expect(tsFile).toMatch(new RegExp(`0011_backfill\\.${dialect}\\.ts$`));
    expect(m.files()).toEqual([
      "0001_users.sql",
      "0009_posts.sql",
      "0010_add_tags_table.sql",
      `0011_backfill.${dialect}.ts`,
    ]);
    await expect(migrator.up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_INVALID",
        message: expect.stringContaining("0010_add_tags_table"),
      }),
    );
    m.write(
      "0010_add_tags_table.sql",
      m
        .read("0010_add_tags_table.sql")
        .replace("-- up\n", "-- up\ncreate table tags (id integer primary key);\n"),
    );
    // The TypeScript template throws until written: nothing of it is kept.
    await expect(migrator.up()).rejects.toThrowError(
      expect.objectContaining({
        code: "ORM_MIGRATION_FAILED",
        message: expect.stringContaining("write the migration 0011_backfill"),
      }),
    );
    expect((await migrator.status()).applied.map((a) => a.name)).toEqual([
      "0001_users",
      "0009_posts",
      "0010_add_tags_table",
    ]);
    expect(await tableNames(t.database)).toContain("tags");
    await expect(migrator.create("!!!")).rejects.toThrowError(code("ORM_MIGRATION_INVALID"));
    await expect(createMigrator(t.database).create("x")).rejects.toThrowError(
      code("ORM_INVALID_CONFIG"),
    );
  });

  it("waits for another process's lock, and past lockTimeoutMs fails with ORM_MIGRATION_LOCKED", async () => {
    const { t, m } = await setup({ "0001_users.sql": users });
    // Another process holds the lock (and keeps it for the whole wait).
    let release: () => Promise<void>;
    if (dialect === "postgres") {
      const other = new pg.Client({ connectionString: (t.options as { url: string }).url });
      await other.connect();
      await other.query("begin");
      await other.query(`select pg_advisory_xact_lock(${advisoryKey("dext_migrations")})`);
      release = async () => {
        await other.query("commit");
        await other.end();
      };
    } else {
      await t.database.ping();
      const other = new Sqlite((t.options as { filename: string }).filename);
      other.exec("begin immediate");
      release = async () => {
        other.exec("commit");
        other.close();
      };
    }
    const impatient = createMigrator(t.database, { dir: m.dir, lockTimeoutMs: 50 });
    try {
      await expect(impatient.up()).rejects.toThrowError(
        expect.objectContaining({
          code: "ORM_MIGRATION_LOCKED",
          message: expect.stringContaining("held the dext_migrations lock for more than 50 ms"),
        }),
      );
    } finally {
      await release();
    }
    expect((await impatient.up()).map((r) => r.name)).toEqual(["0001_users"]);
  });

  it("create() keeps timestamp prefixes when the folder uses them", async () => {
    const { migrator } = await setup({ "20240101120000_users.sql": users });
    const file = await migrator.create("posts");
    const prefix = /(\d+)_posts\.sql$/.exec(file)![1]!;
    expect(prefix).toHaveLength(14);
    expect(BigInt(prefix) > 20240101120000n).toBe(true);
  });
});
