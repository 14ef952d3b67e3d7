import type { Token } from "@dext/core-di";
import { describe, expectTypeOf, it } from "vitest";
import {
  createMigrator,
  type Database,
  defineMigration,
  defineSeeder,
  type GeneratedMigration,
  type MigrationDb,
  type MigrationRun,
  type MigrationStatus,
  type Migrator,
  MigratorToken,
  orm,
  runSeeders,
  type SeedDb,
  type SeedRun,
} from "../src/index.ts";
import { Post, User } from "./support/model.ts";

declare const database: Database;

describe("migrations", () => {
  it("a migrator's methods return typed results", () => {
    const m = createMigrator(database, { dir: "migrations", entities: [User, Post] });
    expectTypeOf(m.up()).toEqualTypeOf<Promise<readonly MigrationRun[]>>();
    expectTypeOf(m.status()).toEqualTypeOf<Promise<MigrationStatus>>();
    expectTypeOf(m.generate("x")).toEqualTypeOf<Promise<GeneratedMigration>>();
    expectTypeOf(m.create("x")).toEqualTypeOf<Promise<string>>();
    m.down({ steps: 2 });
    m.down({ to: "0001_init" });
    // @ts-expect-error steps or to, not both
    m.down({ steps: 1, to: "0001_init" });
    expectTypeOf(MigratorToken).toEqualTypeOf<Token<Migrator>>();
  });

  it("migration functions get Kysely in the transaction and a context", () => {
    defineMigration({
      name: "0001_x",
      up: async (db, context) => {
        expectTypeOf(db).toEqualTypeOf<MigrationDb>();
        expectTypeOf(context.dialect).toEqualTypeOf<"sqlite" | "postgres">();
      },
      down: "drop table x",
    });
    // @ts-expect-error up is SQL text or a function
    defineMigration({ name: "0001_x", up: 1 });
  });

  it("orm() takes migrations, seeders, entities and validation", () => {
    orm({
      database: { dialect: "sqlite", filename: "app.db" },
      entities: [User, Post],
      migrations: { dir: new URL("./migrations", import.meta.url), migrateOnStart: true },
      seeders: [defineSeeder({ name: "x", run() {} })],
      validateSchema: true,
    });
    // @ts-expect-error migrateOnStart is a boolean
    orm({ migrations: { dir: "m", migrateOnStart: "yes" } });
  });
});

describe("seeding", () => {
  it("a seeder gets a SeedDb whose upsert is typed by entity", () => {
    defineSeeder({
      name: "users",
      environments: ["development"],
      async run(db) {
        expectTypeOf(db).toEqualTypeOf<SeedDb>();
        expectTypeOf(
          db.upsert(User, [{ email: "a@x", name: "A" }], { by: User.email }),
        ).toEqualTypeOf<Promise<number>>();
        // @ts-expect-error a column of another entity is not a key of this one
        await db.upsert(User, [{ email: "a@x", name: "A" }], { by: Post.title });
        // @ts-expect-error name is required
        await db.upsert(User, [{ email: "a@x" }], { by: User.email });
        // @ts-expect-error update is "changed" or "none"
        await db.upsert(User, { email: "a@x", name: "A" }, { by: User.email, update: "all" });
      },
    });
    expectTypeOf(runSeeders(database, [])).toEqualTypeOf<Promise<readonly SeedRun[]>>();
  });
});
