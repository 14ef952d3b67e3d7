import { join } from "node:path";
import { spawnNode } from "@dext/test-kit";
import { describe, expect, it } from "vitest";

describe("@dext/telemetry is an optional peer", () => {
  it("starts, serves and stops on a runtime where @dext/telemetry cannot be resolved", async () => {
    const child = spawnNode(join(import.meta.dirname, "fixtures/no-telemetry-server.ts"));
    const line = JSON.parse(await child.waitForLine(/"ping"/));
    const exit = await child.exited();
    expect(exit.code, child.stderr()).toBe(0);
    expect(line).toEqual({
      ping: 200,
      body: { pong: true },
      // Without telemetry there is no /metrics.
      metrics: 404,
      // It was looked for (and not found), and nothing of OpenTelemetry was needed.
      blocked: ["@dext/telemetry"],
    });
  });
});
