import {
  createHost,
  type HealthCheck,
  HealthCheckToken,
  ServiceCollection,
  silentLogger,
} from "@dext/core-di";
import { TelemetryToken, telemetry } from "@dext/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDbContext,
  type Database,
  DatabaseToken,
  DbContext,
  databaseToken,
  orm,
  ReadOnlyDbContext,
} from "../src/index.ts";
import { dialects, openTestDb, type TestDb } from "./support/databases.ts";
import { User } from "./support/model.ts";

class AppDb extends DbContext {}
class Reports extends ReadOnlyDbContext {}

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(dialects)("DI and the orm() module (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect, "di");
  });
  afterAll(() => t.drop());

  const connection = () =>
    dialect === "sqlite"
      ? { filename: (t.options as { filename: string }).filename }
      : { url: (t.options as { url: string }).url };

  it("services.addDbContext(...) registers transient (default) and scoped contexts", async () => {
    const provider = new ServiceCollection()
      .addSingleton(DatabaseToken, { useValue: t.database })
      .addDbContext(AppDb)
      .addDbContext(Reports, { lifetime: "scoped" })
      .build();
    await using scope = provider.createScope();
    const a = scope.resolve(AppDb);
    const b = scope.resolve(AppDb);
    expect(a).toBeInstanceOf(AppDb);
    expect(a).not.toBe(b);
    expect(scope.resolve(Reports)).toBe(scope.resolve(Reports));
    await using other = provider.createScope();
    expect(other.resolve(Reports)).not.toBe(scope.resolve(Reports));
  });

  it("scope disposal releases the context's connection, also when the handler threw", async () => {
    const services = new ServiceCollection().addSingleton(DatabaseToken, { useValue: t.database });
    addDbContext(services, AppDb, { lifetime: "scoped" });
    const provider = services.build();
    const handler = async (fail: boolean) => {
      await using scope = provider.createScope();
      const db = scope.resolve(AppDb);
      await db.from(User).count();
      await db.transaction(async (tx) => {
        tx.add(User, { email: `scoped-${Math.random()}@x.test`, name: "scoped" });
        await tx.saveChanges();
        if (fail) throw new Error("handler threw");
      });
      return db;
    };
    const ok = await handler(false);
    expect(ok.disposed).toBe(true);
    await expect(handler(true)).rejects.toThrow("handler threw");
    expect(t.database.stats().inUse).toBe(0);
  });

  it("refuses a singleton lifetime", () => {
    expect(() =>
      new ServiceCollection().addDbContext(AppDb, { lifetime: "singleton" as never }),
    ).toThrowError(code("ORM_INVALID_CONFIG"));
  });

  it("orm() owns the pool: health check, config section, contexts, drain on stop", async () => {
    const host = createHost({
      logger: silentLogger,
      modules: [orm({ database: { dialect, acquireTimeoutMs: 5000 } })],
      // The config section supplies the connection (as DEXT__ORM__URL would).
      config: { orm: { ...connection(), slowQueryMs: 10_000 } },
      services: (s) => s.addDbContext(AppDb, { lifetime: "scoped" }),
    });
    await host.start();
    expect(host.state).toBe("Running");
    const database = host.services.resolve(DatabaseToken);
    expect(database.dialect).toBe(dialect);
    const checks = host.services.resolveAll(HealthCheckToken) as HealthCheck[];
    expect(checks.map((c) => c.name)).toEqual(["database:default"]);
    const health = await checks[0]!.check(new AbortController().signal);
    expect(health).toMatchObject({ details: { dialect, pool: { inUse: 0 } } });
    {
      await using scope = host.services.createScope();
      expect(await scope.resolve(AppDb).from(User).count()).toBeGreaterThanOrEqual(0);
    }
    await host.stop();
    expect(database.closed).toBe(true);
    expect(database.stats()).toMatchObject({ size: 0, inUse: 0 });
  });

  it("orm() validates its options and config: ORM_INVALID_CONFIG / CONFIG_INVALID", () => {
    expect(() =>
      createHost({
        logger: silentLogger,
        modules: [orm({ database: { dialect: "mysql" as never } })],
      }),
    ).toThrowError(code("ORM_INVALID_CONFIG"));
    expect(() =>
      createHost({
        logger: silentLogger,
        modules: [orm({ database: { dialect } })],
        config: { orm: { max: "lots" } },
      }),
    ).toThrowError(code("CONFIG_INVALID"));
  });

  it("a named database registers under its own token", async () => {
    const host = createHost({
      logger: silentLogger,
      modules: [
        orm({ name: "reports", database: { dialect, ...connection() }, connectOnStart: false }),
      ],
      services: (s) => s.addDbContext(Reports, { database: databaseToken("reports") }),
    });
    await host.start();
    const db = host.services.resolve(databaseToken("reports")) as Database;
    expect(db.name).toBe("reports");
    expect(host.services.isRegistered(DatabaseToken)).toBe(false);
    await host.stop();
  });

  it("with @dext/telemetry: a span per statement and db_query_duration_seconds", async () => {
    const host = createHost({
      logger: silentLogger,
      modules: [
        telemetry({
          serviceName: "orm-test",
          logging: { level: "silent" },
          tracing: { exporter: "memory" },
        }),
        orm({ database: { dialect, ...connection() } }),
      ],
      services: (s) => s.addDbContext(AppDb),
    });
    await host.start();
    const tel = host.services.resolve(TelemetryToken);
    const name = `tel-${dialect}-${Date.now()}`;
    let streamed = 0;
    {
      await using scope = host.services.createScope();
      const db = scope.resolve(AppDb);
      await db.from(User).where(User.name.eq("nobody")).all();
      db.add(User, { email: `${name}-1@x.test`, name });
      db.add(User, { email: `${name}-2@x.test`, name });
      await db.saveChanges();
      await db.from(User).where(User.name.eq(name)).all();
      for await (const _ of db.from(User).stream({ batchSize: 3 })) streamed++;
    }
    await tel.flush();
    const spans = tel.memoryExporter!.spans.filter((s) => s.name.startsWith("db."));
    const system = dialect === "postgres" ? "postgresql" : "sqlite";
    const selects = spans.filter(
      (s) => s.name === "db.select" && String(s.attributes["db.statement"]).includes('"name" ='),
    );
    expect(selects.map((s) => s.attributes)).toEqual([
      expect.objectContaining({ "db.system": system, "db.operation": "select", "db.rows": 0 }),
      expect.objectContaining({ "db.system": system, "db.operation": "select", "db.rows": 2 }),
    ]);
    // Values never reach the statement attribute.
    expect(String(selects[0]?.attributes["db.statement"])).not.toContain("nobody");
    expect(spans.find((s) => s.name === "db.insert")?.attributes["db.rows"]).toBe(2);
    // A stream is one span over the cursor's life, with every row it delivered.
    expect(streamed).toBeGreaterThanOrEqual(2);
    const stream = spans.filter((s) => s.attributes["db.stream"] === true);
    expect(stream).toHaveLength(1);
    expect(stream[0]!.attributes).toMatchObject({
      "db.system": system,
      "db.operation": "select",
      "db.rows": streamed,
      "db.stream.batches": Math.ceil(streamed / 3),
    });
    // The startup ping, the two queries, and one observation for the whole stream.
    expect(tel.db.queryDuration.get({ system, operation: "select" }).count).toBe(4);
    expect(tel.db.queryDuration.get({ system, operation: "insert" }).count).toBe(1);
    await host.stop();
  });
});
