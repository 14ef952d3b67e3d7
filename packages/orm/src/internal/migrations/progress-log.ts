import type { Logger } from "@dext/core-di";
import type { MigrationProgress } from "../../migrations/migrator-types.ts";

/** Logs one step of a migrator run: its name when it starts, its duration when it ends. */
export function logProgress(log: Logger | undefined, event: MigrationProgress): void {
  if (log === undefined) return;
  const step = `${event.index}/${event.total}`;
  const fields = { migration: event.name, direction: event.direction, step };
  const verb = event.direction === "up" ? "applied" : "rolled back";
  if (event.phase === "start") {
    log.info(
      fields,
      `migration ${step}: ${event.name}${event.direction === "down" ? " (rolling back)" : ""}`,
    );
  } else if (event.phase === "done") {
    const ms = Math.round(event.durationMs ?? 0);
    log.info({ ...fields, durationMs: ms }, `migration ${event.name} ${verb} in ${ms} ms`);
  } else {
    log.info(fields, `migration ${event.name} was ${verb} by another process`);
  }
}
