import type { DatabaseImpl } from "../../database.ts";
import type { Session } from "../session.ts";
import { introspect } from "./introspect.ts";
import type { DbSchema } from "./model.ts";

/** Introspects the live schema through `session` (or a session of its own). */
export async function readSchema(
  db: DatabaseImpl,
  options: { readonly session?: Session; readonly signal?: AbortSignal | undefined } = {},
): Promise<DbSchema> {
  const session = options.session ?? db.session(false, options.signal, "schema introspection");
  try {
    return await introspect(db.dialect, async (sql, params) => {
      const r = await session.query(sql, params, "select", false);
      return r.rows as Record<string, unknown>[];
    });
  } finally {
    if (options.session === undefined) await session.dispose();
  }
}
