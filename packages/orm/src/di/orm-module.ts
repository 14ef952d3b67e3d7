import {
  type DextModule,
  type HealthCheck,
  HealthCheckToken,
  type Logger,
  LoggerToken,
  optional,
  type Token,
} from "@dext/core-di";
import { type Telemetry, TelemetryToken } from "@dext/telemetry";
import { z } from "zod";
import { type Database, DatabaseImpl, resolveOptions } from "../database.ts";
import type { DatabaseOptions } from "../database-options.ts";
import { databaseToken } from "./tokens.ts";

/** The `orm` config section: connection settings that override the code's (from YAML or env). */
export interface OrmConfigSection {
  readonly dialect?: "sqlite" | "postgres" | undefined;
  readonly url?: string | undefined;
  readonly filename?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly database?: string | undefined;
  readonly ssl?: boolean | undefined;
  readonly pool?: boolean | undefined;
  readonly max?: number | undefined;
  readonly min?: number | undefined;
  readonly readers?: number | undefined;
  readonly readerUrl?: string | undefined;
  readonly acquireTimeoutMs?: number | undefined;
  readonly idleTimeoutMs?: number | undefined;
  readonly statementTimeoutMs?: number | undefined;
  readonly busyTimeoutMs?: number | undefined;
  readonly slowQueryMs?: number | undefined;
}

const sectionSchema: z.ZodType<OrmConfigSection | undefined> = z
  .object({
    dialect: z.enum(["sqlite", "postgres"]).optional(),
    url: z.string().optional(),
    filename: z.string().optional(),
    host: z.string().optional(),
    port: z.number().int().positive().optional(),
    user: z.string().optional(),
    password: z.string().optional(),
    database: z.string().optional(),
    ssl: z.boolean().optional(),
    pool: z.boolean().optional(),
    max: z.number().int().positive().optional(),
    min: z.number().int().nonnegative().optional(),
    readers: z.number().int().positive().optional(),
    readerUrl: z.string().optional(),
    acquireTimeoutMs: z.number().int().nonnegative().optional(),
    idleTimeoutMs: z.number().int().nonnegative().optional(),
    statementTimeoutMs: z.number().int().nonnegative().optional(),
    busyTimeoutMs: z.number().int().nonnegative().optional(),
    slowQueryMs: z.number().nonnegative().optional(),
  })
  .strict()
  .optional();

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
}

/**
 * The ORM as a host module: creates the {@link Database} (options merged with the `orm` config
 * section), registers it under {@link DatabaseToken}, adds a readiness health check, checks the
 * connection when the host starts and drains the pools when it stops.
 *
 * @example
 * ```ts
 * const host = createHost({
 *   modules: [orm({ database: { dialect: "postgres" } })], // url from DEXT__ORM__URL
 *   services: (s) => s.addDbContext(AppDb, { lifetime: "scoped" }),
 * });
 * ```
 */
export function orm(options: OrmModuleOptions = {}): DextModule<OrmConfigSection | undefined> {
  const name = options.name ?? "default";
  const key: Token<Database> = databaseToken(name);
  let created: Database | undefined;
  return {
    name: name === "default" ? "orm" : `orm:${name}`,
    config: { section: options.configSection ?? "orm", schema: sectionSchema },
    register(services, section) {
      const merged = {
        ...options.database,
        ...stripUndefined(section ?? {}),
        name,
      } as DatabaseOptions;
      const resolved = resolveOptions(
        merged,
        `orm(${name === "default" ? "" : JSON.stringify(name)})`,
      );
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
    },
    async stop() {
      await created?.close();
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
