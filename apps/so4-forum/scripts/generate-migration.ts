// Writes the next migration for both databases from the difference between the entities and a
// database migrated to the current files: `pnpm --filter so4-forum migration:generate <name>`.
import { join } from "node:path";
import { createDatabase, createMigrator } from "@dext/orm";
import { createTempSqliteFile, createTestDatabase } from "@dext/test-kit";
import { appDir } from "../src/app.ts";
import { entities } from "../src/db/entities.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("usage: migration:generate <snake_case_name>\n");
  process.exit(2);
}
const dir = join(appDir, "migrations");

const sqlite = createTempSqliteFile("forum-generate");
const postgres = await createTestDatabase("forum_generate");
try {
  for (const options of [
    { dialect: "sqlite", filename: sqlite.filename } as const,
    { dialect: "postgres", url: postgres.url } as const,
  ]) {
    const database = createDatabase(options);
    try {
      const migrator = createMigrator(database, { dir, entities: [...entities] });
      await migrator.up();
      const written = await migrator.generate(name);
      process.stdout.write(`${options.dialect}: ${written.file ?? "no changes"}\n`);
      for (const warning of written.warnings) process.stdout.write(`  warning: ${warning}\n`);
    } finally {
      await database.close();
    }
  }
} finally {
  sqlite.remove();
  await postgres.drop();
}
