import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, spawnNode } from "@dext/test-kit";
import { describe, expect, it } from "vitest";
import { dialects } from "./support/forum.ts";

const main = join(import.meta.dirname, "../src/main.ts");

// What `pnpm start` runs, as a real process: data created on first start, migrated, seeded,
// the URL printed, real content served, and a clean exit on SIGTERM.
describe.each(dialects)("src/main.ts on %s", (dialect) => {
  it("starts, prints its URL, serves pages and the API, and stops on SIGTERM", async () => {
    const parent = mkdtempSync(join(tmpdir(), "so4-main-"));
    const dataDir = join(parent, "data");
    const pg = dialect === "postgres" ? await createTestDatabase("forum_main") : undefined;
    const server = spawnNode(main, {
      env: {
        PORT: "0",
        HOST: "127.0.0.1",
        FORUM_DATA_DIR: dataDir,
        DATABASE_URL: pg?.url ?? "",
        DEXT__TELEMETRY__LOGGING__LEVEL: "warn",
      },
    });
    try {
      const line = await server.waitForLine(/so4 forum is ready at /);
      const base = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
      expect(line).toContain(
        dialect === "postgres" ? "PostgreSQL" : `SQLite ${join(dataDir, "forum.db")}`,
      );
      if (dialect === "sqlite") expect(existsSync(join(dataDir, "forum.db"))).toBe(true);
      const home = await fetch(base);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain("<strong>General</strong>");
      const thread = await fetch(new URL("/t/1", base));
      expect(await thread.text()).toContain("<h1>Welcome to the so4 forum</h1>");
      const api = await fetch(new URL("/api/threads", base));
      expect(((await api.json()) as { total: number }).total).toBe(4);
      server.kill("SIGTERM");
      expect((await server.exited()).code).toBe(0);
    } finally {
      if (server.child.exitCode === null) server.kill("SIGKILL");
      await pg?.drop();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
