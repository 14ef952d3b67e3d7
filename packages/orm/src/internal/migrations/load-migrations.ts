import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { OrmError } from "../../errors.ts";
import {
  type MigrationDefinition,
  type MigrationStep,
  migrationPrefix,
} from "../../migrations/migration.ts";
import type { Dialect } from "../../pool/connection-pool.ts";
import { parseSqlMigration } from "./sql-file.ts";

/** A migration ready to run on one dialect. */
export interface LoadedMigration {
  readonly name: string;
  readonly prefix: bigint;
  readonly checksum: string;
  /** The file it came from (relative to the working directory), or `(code)`. */
  readonly source: string;
  readonly up: MigrationStep;
  /** `undefined`: irreversible. */
  readonly down: MigrationStep | undefined;
}

/** Every migration the folder and the code define, and the names of the other dialect's. */
export interface MigrationSet {
  readonly migrations: readonly LoadedMigration[];
  /** Names (with their prefixes) that exist only for the other dialect. */
  readonly otherDialect: ReadonlySet<string>;
  /** Every file name in the folder that is a migration, for any dialect. */
  readonly files: readonly string[];
}

/** `0003_add_index.postgres.sql` -> name `0003_add_index`, dialect, extension. */
export const migrationFile: RegExp =
  /^(?<name>(?<prefix>\d+)[_-][^.]+)(?:\.(?<dialect>postgres|sqlite))?\.(?<ext>sql|ts|mts|js|mjs)$/;
const candidate = /\.(sql|ts|mts|js|mjs)$/;
const declaration = /\.d\.m?ts$/;

/** Prefix order, then name order: `9_x` before `10_x`. */
export function compareMigrationNames(a: string, b: string): number {
  const pa = migrationPrefix(a) ?? -1n;
  const pb = migrationPrefix(b) ?? -1n;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function checksumOf(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n?/g, "\n")).digest("hex");
}

const stepSource = (s: MigrationStep | undefined): string =>
  s === undefined ? "" : typeof s === "string" ? s : s.toString();

async function loadFile(
  dir: string,
  file: string,
  ext: string,
): Promise<Omit<LoadedMigration, "name" | "prefix">> {
  const path = join(dir, file);
  const rel = relative(process.cwd(), path);
  const source = rel === "" || rel.startsWith("..") ? path : rel;
  const text = await readFile(path, "utf8");
  const checksum = checksumOf(text);
  if (ext === "sql") {
    const { up, down } = parseSqlMigration(text, source);
    return { checksum, source, up, down };
  }
  let mod: Record<string, unknown>;
  try {
    // The checksum in the URL makes an edited file load afresh in a long-lived process.
    mod = (await import(`${pathToFileURL(path).href}?checksum=${checksum.slice(0, 16)}`)) as Record<
      string,
      unknown
    >;
  } catch (cause) {
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `${source} could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}${ext === "ts" || ext === "mts" ? " (TypeScript migrations need Node's type stripping: Node 22.18+, or compile them to .js)" : ""}`,
      { cause, details: { file: source } },
    );
  }
  const fallback = (mod.default ?? {}) as Record<string, unknown>;
  const up = mod.up ?? fallback.up;
  const down = mod.down ?? fallback.down;
  if (typeof up !== "function") {
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `${source} exports no up function: export async function up(db: MigrationDb) { ... }`,
      { details: { file: source } },
    );
  }
  if (down !== undefined && typeof down !== "function") {
    throw new OrmError("ORM_MIGRATION_INVALID", `${source}: its down export is not a function`, {
      details: { file: source },
    });
  }
  return {
    checksum,
    source,
    up: up as MigrationStep,
    down: down as MigrationStep | undefined,
  };
}

/** The migration file names in a folder (any dialect), without reading them; none if it is missing. */
export async function migrationFileNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => migrationFile.test(f) && !declaration.test(f));
  } catch (cause) {
    if ((cause as { code?: unknown }).code === "ENOENT") return [];
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `the migrations folder ${dir} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** Reads the migrations folder and the migrations given in code, for one dialect, in order. */
export async function loadMigrations(
  dir: string | undefined,
  inline: readonly MigrationDefinition[],
  dialect: Dialect,
  options: { readonly missingDirIsEmpty?: boolean } = {},
): Promise<MigrationSet> {
  const byName = new Map<string, LoadedMigration>();
  const origin = new Map<string, string>();
  const otherDialect = new Set<string>();
  const files: string[] = [];
  const add = (m: LoadedMigration): void => {
    const seen = origin.get(m.name);
    if (seen !== undefined) {
      throw new OrmError(
        "ORM_MIGRATION_INVALID",
        `two migrations are named ${m.name} (${seen} and ${m.source}); keep one`,
        { details: { name: m.name } },
      );
    }
    origin.set(m.name, m.source);
    byName.set(m.name, m);
  };
  if (dir !== undefined) {
    let entries: string[];
    try {
      entries = (await readdir(dir, { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    } catch (cause) {
      const missing = (cause as { code?: unknown }).code === "ENOENT";
      if (missing && options.missingDirIsEmpty) return { migrations: [], otherDialect, files };
      throw new OrmError(
        "ORM_MIGRATION_INVALID",
        `the migrations folder ${dir} could not be read${missing ? " (it does not exist: check the path, which is relative to the working directory, or pass a file: URL)" : ""}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    const bad = entries.filter(
      (f) =>
        candidate.test(f) && !declaration.test(f) && !f.startsWith(".") && !migrationFile.test(f),
    );
    if (bad.length > 0) {
      throw new OrmError(
        "ORM_MIGRATION_INVALID",
        `${bad.join(", ")} in ${dir} ${bad.length === 1 ? "is not named" : "are not named"} like a migration: <number>_<name>[.postgres|.sqlite].(sql|ts|js), e.g. 0003_add_index.sql`,
        { details: { files: bad } },
      );
    }
    for (const file of entries) {
      const m = migrationFile.exec(file);
      if (m === null || declaration.test(file)) continue;
      files.push(file);
      const g = m.groups!;
      if (g.dialect !== undefined && g.dialect !== dialect) {
        otherDialect.add(g.name!);
        continue;
      }
      const loaded = await loadFile(dir, file, g.ext!);
      add({ name: g.name!, prefix: BigInt(g.prefix!), ...loaded });
    }
  }
  for (const d of inline) {
    if (d.dialect !== undefined && d.dialect !== dialect) continue;
    const checked = d;
    add({
      name: checked.name,
      prefix: migrationPrefix(checked.name) ?? 0n,
      checksum:
        checked.checksum ??
        checksumOf(`${stepSource(checked.up)}\u0000${stepSource(checked.down)}`),
      source: "(code)",
      up: checked.up,
      down: checked.down,
    });
  }
  for (const name of byName.keys()) otherDialect.delete(name);
  const migrations = [...byName.values()].sort((a, b) => compareMigrationNames(a.name, b.name));
  return { migrations, otherDialect, files };
}
