import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "@dext/core-di";
import { type Database, type DatabaseImpl, databaseImpl } from "../database.ts";
import { isOrmError, OrmError } from "../errors.ts";
import { generateMigration } from "../internal/migrations/generate.ts";
import {
  compareMigrationNames,
  type LoadedMigration,
  loadMigrations,
  type MigrationSet,
} from "../internal/migrations/load-migrations.ts";
import { LockedConnection, type LockOptions } from "../internal/migrations/locked-connection.ts";
import {
  changedError,
  checkApplied,
  failedError,
} from "../internal/migrations/migration-errors.ts";
import { slug } from "../internal/migrations/naming.ts";
import { logProgress } from "../internal/migrations/progress-log.ts";
import { rollbackPlan } from "../internal/migrations/rollback-plan.ts";
import { newMigrationFile } from "../internal/migrations/templates.ts";
import {
  createTrackingTableSql,
  deleteApplied,
  insertApplied,
  readApplied,
  updateChecksum,
} from "../internal/migrations/tracking-table.ts";
import type { Dialect } from "../pool/connection-pool.ts";
import { defineMigration, type MigrationDefinition, type MigrationStep } from "./migration.ts";
import type {
  CreateMigrationOptions,
  DownOptions,
  GeneratedMigration,
  GenerateMigrationOptions,
  MigrationProgress,
  MigrationRun,
  MigrationStatus,
  Migrator,
  MigratorOptions,
  UpOptions,
} from "./migrator-types.ts";

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function resolveDir(dir: string | URL | undefined): string | undefined {
  if (dir === undefined) return undefined;
  if (dir instanceof URL) return fileURLToPath(dir);
  return dir.startsWith("file:") ? fileURLToPath(dir) : resolve(process.cwd(), dir);
}

class MigratorImpl implements Migrator {
  readonly dialect: Dialect;
  readonly table: string;
  readonly dir: string | undefined;
  readonly #db: DatabaseImpl;
  readonly #o: MigratorOptions;
  readonly #inline: readonly MigrationDefinition[];
  readonly #lockTimeoutMs: number;
  readonly #log: Logger | undefined;

  constructor(db: DatabaseImpl, options: MigratorOptions) {
    this.#db = db;
    this.#o = options;
    this.dialect = db.dialect;
    this.table = options.table ?? "dext_migrations";
    if (!identifier.test(this.table)) {
      throw new OrmError(
        "ORM_INVALID_CONFIG",
        `createMigrator: table ${JSON.stringify(this.table)} must be a plain identifier (letters, digits, _)`,
      );
    }
    this.dir = resolveDir(options.dir);
    this.#inline = (options.migrations ?? []).map(defineMigration);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 600_000;
    if (!(this.#lockTimeoutMs >= 0)) {
      throw new OrmError("ORM_INVALID_CONFIG", "createMigrator: lockTimeoutMs must be 0 or more");
    }
    this.#log = options.logger;
  }

  /** `forWriting`: a folder that does not exist yet is empty (create() and generate() make it). */
  #load(forWriting = false): Promise<MigrationSet> {
    return loadMigrations(this.dir, this.#inline, this.dialect, { missingDirIsEmpty: forWriting });
  }

  #progress(event: MigrationProgress): void {
    this.#o.onProgress?.(event);
    logProgress(this.#log, event);
  }

  async #runStep(c: LockedConnection, m: LoadedMigration, step: MigrationStep): Promise<void> {
    if (typeof step === "string") {
      if (step.trim().length > 0) await c.exec(step, `migration ${m.name}`);
      return;
    }
    await step(c.kysely, { dialect: this.dialect, name: m.name });
  }

  async #withConnection<T>(
    signal: AbortSignal | undefined,
    fn: (c: LockedConnection) => Promise<T>,
  ): Promise<T> {
    const c = await LockedConnection.open(
      this.#db,
      signal,
      `the migrator of database "${this.#db.name}"`,
    );
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  }

  #lock(what: string): LockOptions {
    return { name: this.table, timeoutMs: this.#lockTimeoutMs, deferForeignKeys: true, what };
  }

  async status(): Promise<MigrationStatus> {
    const set = await this.#load();
    const applied = await this.#withConnection(undefined, (c) => readApplied(c, this.table));
    const byName = new Map(set.migrations.map((m) => [m.name, m]));
    const rows = [...applied.values()].sort((a, b) => compareMigrationNames(a.name, b.name));
    const list = rows.map((r) => ({ ...r, source: byName.get(r.name)?.source }));
    return {
      applied: list,
      pending: set.migrations
        .filter((m) => !applied.has(m.name))
        .map((m) => ({ name: m.name, source: m.source })),
      changed: rows.flatMap((r) => {
        const m = byName.get(r.name);
        return m !== undefined && m.checksum !== r.checksum
          ? [{ name: r.name, source: m.source, appliedChecksum: r.checksum, checksum: m.checksum }]
          : [];
      }),
      missing: list.filter((r) => r.source === undefined),
      current: rows.at(-1)?.name,
    };
  }

  async up(options: UpOptions = {}): Promise<readonly MigrationRun[]> {
    const set = await this.#load();
    const all = set.migrations;
    let last = all.length - 1;
    if (options.to !== undefined) {
      last = all.findIndex((m) => m.name === options.to);
      if (last < 0) {
        throw new OrmError(
          "ORM_MIGRATION_NOT_FOUND",
          `migrator.up({ to: ${JSON.stringify(options.to)} }): no migration has that name (known: ${all.map((m) => m.name).join(", ") || "none"})`,
        );
      }
    }
    return this.#withConnection(options.signal, async (c) => {
      const applied = await readApplied(c, this.table);
      checkApplied(set, applied, this.dir);
      const plan = all.slice(0, last + 1).filter((m) => !applied.has(m.name));
      if (plan.length === 0) {
        this.#log?.debug({ current: [...applied.keys()].at(-1) }, "database schema is up to date");
        return [];
      }
      const runs: MigrationRun[] = [];
      // Made in the first migration's transaction; known to exist once one has committed.
      let tableReady = false;
      for (const [i, m] of plan.entries()) {
        options.signal?.throwIfAborted();
        const step = { direction: "up" as const, name: m.name, index: i + 1, total: plan.length };
        this.#progress({ ...step, phase: "start" });
        let durationMs = 0;
        const status = await c
          .transaction(this.#lock(`migration ${m.name}`), async () => {
            if (!tableReady) {
              await c.exec(
                createTrackingTableSql(this.dialect, this.table),
                "creating the tracking table",
              );
            }
            const now = await readApplied(c, this.table, true);
            const row = now.get(m.name);
            if (row !== undefined) {
              if (row.checksum !== m.checksum) throw changedError([{ m, row }]);
              return "skipped" as const;
            }
            const later = [...now.keys()].filter((n) => compareMigrationNames(n, m.name) > 0);
            if (later.length > 0 && !this.#o.allowOutOfOrder) {
              throw new OrmError(
                "ORM_MIGRATION_ORDER",
                `migration ${m.name} (${m.source}) is pending but sorts before ${later.join(", ")}, which ${later.length === 1 ? "is" : "are"} already applied: give it a later prefix (migrator.create() picks the next one), or allow it with allowOutOfOrder`,
                { details: { migration: m.name, appliedLater: later } },
              );
            }
            const t0 = performance.now();
            try {
              await this.#runStep(c, m, m.up);
            } catch (e) {
              throw failedError(m, "up", e);
            }
            durationMs = performance.now() - t0;
            await insertApplied(c, this.table, { name: m.name, checksum: m.checksum, durationMs });
            return "applied" as const;
          })
          .catch((e: unknown) => {
            throw isOrmError(e, "ORM_FOREIGN_KEY_VIOLATION") ? failedError(m, "up", e) : e;
          });
        tableReady = true;
        this.#progress({ ...step, phase: status === "applied" ? "done" : "skipped", durationMs });
        runs.push({ name: m.name, direction: "up", status, durationMs });
      }
      return runs;
    });
  }

  async down(options: DownOptions = {}): Promise<readonly MigrationRun[]> {
    const steps = options.to === undefined ? (options.steps ?? 1) : undefined;
    if (steps !== undefined && !(steps >= 0 && (Number.isInteger(steps) || steps === Infinity))) {
      throw new OrmError(
        "ORM_INVALID_CONFIG",
        `migrator.down({ steps }): steps must be a whole number >= 0 (or Infinity), got ${String(steps)}`,
      );
    }
    const set = await this.#load();
    return this.#withConnection(options.signal, async (c) => {
      const applied = await readApplied(c, this.table);
      const plan = rollbackPlan(set, applied, options.to, steps);
      const runs: MigrationRun[] = [];
      for (const [i, m] of plan.entries()) {
        options.signal?.throwIfAborted();
        const step = { direction: "down" as const, name: m.name, index: i + 1, total: plan.length };
        this.#progress({ ...step, phase: "start" });
        let durationMs = 0;
        const status = await c
          .transaction(this.#lock(`rolling back migration ${m.name}`), async () => {
            const now = await readApplied(c, this.table);
            if (!now.has(m.name)) return "skipped" as const;
            const latest = [...now.keys()].sort(compareMigrationNames).at(-1);
            if (latest !== m.name) {
              throw new OrmError(
                "ORM_MIGRATION_ORDER",
                `migration ${m.name} cannot be rolled back: ${latest} was applied after it (by another process); roll that back first`,
                { details: { migration: m.name, latest } },
              );
            }
            const t0 = performance.now();
            try {
              await this.#runStep(c, m, m.down!);
            } catch (e) {
              throw failedError(m, "down", e);
            }
            durationMs = performance.now() - t0;
            await deleteApplied(c, this.table, m.name);
            return "reverted" as const;
          })
          .catch((e: unknown) => {
            throw isOrmError(e, "ORM_FOREIGN_KEY_VIOLATION") ? failedError(m, "down", e) : e;
          });
        this.#progress({ ...step, phase: status === "reverted" ? "done" : "skipped", durationMs });
        runs.push({ name: m.name, direction: "down", status, durationMs });
      }
      return runs;
    });
  }

  #requireDir(what: string): string {
    if (this.dir === undefined) {
      throw new OrmError(
        "ORM_INVALID_CONFIG",
        `migrator.${what}() writes into the migrations folder: create the migrator with { dir: "migrations" }`,
      );
    }
    return this.dir;
  }

  async #write(name: string, text: string): Promise<string> {
    const dir = this.dir!;
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, text, { flag: "wx" });
    return path;
  }

  async create(name: string, options: CreateMigrationOptions = {}): Promise<string> {
    const dir = this.#requireDir("create");
    const file = await newMigrationFile(
      dir,
      this.#inline.map((m) => m.name),
      name,
      options,
    );
    const path = await this.#write(file.fileName, file.text);
    this.#log?.info({ migration: file.name, file: path }, `created migration ${file.name}`);
    return path;
  }

  async generate(
    name: string,
    options: GenerateMigrationOptions = {},
  ): Promise<GeneratedMigration> {
    this.#requireDir("generate");
    const set = await this.#load(true);
    const entities = options.entities ?? this.#o.entities;
    return this.#withConnection(undefined, async (c) => {
      const applied = await readApplied(c, this.table);
      checkApplied(set, applied, this.dir);
      const generated = await generateMigration({
        applied,
        db: this.#db,
        connection: c,
        name: slug(name, "migrator.generate()"),
        entities,
        set,
        inline: this.#inline.map((m) => m.name),
        ignore: [this.table, "dext_seeds", ...(this.#o.ignoreTables ?? [])],
      });
      if (generated.text === undefined) {
        this.#log?.info("the schema matches the entities: no migration generated");
        return { ...generated.result, file: undefined };
      }
      const file = await this.#write(generated.fileName, generated.text);
      this.#log?.info(
        { migration: generated.result.name, file, changes: generated.result.changes.length },
        `generated migration ${generated.result.name}`,
      );
      return { ...generated.result, file };
    });
  }

  async repair(): Promise<readonly string[]> {
    const set = await this.#load();
    const byName = new Map(set.migrations.map((m) => [m.name, m]));
    return this.#withConnection(undefined, (c) =>
      c.transaction(this.#lock("migrator.repair()"), async () => {
        const fixed: string[] = [];
        for (const row of (await readApplied(c, this.table)).values()) {
          const m = byName.get(row.name);
          if (m === undefined || m.checksum === row.checksum) continue;
          await updateChecksum(c, this.table, row.name, m.checksum);
          this.#log?.warn({ migration: row.name }, `accepted the edited migration ${row.name}`);
          fixed.push(row.name);
        }
        return fixed;
      }),
    );
  }
}

/**
 * Creates a migrator for a database: migrations from a folder of SQL files (`-- up` / `-- down`)
 * and TypeScript files (`up(db)` / `down(db)`), and from code.
 *
 * @example
 * ```ts
 * const migrator = createMigrator(database, { dir: "migrations", entities: [User, Post] });
 * await migrator.up();                       // every pending migration, each in a transaction
 * await migrator.generate("add user bio");   // writes migrations/0004_add_user_bio.sqlite.sql
 * await migrator.down({ steps: 1 });
 * ```
 */
export function createMigrator(database: Database, options: MigratorOptions = {}): Migrator {
  return new MigratorImpl(databaseImpl(database, "createMigrator"), options);
}
