// With a real @dext/orm (a devDependency only: the web layer never imports it).
import { createConfig, silentLogger } from "@dext/core-di";
import { col, DbContext, defineEntity, orm } from "@dext/orm";
import { createTempSqliteFile, type TempSqliteFile } from "@dext/test-kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, type WebApp } from "../src/index.ts";

// Declared but never created: every query on it fails inside the database.
const Ghost = defineEntity("ghost_users", {
  id: col.int().primaryKey().generated(),
  passwordHash: col.text(),
});
class AppDb extends DbContext {}

let file: TempSqliteFile;
let app: WebApp | undefined;
beforeAll(() => {
  file = createTempSqliteFile("web-orm");
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(() => file.remove());

function ormApp(env: string): WebApp {
  const a = createApp({
    modules: [orm({ database: { dialect: "sqlite", filename: file.filename } })],
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

describe("a real OrmError", () => {
  it("leaves as a 500 problem without SQL or paths outside development", async () => {
    app = ormApp("production");
    const r = await app.inject("/ghosts/1");
    expect(r.statusCode).toBe(500);
    expect(r.json().type).toBe("https://dext.dev/problems/internal");
    for (const secret of [
      "ghost_users",
      "password",
      "select",
      "SQLITE",
      file.filename,
      "node_modules",
    ]) {
      expect(r.body.toLowerCase()).not.toContain(secret.toLowerCase());
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
