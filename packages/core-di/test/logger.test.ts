import { describe, expect, it } from "vitest";
import { jsonLogger } from "../src/index.ts";

describe("jsonLogger", () => {
  it("writes pino-compatible lines at and above its level, with bindings and children", () => {
    const lines: string[] = [];
    const log = jsonLogger({ level: "warn", bindings: { app: "x" }, write: (l) => lines.push(l) });
    log.info({ a: 1 }, "dropped");
    log.warn({ a: 2 }, "kept");
    log.child({ reqId: "r1" }).error("child line");
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed).toMatchObject([
      { level: 40, app: "x", a: 2, msg: "kept" },
      { level: 50, app: "x", reqId: "r1", msg: "child line" },
    ]);
    expect(lines.every((l) => l.endsWith("\n"))).toBe(true);
  });

  it("says which levels it writes, so callers can skip building lines it would drop", () => {
    const log = jsonLogger({ level: "warn", write: () => {} });
    expect(log.isLevelEnabled?.("info")).toBe(false);
    expect(log.isLevelEnabled?.("warn")).toBe(true);
    expect(log.isLevelEnabled?.("fatal")).toBe(true);
    expect(log.child({ a: 1 }).isLevelEnabled?.("debug")).toBe(false);
    expect(jsonLogger({ write: () => {} }).isLevelEnabled?.("info")).toBe(true);
  });
});
