import { join } from "node:path";
import { spawnNode } from "@dext/test-kit";
import { describe, expect, it } from "vitest";
import {
  createHost,
  type DextModule,
  type HostState,
  HostToken,
  silentLogger,
  token,
} from "../src/index.ts";

const fixture = join(import.meta.dirname, "fixtures/host-app.ts");

function recorder(log: string[], name: string, extra: Partial<DextModule> = {}): DextModule {
  return {
    name,
    register() {},
    start: () => {
      log.push(`start ${name}`);
    },
    stop: () => {
      log.push(`stop ${name}`);
    },
    ...extra,
  };
}

describe("host lifecycle", () => {
  it("walks Starting -> Migrating -> Seeding -> Running, running each state's tasks in order", async () => {
    const log: string[] = [];
    const host = createHost({ modules: [recorder(log, "db")], logger: silentLogger });
    const states: HostState[] = [];
    host.on("state", (c) => states.push(c.to));
    host.addStartupTask("Migrating", async ({ progress }) => {
      progress("migration 1/1");
      log.push(`migrate while ${host.state} (${host.detail})`);
    });
    host.addStartupTask("Seeding", () => {
      log.push(`seed while ${host.state}`);
    });
    expect(host.state).toBe("Starting");
    await host.start();
    expect(states).toEqual(["Migrating", "Seeding", "Running"]);
    expect(log).toEqual([
      "start db",
      "migrate while Migrating (migration 1/1)",
      "seed while Seeding",
    ]);
    await host.stop();
    expect(host.state).toBe("Stopped");
  });

  it("registers itself so modules can watch its state", async () => {
    const Probe = token<() => HostState>("Probe");
    const host = createHost({
      logger: silentLogger,
      services: (s) =>
        s.addSingleton(Probe, { deps: [HostToken], useFactory: (h) => () => h.state }),
    });
    const probe = host.services.resolve(Probe);
    await host.start();
    expect(probe()).toBe("Running");
    await host.stop();
  });

  it("stops modules in reverse order and disposes services last", async () => {
    const log: string[] = [];
    const Pool = token<object>("Pool");
    const host = createHost({
      logger: silentLogger,
      modules: [
        recorder(log, "db", {
          register: (s) =>
            s.addSingleton(Pool, {
              useFactory: () => ({ dispose: () => log.push("dispose pool") }),
            }),
        }),
        recorder(log, "cache", { requires: ["db"] }),
        recorder(log, "web", { requires: ["cache"] }),
      ],
    });
    await host.start();
    await host.stop();
    expect(log).toEqual([
      "start db",
      "start cache",
      "start web",
      "stop web",
      "stop cache",
      "stop db",
      "dispose pool",
    ]);
  });

  it("goes Failed and stops (exit mode) when a startup task fails", async () => {
    const log: string[] = [];
    const host = createHost({ modules: [recorder(log, "db")], logger: silentLogger });
    host.addStartupTask(
      "Migrating",
      () => {
        throw new Error("migration 002 failed");
      },
      "migrate",
    );
    const states: HostState[] = [];
    host.on("state", (c) => states.push(c.to));
    await expect(host.start()).rejects.toMatchObject({
      code: "HOST_STARTUP_FAILED",
      message: expect.stringContaining("migrate: migration 002 failed"),
    });
    expect(states).toEqual(["Migrating", "Failed", "Stopping", "Stopped"]);
    expect(log).toEqual(["start db", "stop db"]);
  });

  it("stops promptly when a module's start throws in exit mode (no wait for the deadline)", async () => {
    const log: string[] = [];
    const host = createHost({
      logger: silentLogger,
      // A long deadline: if stop waited on the failed startup, this test would time out.
      shutdownTimeoutMs: 600_000,
      modules: [
        recorder(log, "db"),
        recorder(log, "web", {
          requires: ["db"],
          start: () => {
            throw new Error("port in use");
          },
        }),
      ],
    });
    await expect(host.start()).rejects.toMatchObject({
      code: "HOST_STARTUP_FAILED",
      message: expect.stringContaining("starting module web: port in use"),
    });
    expect(host.state).toBe("Stopped");
    expect(log).toEqual(["start db", "stop db"]);
  });

  it("stays up in Failed (maintenance mode) with the reason, until stopped", async () => {
    const host = createHost({ onStartupFailure: "maintenance", logger: silentLogger });
    host.addStartupTask(
      "Seeding",
      () => {
        throw new Error("seed data invalid");
      },
      "seed",
    );
    await host.start();
    expect(host.state).toBe("Failed");
    expect(host.detail).toBe("seed: seed data invalid");
    expect((host.failure as Error).message).toBe("seed data invalid");
    await host.stop();
    expect(host.state).toBe("Stopped");
  });

  it("lets config override the failure mode and the shutdown deadline", () => {
    const host = createHost({
      config: { host: { onStartupFailure: "maintenance", shutdownTimeoutMs: 50 } },
      logger: silentLogger,
    });
    expect(host.onStartupFailure).toBe("maintenance");
    expect(() => createHost({ config: { host: { onStartupFailure: "explode" } } })).toThrowError(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });

  it("reports HOST_STOP_FAILED naming the module whose stop threw, and still stops the rest", async () => {
    const log: string[] = [];
    const host = createHost({
      logger: silentLogger,
      modules: [
        recorder(log, "db"),
        recorder(log, "web", {
          requires: ["db"],
          stop: () => {
            throw new Error("port stuck");
          },
        }),
      ],
    });
    await host.start();
    await expect(host.stop()).rejects.toMatchObject({
      code: "HOST_STOP_FAILED",
      message: expect.stringContaining('module "web" failed to stop: port stuck'),
    });
    expect(log).toContain("stop db");
    expect(host.state).toBe("Stopped");
  });

  it("reports HOST_STOP_TIMEOUT when a module does not stop within the deadline", async () => {
    const host = createHost({
      logger: silentLogger,
      shutdownTimeoutMs: 20,
      modules: [{ name: "stuck", register() {}, stop: () => new Promise<void>(() => {}) }],
    });
    await host.start();
    await expect(host.stop()).rejects.toMatchObject({ code: "HOST_STOP_TIMEOUT" });
    expect(host.state).toBe("Stopped");
  });

  it("refuses a startup task for a state already passed", async () => {
    const host = createHost({ logger: silentLogger });
    await host.start();
    expect(() => host.addStartupTask("Migrating", () => {}, "late")).toThrowError(
      expect.objectContaining({ code: "HOST_INVALID_STATE" }),
    );
    await host.stop();
  });

  it("stop() during startup lets the running task finish, skips the rest, and aborts its signal", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let aborted = false;
    let seeded = false;
    const host = createHost({ logger: silentLogger });
    let entered!: () => void;
    const inTask = new Promise<void>((r) => {
      entered = r;
    });
    host.addStartupTask(
      "Migrating",
      async ({ signal }) => {
        entered();
        await gate;
        aborted = signal.aborted;
      },
      "migrate",
    );
    host.addStartupTask(
      "Seeding",
      () => {
        seeded = true;
      },
      "seed",
    );
    const started = host.start();
    await inTask;
    const stopped = host.stop("deploy");
    expect(host.state).toBe("Stopping");
    release();
    await started;
    await stopped;
    expect(aborted).toBe(true);
    expect(seeded).toBe(false);
    expect(host.state).toBe("Stopped");
  });
});

describe("host.run() in a real process", () => {
  it("stops gracefully on SIGTERM, modules in reverse order, exit code 0", async () => {
    const p = spawnNode(fixture);
    await p.waitForLine(/^state Running$/);
    p.kill("SIGTERM");
    const { code } = await p.exited();
    expect(code).toBe(0);
    const lines = p
      .stdout()
      .split("\n")
      .filter((l) => /^(start|stop|state) /.test(l));
    expect(lines).toEqual([
      "start db",
      "start web",
      "state Migrating",
      "state Seeding",
      "state Running",
      "state Stopping",
      "stop web",
      "stop db",
      "state Stopped",
    ]);
  });

  it("handles SIGINT the same way", async () => {
    const p = spawnNode(fixture);
    await p.waitForLine(/^state Running$/);
    p.kill("SIGINT");
    expect((await p.exited()).code).toBe(0);
  });

  it("exits non-zero when stopping timed out", async () => {
    const p = spawnNode(fixture, { env: { HANG_STOP: "web", SHUTDOWN_MS: "100" } });
    await p.waitForLine(/^state Running$/);
    p.kill("SIGTERM");
    expect((await p.exited()).code).toBe(1);
    expect(p.stdout()).toContain("stop db");
    expect(p.stdout()).toContain(
      'module \\"web\\" did not stop within the 100 ms shutdown deadline',
    );
  });

  it("exits non-zero when a module failed to stop", async () => {
    const p = spawnNode(fixture, { env: { FAIL_STOP: "db" } });
    await p.waitForLine(/^state Running$/);
    p.kill("SIGTERM");
    expect((await p.exited()).code).toBe(1);
  });

  it("exits non-zero right away when startup fails in exit mode", async () => {
    const p = spawnNode(fixture, { env: { FAIL_MIGRATION: "1" } });
    expect((await p.exited()).code).toBe(1);
    expect(p.stdout()).toContain("state Failed");
    expect(p.stdout()).toContain("stop db");
  });

  it("stays up after a startup failure in maintenance mode, until a signal", async () => {
    const p = spawnNode(fixture, { env: { FAIL_MIGRATION: "1", ON_FAILURE: "maintenance" } });
    await p.waitForLine(/host stays up in maintenance mode/);
    expect(p.child.exitCode).toBeNull();
    p.kill("SIGTERM");
    expect((await p.exited()).code).toBe(1);
  });

  it("returns the code instead of exiting when asked", async () => {
    const p = spawnNode(fixture, { env: { NO_EXIT: "1" } });
    await p.waitForLine(/^state Running$/);
    p.kill("SIGTERM");
    await p.waitForLine(/^run returned 0$/);
    expect((await p.exited()).code).toBe(0);
  });
});
