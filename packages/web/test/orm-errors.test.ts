// With a real @dext/orm (a devDependency only: the web layer never imports it), on SQLite and
// PostgreSQL.
import { createConfig, silentLogger } from "@dext/core-di";
import { col, type DatabaseOptions, DbContext, defineEntity, orm } from "@dext/orm";
import {
  createTempSqliteFile,
  createTestDatabase,
  type TempSqliteFile,
  type TestDatabase,
} from "@dext/test-kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, type WebApp } from "../src/index.ts";

// Declared but never created: every query on it fails inside the database.
const Ghost = defineEntity("ghost_users", {
  id: col.int().primaryKey().generated(),
  passwordHash: col.text(),
});
class AppDb extends DbContext {}

interface Dialect {
  readonly name: "sqlite" | "postgres";
  /** The orm module's database options for this run. */
  database(): DatabaseOptions;
  /** What the database itself would put in an error (file paths, database names, codes). */
  secrets(): string[];
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

let file: TempSqliteFile;
let pgDb: TestDatabase;
const dialects: Dialect[] = [
  {
    name: "sqlite",
    database: () => ({ dialect: "sqlite", filename: file.filename }),
    secrets: () => ["SQLITE", "no such table", file.filename],
    setup: async () => {
      file = createTempSqliteFile("web-orm");
    },
    teardown: async () => file.remove(),
  },
  {
    name: "postgres",
    database: () => ({ dialect: "postgres", url: pgDb.url, max: 2 }),
    secrets: () => ["42P01", "does not exist", pgDb.name, "postgres://"],
    setup: async () => {
      pgDb = await createTestDatabase("web-orm");
    },
    teardown: () => pgDb.drop(),
  },
];

describe.each(dialects)("a real OrmError on $name", (dialect) => {
  let app: WebApp | undefined;
  beforeAll(() => dialect.setup());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => dialect.teardown());

  function ormApp(env: string): WebApp {
    const a = createApp({
      modules: [orm({ database: dialect.database() })],
      services: (s) => s.addDbContext(AppDb, { lifetime: "scoped" }),
      logger: silentLogger,
      config: createConfig({}, { env }),
      web: { port: 0 },
    });
    a.get("/ghosts/:id")
      .params(z.object({ id: z.coerce.number() }))
      .handle((ctx, { params }) => ctx.resolve(AppDb).find(Ghost, params.id));
    return a;
  }

  it("leaves as a 500 problem without SQL, names or paths outside development", async () => {
    app = ormApp("production");
    const r = await app.inject("/ghosts/1");
    expect(r.statusCode).toBe(500);
    const body = r.json();
    expect(body).toMatchObject({
      type: "https://dext.dev/problems/internal",
      status: 500,
      instance: "/ghosts/1",
    });
    expect(Object.keys(body).sort()).toEqual([
      "detail",
      "instance",
      "requestId",
      "status",
      "title",
      "type",
    ]);
    for (const secret of [
      "ghost_users",
      "password",
      "select",
      "ORM_",
      "node_modules",
      ...dialect.secrets(),
    ]) {
      expect(r.body.toLowerCase(), secret).not.toContain(secret.toLowerCase());
    }
  });

  it("shows the ORM's code and message in development", async () => {
    app = ormApp("development");
    const body = (await app.inject("/ghosts/1")).json();
    expect(body.error.name).toBe("OrmError");
    expect(body.error.code).toMatch(/^ORM_/);
    expect(body.detail).toContain("ghost_users");
  });

  it("reports the ORM's database ping in /health/ready", async () => {
    app = ormApp("production");
    const ready = (await app.inject("/health/ready")).json();
    expect(ready.status).toBe("ready");
    expect(ready.checks.map((c: { name: string }) => c.name)).toContain("database:default");
  });
});
