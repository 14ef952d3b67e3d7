import { ident } from "../schema/sql-text.ts";
import type { LockedConnection } from "./locked-connection.ts";
import { tableExists } from "./tracking-table.ts";

export function createSeedsTableSql(c: LockedConnection, table: string): string {
  const at = c.dialect === "postgres" ? "timestamptz" : "text";
  return `create table if not exists ${ident(table)} (
  name text not null,
  environment text not null,
  version text not null,
  applied_at ${at} not null,
  duration_ms integer not null,
  primary key (name, environment)
)`;
}

/** The version each seeder last ran with in `environment`. */
export async function readSeeds(
  c: LockedConnection,
  table: string,
  environment: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!(await tableExists(c, table))) return out;
  const p = c.dialect === "postgres" ? "$1" : "?";
  for (const r of await c.rows(
    `select name, version from ${ident(table)} where environment = ${p}`,
    [environment],
  )) {
    out.set(String(r.name), String(r.version));
  }
  return out;
}

export async function recordSeed(
  c: LockedConnection,
  table: string,
  row: { name: string; environment: string; version: string; durationMs: number },
): Promise<void> {
  const p = c.dialect === "postgres" ? ["$1", "$2", "$3", "$4", "$5"] : ["?", "?", "?", "?", "?"];
  await c.rows(
    `insert into ${ident(table)} (name, environment, version, applied_at, duration_ms)
     values (${p.join(", ")})
     on conflict (name, environment) do update set version = excluded.version,
       applied_at = excluded.applied_at, duration_ms = excluded.duration_ms`,
    [
      row.name,
      row.environment,
      row.version,
      c.dialect === "postgres" ? new Date() : new Date().toISOString(),
      Math.round(row.durationMs),
    ],
  );
}
