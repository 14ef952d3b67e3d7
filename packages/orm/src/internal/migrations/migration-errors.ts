import { relative } from "node:path";
import { isOrmError, OrmError } from "../../errors.ts";
import type { LoadedMigration, MigrationSet } from "./load-migrations.ts";
import type { AppliedRow } from "./tracking-table.ts";

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** `ORM_MIGRATION_CHANGED` for applied migrations whose files were edited since. */
export function changedError(list: readonly { m: LoadedMigration; row: AppliedRow }[]): OrmError {
  const lines = list.map(
    ({ m, row }) =>
      `  - ${m.name} (${m.source}): checksum ${row.checksum.slice(0, 12)} when applied, ${m.checksum.slice(0, 12)} now`,
  );
  return new OrmError(
    "ORM_MIGRATION_CHANGED",
    `${list.length === 1 ? `migration ${list[0]!.m.source} was` : `${list.length} migrations were`} edited after being applied, and will not run again:\n${lines.join("\n")}\nPut the file back as it was and write a new migration for the change; if the edit changes nothing the migration did (a comment), accept it with migrator.repair().`,
    {
      details: { migrations: list.map(({ m }) => m.name), files: list.map(({ m }) => m.source) },
    },
  );
}

/** Throws when an applied migration was edited, or has no file here any more. */
export function checkApplied(
  set: MigrationSet,
  applied: ReadonlyMap<string, AppliedRow>,
  dir: string | undefined,
): void {
  const byName = new Map(set.migrations.map((m) => [m.name, m]));
  const changed = [...applied.values()].flatMap((row) => {
    const m = byName.get(row.name);
    return m !== undefined && m.checksum !== row.checksum ? [{ m, row }] : [];
  });
  if (changed.length > 0) throw changedError(changed);
  const missing = [...applied.keys()].filter((n) => !byName.has(n));
  if (missing.length === 0) return;
  const one = missing.length === 1;
  throw new OrmError(
    "ORM_MIGRATION_MISSING",
    `the database has ${one ? "a migration" : "migrations"} applied that no file here defines (${missing.join(", ")}${dir ? `; looked in ${relative(process.cwd(), dir) || dir}` : ""}): the database is ahead of this code. Deploy the code that has ${one ? "it" : "them"}, or roll ${one ? "it" : "them"} back with that code.`,
    { details: { migrations: missing } },
  );
}

/** `ORM_MIGRATION_FAILED`: the migration threw and its transaction was rolled back. */
export function failedError(
  m: LoadedMigration,
  direction: "up" | "down",
  cause: unknown,
): OrmError {
  if (isOrmError(cause, "ORM_MIGRATION_LOCKED")) return cause;
  return new OrmError(
    "ORM_MIGRATION_FAILED",
    `migration ${m.name} (${m.source}) failed ${direction === "up" ? "" : "to roll back "}and its transaction was rolled back, so the database is as it was before it: ${message(cause)}`,
    { cause, details: { migration: m.name, file: m.source, direction } },
  );
}
