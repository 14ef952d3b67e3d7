import {
  type DextModule,
  type HealthCheck,
  HealthCheckToken,
  type Host,
  HostToken,
  type Logger,
  LoggerToken,
  optional,
  type Token,
} from "@dext/core-di";
import { type Telemetry, TelemetryToken } from "@dext/telemetry";
import { type Database, DatabaseImpl, resolveOptions } from "../database.ts";
import type { DatabaseOptions } from "../database-options.ts";
import { OrmError } from "../errors.ts";
import { createMigrator } from "../migrations/migrator.ts";
import type { Migrator, MigratorOptions } from "../migrations/migrator-types.ts";
import { checkEntities } from "../schema/check-entities.ts";
import type { AnyEntity } from "../schema/define-entity.ts";
import { validateSchema } from "../schema/validate-schema.ts";
import { defineSeeder, type Seeder } from "../seeding/define-seeder.ts";
import { runSeeders } from "../seeding/run-seeders.ts";
import { type OrmConfigSection, ormSectionSchema, startupKeys } from "./orm-config.ts";
import { databaseToken, migratorToken } from "./tokens.ts";

export type { OrmConfigSection };

/** The `migrations` option of {@link orm}: a migrator's options plus whether to run them at startup. */
export interface OrmMigrationsOptions
  extends Omit<MigratorOptions, "entities" | "logger" | "onProgress"> {
  /** Apply pending migrations in the host's Migrating state (default false; config `migrateOnStart`). */
  readonly migrateOnStart?: boolean | undefined;
}

/** Options of the {@link orm} module. */
export interface OrmModuleOptions {
  /** Connection settings; the config section (`orm` by default) overrides them key by key. */
  readonly database?: Partial<DatabaseOptions>;
  /** The database's name: `default` registers under `DatabaseToken`, others under `databaseToken(name)`. */
  readonly name?: string;
  /** The config section to read (default `orm`, or `orm.<name>` style sections by passing one). */
  readonly configSection?: string;
  /** Register a readiness health check that pings the database (default true). */
  readonly healthCheck?: boolean;
  /** Open the pool and ping the database when the host starts, failing startup if it cannot (default true). */
  readonly connectOnStart?: boolean;
  /**
   * The app's entities: checked together when the host is created, validated against the live
   * schema before it runs (see `validateSchema`), and what `migrator.generate()` compares.
   */
  readonly entities?: readonly AnyEntity[];
  /** A migrations folder and/or list, and whether to apply them at startup. */
  readonly migrations?: OrmMigrationsOptions;
  /** Seeders run in the host's Seeding state (once per environment, the config's `env`). */
  readonly seeders?: readonly Seeder[];
  /** Run the seeders at startup (default true when there are any; config `seed`). */
  readonly seed?: boolean;
  /**
   * Compare the live schema with `entities` before the host runs, failing startup with
   * `ORM_SCHEMA_MISMATCH` (default true when `entities` are given; config `validateSchema`).
   */
  readonly validateSchema?: boolean;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What the module decided at registration, for `start`. */
interface Plan {
  readonly migrator: boolean;
  readonly migrateOnStart: boolean;
  readonly seed: boolean;
  readonly validate: boolean;
  readonly lockTimeoutMs: number | undefined;
}

/**
 * The ORM as a host module: creates the {@link Database} (options merged with the `orm` config
 * section), registers it under {@link DatabaseToken}, adds a readiness health check, checks the
 * connection when the host starts, and registers the startup tasks: Migrating applies pending
 * migrations (with `migrateOnStart`), Seeding validates the schema against the entities and then
 * runs the seeders. A failure leaves the host Failed with the reason as its `detail`. The pools
 * drain when the host stops.
 *
 * @example
 * ```ts
 * const host = createHost({
 *   modules: [
 *     orm({
 *       database: { dialect: "postgres" },                 // url from DEXT__ORM__URL
 *       entities: [User, Post],
 *       migrations: { dir: "migrations", migrateOnStart: true },
 *       seeders: [demoUsers],
 *     }),
 *   ],
 *   services: (s) => s.addDbContext(AppDb, { lifetime: "scoped" }),
 * });
 * ```
 */
export function orm(options: OrmModuleOptions = {}): DextModule<OrmConfigSection | undefined> {
  const name = options.name ?? "default";
  const key: Token<Database> = databaseToken(name);
  const label = name === "default" ? "orm" : `orm:${name}`;
  const where = `orm(${name === "default" ? "" : JSON.stringify(name)})`;
  const entities = options.entities ?? [];
  const seeders = (options.seeders ?? []).map((s) => defineSeeder(s));
  let created: Database | undefined;
  let plan: Plan | undefined;
  // The running startup task's progress reporter: migrations show as the host's detail.
  let report: ((detail: string) => void) | undefined;
  return {
    name: label,
    config: { section: options.configSection ?? "orm", schema: ormSectionSchema },
    register(services, section) {
      const connection: Record<string, unknown> = { ...stripUndefined(section ?? {}) };
      for (const k of startupKeys) delete connection[k];
      const merged = { ...options.database, ...connection, name } as DatabaseOptions;
      const resolved = resolveOptions(merged, where);
      if (entities.length > 0) checkEntities(entities, where, { complete: true });
      const dir = section?.migrationsDir ?? options.migrations?.dir;
      const hasMigrations = dir !== undefined || (options.migrations?.migrations?.length ?? 0) > 0;
      const migrateOnStart = section?.migrateOnStart ?? options.migrations?.migrateOnStart ?? false;
      if (migrateOnStart && !hasMigrations) {
        throw new OrmError(
          "ORM_INVALID_CONFIG",
          `${where}: migrateOnStart is on but there are no migrations; give migrations: { dir: "migrations" } (or config orm.migrationsDir)`,
        );
      }
      const validate = section?.validateSchema ?? options.validateSchema ?? entities.length > 0;
      if (validate && entities.length === 0) {
        throw new OrmError(
          "ORM_INVALID_CONFIG",
          `${where}: validateSchema needs the entities to compare: orm({ entities: [User, Post], ... })`,
        );
      }
      const lockTimeoutMs = section?.lockTimeoutMs ?? options.migrations?.lockTimeoutMs;
      plan = {
        migrator: hasMigrations,
        migrateOnStart,
        seed: seeders.length > 0 && (section?.seed ?? options.seed ?? true),
        validate,
        lockTimeoutMs,
      };
      services.addSingleton(key, {
        deps: [optional(LoggerToken), optional(TelemetryToken)] as const,
        useFactory: (logger: Logger | undefined, telemetry: Telemetry | undefined) => {
          created = new DatabaseImpl(resolved, {
            logger: logger?.child({ name: "dext.orm", database: name }),
            telemetry,
          });
          return created;
        },
      });
      if (hasMigrations) {
        services.addSingleton(migratorToken(name), {
          deps: [key, optional(LoggerToken), optional(HostToken)] as const,
          useFactory: (database: Database, logger: Logger | undefined, host: Host | undefined) =>
            createMigrator(database, {
              ...options.migrations,
              ...(dir !== undefined ? { dir } : {}),
              ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
              entities,
              logger: (logger ?? host?.logger)?.child({
                name: "dext.orm.migrations",
                database: name,
              }),
              onProgress: (e) => {
                if (e.phase === "start") report?.(`migration ${e.index}/${e.total}: ${e.name}`);
              },
            }),
        });
      }
      if (options.healthCheck ?? true) {
        services.addSingleton(HealthCheckToken, {
          deps: [key] as const,
          useFactory: (database: Database): HealthCheck => ({
            name: `database:${name}`,
            async check(signal) {
              const r = await database.ping(signal);
              return {
                details: {
                  dialect: database.dialect,
                  latencyMs: Math.round(r.latencyMs * 100) / 100,
                  pool: r.stats,
                },
              };
            },
          }),
        });
      }
    },
    async start(host) {
      const database = host.services.resolve(key);
      if (options.connectOnStart ?? true) await database.open();
      addStartupTasks(host, database, plan!, {
        label,
        entities,
        seeders,
        migrator: () => host.services.resolve(migratorToken(name)),
        setReporter: (r) => {
          report = r;
        },
      });
    },
    async stop() {
      await created?.close();
    },
  };
}

function addStartupTasks(
  host: Host,
  database: Database,
  plan: Plan,
  o: {
    readonly label: string;
    readonly entities: readonly AnyEntity[];
    readonly seeders: readonly Seeder[];
    readonly migrator: () => Migrator;
    readonly setReporter: (report: ((detail: string) => void) | undefined) => void;
  },
): void {
  if (plan.migrator && plan.migrateOnStart) {
    host.addStartupTask(
      "Migrating",
      async ({ progress, signal }) => {
        o.setReporter(progress);
        try {
          await o.migrator().up({ signal });
        } finally {
          o.setReporter(undefined);
        }
      },
      `${o.label}: migrate`,
    );
  } else if (plan.migrator) {
    host.addStartupTask(
      "Migrating",
      async ({ logger }) => {
        const s = await o.migrator().status();
        if (s.pending.length + s.changed.length + s.missing.length === 0) return;
        logger.warn(
          {
            pending: s.pending.map((m) => m.name),
            changed: s.changed.map((m) => m.name),
            missing: s.missing.map((m) => m.name),
          },
          `the database is not at the code's migrations (${s.pending.length} pending, ${s.changed.length} changed, ${s.missing.length} missing) and migrateOnStart is off: run them with migrator.up()`,
        );
      },
      `${o.label}: check migrations`,
    );
  }
  // Validation comes before the seeders: they write through the entities, so a schema that does
  // not match is reported as such rather than as a seeder's failing statement.
  if (plan.validate) {
    host.addStartupTask(
      "Seeding",
      async ({ progress, signal }) => {
        progress("validating the database schema against the entities");
        await validateSchema(database, o.entities, { signal });
      },
      `${o.label}: validate schema`,
    );
  }
  if (plan.seed) {
    host.addStartupTask(
      "Seeding",
      async ({ progress, signal, logger }) => {
        await runSeeders(database, o.seeders, {
          environment: host.config.env,
          signal,
          logger,
          ...(plan.lockTimeoutMs !== undefined ? { lockTimeoutMs: plan.lockTimeoutMs } : {}),
          onProgress: (e) => {
            if (e.phase === "start") progress(`seeder ${e.index}/${e.total}: ${e.name}`);
          },
        });
      },
      `${o.label}: seed`,
    );
  }
}
