import { OrmError } from "../../errors.ts";

const marker = /^[ \t]*--[ \t]*(up|down)[ \t]*:?[ \t]*$/gim;

/** Whether SQL text holds anything besides comments and whitespace. */
export function hasStatements(sql: string): boolean {
  const stripped = sql
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/--[^\n]*/g, "")
    .trim();
  return stripped.replace(/;/g, "").trim().length > 0;
}

/**
 * Splits a SQL migration into its `-- up` and `-- down` sections. Without a `-- down` line the
 * migration is irreversible; an empty down section undoes nothing, on purpose.
 */
export function parseSqlMigration(
  text: string,
  file: string,
): { readonly up: string; readonly down: string | undefined } {
  const markers = [...text.matchAll(marker)].map((m) => ({
    kind: m[1]!.toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
  const ups = markers.filter((m) => m.kind === "up");
  const downs = markers.filter((m) => m.kind === "down");
  const invalid = (why: string): OrmError =>
    new OrmError("ORM_MIGRATION_INVALID", `${file}: ${why}`, { details: { file } });
  if (ups.length !== 1) {
    throw invalid(
      ups.length === 0
        ? 'no "-- up" line: a SQL migration has a line "-- up" above its statements and, to be reversible, a line "-- down" above the statements that undo them'
        : 'more than one "-- up" line; a file holds one migration',
    );
  }
  if (downs.length > 1) throw invalid('more than one "-- down" line; a file holds one migration');
  const up = ups[0]!;
  const down = downs[0];
  if (down !== undefined && down.start < up.start) {
    throw invalid('the "-- down" section comes before "-- up"; put "-- up" first');
  }
  if (hasStatements(text.slice(0, up.start))) {
    throw invalid('statements before the "-- up" line would never run; move them into a section');
  }
  const upSql = text.slice(up.end, down?.start ?? text.length);
  if (!hasStatements(upSql)) {
    throw invalid(
      'the "-- up" section has no statements; write the migration (or delete the file)',
    );
  }
  return { up: upSql.trim(), down: down === undefined ? undefined : text.slice(down.end).trim() };
}
