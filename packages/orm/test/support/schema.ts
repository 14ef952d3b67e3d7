import type { Database } from "../../src/index.ts";

/** The names of the tables in the database (without the tracking tables). */
export async function tableNames(database: Database): Promise<string[]> {
  const rows =
    database.dialect === "postgres"
      ? (
          await database.kysely
            .selectFrom("pg_tables")
            .select("tablename as name")
            .where("schemaname", "=", "public")
            .execute()
        ).map((r) => String(r.name))
      : (
          await database.kysely
            .selectFrom("sqlite_schema")
            .select("name")
            .where("type", "=", "table")
            .execute()
        ).map((r) => String(r.name));
  return rows.filter((n) => !n.startsWith("sqlite_")).sort();
}

/** The column names of a table. */
export async function columnNames(database: Database, table: string): Promise<string[]> {
  const tables = await database.kysely.introspection.getTables();
  return (tables.find((t) => t.name === table)?.columns ?? []).map((c) => c.name);
}
