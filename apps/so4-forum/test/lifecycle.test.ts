import { defineSeeder } from "@dext/orm";
import { afterAll, describe, expect, it } from "vitest";
import { dialects, type RunningForum, startForum } from "./support/forum.ts";

describe.each(dialects)("startup on %s", (dialect) => {
  let forum: RunningForum | undefined;
  let migrating: RunningForum | undefined;
  afterAll(async () => {
    await forum?.close();
    await migrating?.close();
  });

  it("answers 503 with the state while migrating", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inTask = new Promise<void>((resolve) => {
      entered = resolve;
    });
    migrating = await startForum(dialect, {
      waitUntilRunning: false,
      waitFor: "Migrating",
      beforeStart: (app) =>
        app.host.addStartupTask(
          "Migrating",
          async () => {
            entered();
            await gate;
          },
          "held migration",
        ),
    });
    await inTask;
    const page = await fetch(new URL("/c/general", migrating.url));
    expect(page.status).toBe(503);
    expect(await page.json()).toMatchObject({ state: "Migrating" });
    expect((await fetch(new URL("/health/ready", migrating.url))).status).toBe(503);
    release();
    await migrating.app.host.waitFor("Running");
    expect((await fetch(new URL("/c/general", migrating.url))).status).toBe(200);
  });

  it("answers 503 while seeding, tells readiness, and serves once Running", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inSeeder = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slow = defineSeeder({
      name: "slow seeder",
      async run() {
        entered();
        await gate;
      },
    });
    forum = await startForum(dialect, { seeders: [slow], waitUntilRunning: false });
    await inSeeder;
    const page = await fetch(new URL("/", forum.url));
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toEqual(expect.any(String));
    expect(page.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(await page.json()).toMatchObject({ state: "Seeding" });
    expect((await fetch(new URL("/api/threads", forum.url))).status).toBe(503);
    const ready = await fetch(new URL("/health/ready", forum.url));
    expect(ready.status).toBe(503);
    expect((await fetch(new URL("/health/live", forum.url))).status).toBe(200);

    release();
    await forum.app.host.waitFor("Running");
    expect((await fetch(new URL("/health/ready", forum.url))).status).toBe(200);
    expect((await fetch(new URL("/", forum.url))).status).toBe(200);
  });
});
