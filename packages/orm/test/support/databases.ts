import { createTempSqliteFile, createTestDatabase } from "@dext/test-kit";
import {
  createDatabase,
  createTables,
  type Database,
  type DatabaseOptions,
} from "../../src/index.ts";
import { allEntities } from "./model.ts";

export const dialects = ["sqlite", "postgres"] as const;
export type TestDialect = (typeof dialects)[number];

/** A database of its own for one test file: a temp SQLite file (WAL) or a fresh PostgreSQL database. */
export interface TestDb {
  readonly database: Database;
  readonly options: DatabaseOptions;
  /** Another Database on the same storage (for non-pooled or differently configured pools). */
  open(extra?: Record<string, unknown>): Database;
  drop(): Promise<void>;
}

export async function openTestDb(
  dialect: TestDialect,
  label: string,
  extra: Record<string, unknown> = {},
  schema = true,
): Promise<TestDb> {
  let options: DatabaseOptions;
  let cleanup: () => Promise<void>;
  if (dialect === "sqlite") {
    const file = createTempSqliteFile(label);
    options = { dialect: "sqlite", filename: file.filename, ...extra } as DatabaseOptions;
    cleanup = async () => file.remove();
  } else {
    const pg = await createTestDatabase(label);
    options = { dialect: "postgres", url: pg.url, ...extra } as DatabaseOptions;
    cleanup = () => pg.drop();
  }
  const opened: Database[] = [];
  const open = (more: Record<string, unknown> = {}): Database => {
    const d = createDatabase({ ...options, ...more } as DatabaseOptions);
    opened.push(d);
    return d;
  };
  const database = open();
  if (schema) await createTables(database, allEntities);
  return {
    database,
    options,
    open,
    async drop() {
      for (const d of opened) await d.close();
      await cleanup();
    },
  };
}
