import type { DatabaseImpl } from "../../database.ts";
import { OrmError } from "../../errors.ts";
import type { GeneratedMigration } from "../../migrations/migrator-types.ts";
import { checkEntities } from "../../schema/check-entities.ts";
import type { AnyEntity } from "../../schema/define-entity.ts";
import { diffSchemas, isEmptyDiff } from "../schema/diff.ts";
import { entitySchema } from "../schema/entity-schema.ts";
import { readSchema } from "../schema/read-schema.ts";
import { renderDiff, type Step } from "../schema/render-migration.ts";
import { compareMigrationNames, type MigrationSet, migrationFile } from "./load-migrations.ts";
import type { LockedConnection } from "./locked-connection.ts";
import { nextPrefix } from "./naming.ts";
import { generatedMigrationText } from "./templates.ts";

function sectionText(steps: readonly Step[]): string {
  return steps
    .filter((s) => s.sql !== undefined)
    .map((s) => `${s.sql};`)
    .join("\n");
}

/**
 * The prefix of a generated migration. When the other dialect already has a migration with this
 * name, and it would still be the newest here, this dialect's file joins it under the same name.
 */
function prefixFor(slug: string, set: MigrationSet, inline: readonly string[]): string {
  const newest = set.migrations.at(-1)?.name;
  for (const other of [...set.otherDialect].sort(compareMigrationNames).reverse()) {
    const rest = other.replace(/^\d+[_-]/, "");
    if (rest !== slug) continue;
    if (newest === undefined || compareMigrationNames(other, newest) > 0) {
      return /^(\d+)/.exec(other)![1]!;
    }
  }
  return nextPrefix([...set.files, ...inline]);
}

/** Diffs the entities against the live schema and renders the migration file (if any). */
export async function generateMigration(o: {
  readonly applied: ReadonlyMap<string, unknown>;
  readonly db: DatabaseImpl;
  readonly connection: LockedConnection;
  readonly name: string;
  readonly entities: readonly AnyEntity[] | undefined;
  readonly set: MigrationSet;
  readonly inline: readonly string[];
  readonly ignore: readonly (string | RegExp)[];
}): Promise<{
  readonly result: Omit<GeneratedMigration, "file">;
  readonly text: string | undefined;
  readonly fileName: string;
}> {
  const pending = o.set.migrations.filter((m) => !o.applied.has(m.name));
  if (pending.length > 0) {
    throw new OrmError(
      "ORM_MIGRATION_PENDING",
      `migrator.generate() compares the entities with the live schema, so every migration must be applied first; pending: ${pending.map((m) => m.name).join(", ")} (run migrator.up())`,
      { details: { pending: pending.map((m) => m.name) } },
    );
  }
  if (o.entities === undefined || o.entities.length === 0) {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      "migrator.generate() needs the entities to compare: createMigrator(database, { dir, entities: [User, Post] })",
    );
  }
  const dialect = o.db.dialect;
  const metas = checkEntities(o.entities, "migrator.generate()", { complete: true });
  const ignored = (table: string): boolean =>
    table.startsWith("sqlite_") ||
    table.startsWith("__dext_new_") ||
    o.ignore.some((p) => (typeof p === "string" ? p === table : p.test(table)));
  const live = await readSchema(o.db, { session: o.connection.session });
  const want = entitySchema(metas, dialect);
  const upDiff = diffSchemas(live, want, ignored);
  const name = `${prefixFor(o.name, o.set, o.inline)}_${o.name}`;
  const fileName = `${name}.${dialect}.sql`;
  if (!migrationFile.test(fileName)) {
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `migrator.generate(): ${fileName} is not a valid migration file name`,
    );
  }
  if (isEmptyDiff(upDiff)) {
    return {
      result: { name, changes: [], warnings: [], up: "", down: "" },
      text: undefined,
      fileName,
    };
  }
  const up = renderDiff(upDiff, dialect);
  const down = renderDiff(diffSchemas(want, live, ignored), dialect);
  const text = generatedMigrationText({ name, dialect, database: o.db.name, up, down });
  return {
    result: {
      name,
      changes: up.flatMap((s) => (s.change === undefined ? [] : [s.change])),
      warnings: up.flatMap((s) => (s.warning === undefined ? [] : [s.warning])),
      up: sectionText(up),
      down: sectionText(down),
    },
    text,
    fileName,
  };
}
