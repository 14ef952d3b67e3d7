import { OrmError } from "../../errors.ts";
import {
  compareMigrationNames,
  type LoadedMigration,
  type MigrationSet,
} from "./load-migrations.ts";
import { changedError } from "./migration-errors.ts";
import type { AppliedRow } from "./tracking-table.ts";

/**
 * The migrations `down()` rolls back, newest first: the last `steps`, or every one after `to`.
 * Every target is checked (its file exists, is unchanged and can be undone) before any runs.
 */
export function rollbackPlan(
  set: MigrationSet,
  applied: ReadonlyMap<string, AppliedRow>,
  to: string | undefined,
  steps: number | undefined,
): LoadedMigration[] {
  const byName = new Map(set.migrations.map((m) => [m.name, m]));
  const ordered = [...applied.keys()].sort(compareMigrationNames);
  let targets: string[];
  if (to !== undefined) {
    const at = ordered.indexOf(to);
    if (at < 0) {
      throw new OrmError(
        "ORM_MIGRATION_NOT_FOUND",
        `migrator.down({ to: ${JSON.stringify(to)} }): that migration is not applied (applied: ${ordered.join(", ") || "none"})`,
      );
    }
    targets = ordered.slice(at + 1).reverse();
  } else {
    targets = steps === 0 ? [] : ordered.slice(-(steps ?? 1)).reverse();
  }
  return targets.map((name) => {
    const m = byName.get(name);
    if (m === undefined) {
      throw new OrmError(
        "ORM_MIGRATION_MISSING",
        `migration ${name} cannot be rolled back: no file here defines it (the database is ahead of this code)`,
        { details: { migration: name } },
      );
    }
    const row = applied.get(name)!;
    if (row.checksum !== m.checksum) throw changedError([{ m, row }]);
    if (m.down === undefined) {
      throw new OrmError(
        "ORM_MIGRATION_IRREVERSIBLE",
        `migration ${m.name} (${m.source}) cannot be rolled back: it has no ${typeof m.up === "string" ? '"-- down" section' : "down function"}; nothing was rolled back`,
        { details: { migration: m.name, file: m.source } },
      );
    }
    return m;
  });
}
