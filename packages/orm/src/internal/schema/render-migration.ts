import type { Dialect } from "../../pool/connection-pool.ts";
import type { SchemaDiff } from "./diff.ts";
import { renderPostgres } from "./render-postgres.ts";
import { renderSqlite } from "./render-sqlite.ts";
import type { Step } from "./render-steps.ts";

export type { Step };

/** The statements that apply a diff, in an order where each one is valid. */
export function renderDiff(diff: SchemaDiff, dialect: Dialect): Step[] {
  return dialect === "postgres" ? renderPostgres(diff) : renderSqlite(diff);
}
