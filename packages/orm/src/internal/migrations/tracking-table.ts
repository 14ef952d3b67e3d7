import type { Dialect } from "../../pool/connection-pool.ts";
import { ident, literal } from "../schema/sql-text.ts";
import type { LockedConnection } from "./locked-connection.ts";

/** A row of the migrations tracking table. */
export interface AppliedRow {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly durationMs: number;
}

export function createTrackingTableSql(dialect: Dialect, table: string): string {
  const at = dialect === "postgres" ? "timestamptz" : "text";
  return `create table if not exists ${ident(table)} (
  name text not null primary key,
  checksum text not null,
  applied_at ${at} not null,
  duration_ms integer not null
)`;
}

export async function tableExists(c: LockedConnection, table: string): Promise<boolean> {
  const rows =
    c.dialect === "postgres"
      ? await c.rows(`select to_regclass(${literal(ident(table))}) is not null as found`)
      : await c.rows(
          `select count(*) as found from sqlite_schema where type = 'table' and name = ?`,
          [table],
        );
  const found = rows[0]?.found;
  return found === true || Number(found) > 0;
}

/** The applied migrations; `exists` skips checking for the table (it was just created). */
export async function readApplied(
  c: LockedConnection,
  table: string,
  exists = false,
): Promise<Map<string, AppliedRow>> {
  const out = new Map<string, AppliedRow>();
  if (!exists && !(await tableExists(c, table))) return out;
  const rows = await c.rows(
    `select name, checksum, applied_at, duration_ms from ${ident(table)} order by applied_at, name`,
  );
  for (const r of rows) {
    const name = String(r.name);
    out.set(name, {
      name,
      checksum: String(r.checksum),
      appliedAt: r.applied_at instanceof Date ? r.applied_at : new Date(String(r.applied_at)),
      durationMs: Number(r.duration_ms),
    });
  }
  return out;
}

export async function insertApplied(
  c: LockedConnection,
  table: string,
  row: { name: string; checksum: string; durationMs: number },
): Promise<void> {
  const p = c.dialect === "postgres" ? ["$1", "$2", "$3", "$4"] : ["?", "?", "?", "?"];
  await c.rows(
    `insert into ${ident(table)} (name, checksum, applied_at, duration_ms) values (${p.join(", ")})`,
    [
      row.name,
      row.checksum,
      c.dialect === "postgres" ? new Date() : new Date().toISOString(),
      Math.round(row.durationMs),
    ],
  );
}

export async function deleteApplied(
  c: LockedConnection,
  table: string,
  name: string,
): Promise<void> {
  await c.rows(
    `delete from ${ident(table)} where name = ${c.dialect === "postgres" ? "$1" : "?"}`,
    [name],
  );
}

export async function updateChecksum(
  c: LockedConnection,
  table: string,
  name: string,
  checksum: string,
): Promise<void> {
  const [a, b] = c.dialect === "postgres" ? ["$1", "$2"] : ["?", "?"];
  await c.rows(`update ${ident(table)} set checksum = ${a} where name = ${b}`, [checksum, name]);
}
