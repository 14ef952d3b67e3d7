import { z } from "zod";

/**
 * The `orm` config section: connection settings that override the code's, and the startup
 * switches (from YAML or env: `DEXT__ORM__URL=...`, `DEXT__ORM__MIGRATE_ON_START=true`).
 */
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
  /** Apply pending migrations in the host's Migrating state. */
  readonly migrateOnStart?: boolean | undefined;
  /** The migrations folder (overrides `migrations.dir`). */
  readonly migrationsDir?: string | undefined;
  /** How long a migration or seeder waits for another process's, in ms. */
  readonly lockTimeoutMs?: number | undefined;
  /** Run the seeders in the host's Seeding state (default true when there are seeders). */
  readonly seed?: boolean | undefined;
  /** Compare the live schema with the entities before the host runs. */
  readonly validateSchema?: boolean | undefined;
}

/** The keys of the section that are not connection settings. */
export const startupKeys = [
  "migrateOnStart",
  "migrationsDir",
  "lockTimeoutMs",
  "seed",
  "validateSchema",
] as const;

export const ormSectionSchema: z.ZodType<OrmConfigSection | undefined> = z
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
    migrateOnStart: z.boolean().optional(),
    migrationsDir: z.string().min(1).optional(),
    lockTimeoutMs: z.number().int().nonnegative().optional(),
    seed: z.boolean().optional(),
    validateSchema: z.boolean().optional(),
  })
  .strict()
  .optional();
