import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, createConfig, type Logger, loadConfig } from "@dext/core-di";
import { orm, type Seeder } from "@dext/orm";
import { telemetry } from "@dext/telemetry";
import { createApp, type WebApp, web } from "@dext/web";
import { demoData } from "./db/demo-seeder.ts";
import { entities } from "./db/entities.ts";
import { forumModule } from "./forum-module.ts";
import { type ForumSettings, forumConfigSchema } from "./settings.ts";

/** The app's own directory (config/, migrations/, public/, data/). */
export const appDir: string = fileURLToPath(new URL("..", import.meta.url));

export interface ForumOptions {
  /** `postgres://...` runs on PostgreSQL; otherwise embedded SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /** Where the SQLite file and the generated secret live (default `<app>/data`). */
  readonly dataDir?: string;
  readonly port?: number;
  readonly host?: string;
  /** Default: `loadConfig()` from the app directory (config/*.yaml, .env, DEXT__ variables). */
  readonly config?: Config;
  /** Load the demo categories, users and threads (default true). */
  readonly demoData?: boolean;
  /** Extra seeders (tests use one to hold the app in Seeding). */
  readonly seeders?: readonly Seeder[];
  /** Log level of the app's pino logger (default from config, else info). */
  readonly logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  readonly logger?: Logger;
}

/** The CSRF signing secret: from config, else generated once and kept in the data directory. */
function secretFor(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Builds the forum: telemetry, the ORM (migrated and seeded at startup), the web layer, and the
 * forum's own module. Nothing listens until `listen()` or `run()`.
 */
export function createForumApp(options: ForumOptions = {}): WebApp {
  const config = options.config ?? loadConfig({ cwd: appDir });
  const dataDir = options.dataDir ?? join(appDir, "data");
  mkdirSync(dataDir, { recursive: true });
  const forumConfig = config.section("forum", forumConfigSchema);
  const settings: ForumSettings = {
    secret: secretFor(forumConfig.secret, dataDir),
    sessionTtlMs: forumConfig.sessionDays * 86_400_000,
    pageSize: forumConfig.pageSize,
    secureCookies: forumConfig.secureCookies,
  };
  const database = databaseFor(options, config);

  return createApp({
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    modules: [
      telemetry({
        serviceName: "so4-forum",
        ...(options.logLevel ? { logging: { level: options.logLevel } } : {}),
      }),
      orm({
        database,
        entities: [...entities],
        migrations: { dir: join(appDir, "migrations"), migrateOnStart: true },
        seeders: [...(options.demoData === false ? [] : [demoData]), ...(options.seeders ?? [])],
      }),
      web({
        port: options.port ?? 3000,
        host: options.host ?? "127.0.0.1",
        // htmx sends form posts as urlencoded; the app's pages and API share one origin.
        cors: false,
      }),
      forumModule(settings),
    ],
  });
}

/** The database the options and config select: PostgreSQL for a `postgres://` URL, else SQLite. */
function databaseFor(options: ForumOptions, config: Config) {
  const url = options.databaseUrl ?? config.environment.DATABASE_URL;
  return url?.startsWith("postgres")
    ? ({ dialect: "postgres", url } as const)
    : ({
        dialect: "sqlite",
        filename: join(options.dataDir ?? join(appDir, "data"), "forum.db"),
      } as const);
}

/** Where the forum keeps its data, for the startup message. */
export function describeDatabase(options: ForumOptions, config: Config = createConfig()): string {
  const database = databaseFor(options, config);
  return database.dialect === "postgres" ? "PostgreSQL" : `SQLite ${database.filename}`;
}
