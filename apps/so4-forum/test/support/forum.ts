import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConfig } from "@dext/core-di";
import type { Seeder } from "@dext/orm";
import { createTestDatabase } from "@dext/test-kit";
import type { WebApp } from "@dext/web";
import { createForumApp } from "../../src/app.ts";

export type Dialect = "sqlite" | "postgres";
export const dialects: readonly Dialect[] = ["sqlite", "postgres"];

export interface RunningForum {
  readonly app: WebApp;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A forum on its own database (a temp SQLite file or a fresh PostgreSQL database), migrated and
 * seeded with the demo data, listening on a free port.
 */
export async function startForum(
  dialect: Dialect,
  options: {
    readonly seeders?: readonly Seeder[];
    readonly waitUntilRunning?: boolean;
    /** Runs before the host starts (to add startup tasks). */
    readonly beforeStart?: (app: WebApp) => void;
    /** The state to wait for when not waiting until Running (default Seeding). */
    readonly waitFor?: "Migrating" | "Seeding";
  } = {},
): Promise<RunningForum> {
  const dataDir = mkdtempSync(join(tmpdir(), "so4-forum-"));
  const pg = dialect === "postgres" ? await createTestDatabase("forum") : undefined;
  const app = createForumApp({
    dataDir,
    port: 0,
    config: createConfig({ forum: { secret: "test-secret-".padEnd(40, "x") } }, { env: "test" }),
    logLevel: "silent",
    ...(pg ? { databaseUrl: pg.url } : {}),
    ...(options.seeders ? { seeders: options.seeders } : {}),
  });
  options.beforeStart?.(app);
  const started = app.start({ listen: true });
  if (options.waitUntilRunning !== false) await started;
  else await app.host.waitFor(options.waitFor ?? "Seeding");
  return {
    app,
    url: app.url,
    async close() {
      await app.close();
      await started.catch(() => {});
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
