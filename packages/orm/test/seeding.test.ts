import { afterEach, describe, expect, it } from "vitest";
import {
  col,
  createTables,
  defineEntity,
  defineSeeder,
  runSeeders,
  SeedDb,
  type Seeder,
} from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";

const Role = defineEntity("roles", {
  id: col.int().primaryKey().generated(),
  name: col.text().unique(),
  label: col.text(),
});
const Member = defineEntity("members", {
  id: col.int().primaryKey().generated(),
  email: col.text().unique(),
  name: col.text(),
  roleId: col.int().references(() => Role.id),
  joinedAt: col.timestamp().defaultNow(),
  prefs: col.json<{ theme: string }>().nullable(),
  version: col.int().version(),
});
const Setting = defineEntity(
  "settings",
  { id: col.int().primaryKey().generated(), scope: col.text(), key: col.text(), value: col.text() },
  { indexes: [{ columns: ["scope", "key"], unique: true }] },
);
const entities = [Role, Member, Setting];

const code = (c: string, text?: string) =>
  expect.objectContaining({ code: c, ...(text ? { message: expect.stringContaining(text) } : {}) });

describe.each(dialects)("seeding (%s)", (dialect) => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  async function fresh(): Promise<TestDb> {
    const t = await openTestDb(dialect, "seeding", {}, false);
    cleanup.push(() => t.drop());
    await createTables(t.database, entities);
    return t;
  }

  it("upsert() inserts, then updates only rows whose values changed (idempotent)", async () => {
    const t = await fresh();
    await using db = new SeedDb(t.database);
    const roles = [
      { name: "admin", label: "Administrator" },
      { name: "member", label: "Member" },
    ];
    expect(await db.upsert(Role, roles, { by: Role.name })).toBe(2);
    expect(await db.upsert(Role, roles, { by: Role.name })).toBe(0);
    const admin = (await db.from(Role).where(Role.name.eq("admin")).firstOrThrow()).id;
    const ada = { email: "ada@x", name: "Ada", roleId: admin, prefs: { theme: "dark" } };
    expect(await db.upsert(Member, ada, { by: Member.email })).toBe(1);
    expect(await db.upsert(Member, ada, { by: Member.email })).toBe(0);
    expect(
      await db.upsert(Member, { ...ada, prefs: { theme: "light" } }, { by: Member.email }),
    ).toBe(1);
    db.clear();
    const row = await db.from(Member).firstOrThrow();
    expect(row).toMatchObject({ name: "Ada", prefs: { theme: "light" }, version: 2 });
    expect(row.joinedAt).toBeInstanceOf(Date);
    // By a multi-column unique key, and many rows (several statements).
    const many = Array.from({ length: 2500 }, (_, i) => ({
      scope: "app",
      key: `k${i}`,
      value: "v",
    }));
    expect(await db.upsert(Setting, many, { by: [Setting.scope, Setting.key] })).toBe(2500);
    expect(await db.upsert(Setting, many, { by: [Setting.scope, Setting.key] })).toBe(0);
    expect(await db.from(Setting).count()).toBe(2500);
  });

  it('upsert() with update: "none" keeps rows edited since', async () => {
    const t = await fresh();
    await using db = new SeedDb(t.database);
    await db.upsert(Role, { name: "admin", label: "Administrator" }, { by: Role.name });
    await db.kysely.updateTable("roles").set({ label: "Edited by an admin" }).execute();
    await db.upsert(
      Role,
      [
        { name: "admin", label: "Administrator" },
        { name: "guest", label: "Guest" },
      ],
      { by: Role.name, update: "none" },
    );
    const rows = await db.from(Role).orderBy(Role.name).select(Role.name, Role.label).all();
    expect(rows).toEqual([
      { name: "admin", label: "Edited by an admin" },
      { name: "guest", label: "Guest" },
    ]);
  });

  it("upsert() rejects a key that is not unique, unknown columns and incomplete rows", async () => {
    const t = await fresh();
    await using db = new SeedDb(t.database);
    await expect(
      db.upsert(Role, { name: "x", label: "y" }, { by: Role.label }),
    ).rejects.toThrowError(
      code("ORM_INVALID_QUERY", "only be matched by the primary key or a unique key"),
    );
    await expect(
      db.upsert(Role, { name: "x", label: "y" }, { by: Member.email as never }),
    ).rejects.toThrowError(code("ORM_INVALID_QUERY", '"by" must list columns of roles'));
    await expect(
      db.upsert(Role, { name: "x", label: "y", nope: 1 } as never, { by: Role.name }),
    ).rejects.toThrowError(code("ORM_ENTITY_STATE", '"nope" is not a column'));
    await expect(db.upsert(Role, { name: "x" } as never, { by: Role.name })).rejects.toThrowError(
      code("ORM_ENTITY_STATE", '"label" is required'),
    );
    await expect(
      db.upsert(
        Role,
        [
          { id: 5, name: "x", label: "y" },
          { name: "z", label: "y" },
        ],
        { by: Role.name },
      ),
    ).rejects.toThrowError(code("ORM_ENTITY_STATE", 'some rows give "id"'));
    expect(await db.from(Role).count()).toBe(0);
  });

  it("runs each seeder once per environment, unless its version changes or it is forced", async () => {
    const t = await fresh();
    const calls: string[] = [];
    const roles = defineSeeder({
      name: "roles",
      async run(db) {
        calls.push(`roles:${db.environment}`);
        await db.upsert(Role, [{ name: "admin", label: "Admin" }], { by: Role.name });
      },
    });
    const demo = defineSeeder({
      name: "demo members",
      environments: ["development", "test"],
      async run(db) {
        calls.push(`demo:${db.environment}`);
        const admin = await db.from(Role).where(Role.name.eq("admin")).firstOrThrow();
        await db.upsert(Member, [{ email: "demo@x", name: "Demo", roleId: admin.id }], {
          by: Member.email,
        });
      },
    });
    const first = await runSeeders(t.database, [roles, demo], { environment: "development" });
    expect(first.map((r) => [r.name, r.status])).toEqual([
      ["roles", "ran"],
      ["demo members", "ran"],
    ]);
    const again = await runSeeders(t.database, [roles, demo], { environment: "development" });
    expect(again.map((r) => r.status)).toEqual(["skipped-done", "skipped-done"]);
    const prod = await runSeeders(t.database, [roles, demo], { environment: "production" });
    expect(prod.map((r) => [r.name, r.status])).toEqual([
      ["demo members", "skipped-environment"],
      ["roles", "ran"],
    ]);
    await runSeeders(t.database, [roles, demo], {
      environment: "development",
      force: ["demo members"],
    });
    await runSeeders(t.database, [roles, defineSeeder({ ...demo, version: 2 })], {
      environment: "development",
    });
    await runSeeders(t.database, [roles, demo], { environment: "development", force: true });
    expect(calls).toEqual([
      "roles:development",
      "demo:development",
      "roles:production",
      "demo:development",
      "demo:development",
      "roles:development",
      "demo:development",
    ]);
    const recorded = await t.database.kysely
      .selectFrom("dext_seeds")
      .select(["name", "environment", "version"])
      .orderBy("environment")
      .orderBy("name")
      .execute();
    expect(recorded).toEqual([
      { name: "demo members", environment: "development", version: "1" },
      { name: "roles", environment: "development", version: "1" },
      { name: "roles", environment: "production", version: "1" },
    ]);
    expect(await t.database.kysely.selectFrom("members").selectAll().execute()).toHaveLength(1);
  });

  it("a seeder that throws leaves nothing behind and stops the run (ORM_SEED_FAILED)", async () => {
    const t = await fresh();
    const ok = defineSeeder({
      name: "roles",
      run: (db) =>
        db.upsert(Role, [{ name: "admin", label: "Admin" }], { by: Role.name }).then(() => {}),
    });
    const bad = defineSeeder({
      name: "half",
      async run(db) {
        const admin = await db.from(Role).firstOrThrow();
        await db.upsert(Role, [{ name: "temp", label: "Temp" }], { by: Role.name });
        db.add(Member, { email: "half@x", name: "Half", roleId: admin.id });
        await db.saveChanges();
        await db.transaction(async (tx) => {
          tx.add(Member, { email: "nested@x", name: "Nested", roleId: admin.id });
          await tx.saveChanges();
        });
        throw new Error("the seed data is wrong");
      },
    });
    let after = 0;
    const later = defineSeeder({ name: "later", run: () => void after++ });
    await expect(
      runSeeders(t.database, [ok, bad, later], { environment: "test" }),
    ).rejects.toThrowError(
      code("ORM_SEED_FAILED", 'seeder "half" failed and its transaction was rolled back'),
    );
    expect(after).toBe(0);
    const roles = await t.database.kysely.selectFrom("roles").select("name").execute();
    expect(roles.map((r) => r.name)).toEqual(["admin"]);
    expect(await t.database.kysely.selectFrom("members").selectAll().execute()).toEqual([]);
    const recorded = await t.database.kysely.selectFrom("dext_seeds").select("name").execute();
    expect(recorded.map((r) => r.name)).toEqual(["roles"]);
  });

  it("two runs at once run each seeder once", async () => {
    const t = await fresh();
    let runs = 0;
    const seeder = defineSeeder({
      name: "roles",
      async run(db) {
        runs++;
        await db.upsert(Role, [{ name: "admin", label: "Admin" }], { by: Role.name });
      },
    });
    const other = t.open();
    const [a, b] = await Promise.all([
      runSeeders(t.database, [seeder], { environment: "test" }),
      runSeeders(other, [seeder], { environment: "test" }),
    ]);
    expect(runs).toBe(1);
    expect([a[0]!.status, b[0]!.status].sort()).toEqual(["ran", "skipped-done"]);
  });

  it("defineSeeder() and runSeeders() check their input (ORM_INVALID_CONFIG)", async () => {
    const t = await fresh();
    expect(() => defineSeeder({ name: "", run() {} })).toThrowError(code("ORM_INVALID_CONFIG"));
    expect(() => defineSeeder({ name: "x" } as never)).toThrowError(
      code("ORM_INVALID_CONFIG", "run must be a function"),
    );
    expect(() => defineSeeder({ name: "x", environments: [], run() {} })).toThrowError(
      code("ORM_INVALID_CONFIG"),
    );
    const s: Seeder = defineSeeder({ name: "x", run() {} });
    await expect(runSeeders(t.database, [s, s])).rejects.toThrowError(
      code("ORM_INVALID_CONFIG", 'two seeders are named "x"'),
    );
  });
});
