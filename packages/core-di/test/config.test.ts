import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, loadConfig } from "../src/index.ts";

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "dext-config-"));
  await mkdir(join(dir, "config"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);

describe("loadConfig", () => {
  it("merges config/*.yaml in name order, then <env>.yaml, then .env, then DEXT__ variables", () => {
    write("config/10-base.yaml", "web:\n  port: 3000\n  host: 0.0.0.0\ndb:\n  pool: { max: 5 }\n");
    write("config/20-features.yaml", "web:\n  port: 3100\nfeatures: [a, b]\n");
    write("config/production.yaml", "web:\n  port: 80\n  host: example.org\n");
    write("config/development.yaml", "web:\n  port: 9999\n");
    write(
      ".env",
      "DEXT__DB__POOL__MAX=12\nDEXT__WEB__HOST=from-dotenv\nDATABASE_URL=postgres://x\n",
    );
    const config = loadConfig({
      cwd: dir,
      env: "production",
      environment: { DEXT__WEB__HOST: "from-env", DEXT__ORM__MIGRATE_ON_START: "true" },
    });
    expect(config.env).toBe("production");
    expect(config.values).toEqual({
      web: { port: 80, host: "from-env" },
      db: { pool: { max: 12 } },
      features: ["a", "b"],
      orm: { migrateOnStart: true },
    });
    expect(config.sourceOf("web.port")).toBe("config/production.yaml");
    expect(config.sourceOf("web.host")).toBe("env DEXT__WEB__HOST");
    expect(config.sourceOf("db.pool.max")).toBe(".env (DEXT__DB__POOL__MAX)");
    expect(config.sourceOf("features")).toBe("config/20-features.yaml");
    expect(config.environment.DATABASE_URL).toBe("postgres://x");
    expect(Object.isFrozen(config.values.web)).toBe(true);
  });

  it("matches variable segments to existing camelCase keys", () => {
    write("config/base.yaml", "orm:\n  migrateOnStart: false\n  poolSize: 3\n");
    const config = loadConfig({
      cwd: dir,
      environment: { DEXT__ORM__MIGRATEONSTART: "true", DEXT__ORM__POOL_SIZE: "8" },
    });
    expect(config.get("orm.migrateOnStart")).toBe(true);
    expect(config.get("orm.poolSize")).toBe(8);
  });

  it("keeps the exact string for a string-typed key set by a number-looking variable", () => {
    const config = loadConfig({
      cwd: dir,
      environment: { DEXT__DB__PASSWORD: "0123", DEXT__DB__PORT: "5432" },
    });
    const db = config.section("db", z.object({ password: z.string(), port: z.number() }));
    expect(db).toEqual({ password: "0123", port: 5432 });
  });

  it("names the file, the key path and the expected type for a bad value", () => {
    write("config/base.yaml", "web:\n  port: eighty\n");
    const config = loadConfig({ cwd: dir });
    expect(() => config.section("web", z.object({ port: z.number() }))).toThrowError(
      /web\.port \(from config\/base\.yaml\): Invalid input: expected number, received string \(got "eighty"\)/,
    );
  });

  it("names the environment variable when it supplied the bad value, and redacts secrets", () => {
    const config = loadConfig({ cwd: dir, environment: { DEXT__AUTH__TOKEN_TTL: "s3cr3t-ish" } });
    try {
      config.section("auth", z.object({ tokenTtl: z.number() }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe("CONFIG_INVALID");
      expect((error as Error).message).toContain("auth.tokenTtl (from env DEXT__AUTH__TOKEN_TTL)");
      expect((error as Error).message).toContain("[redacted]");
      expect((error as Error).message).not.toContain("s3cr3t-ish");
    }
  });

  it("reports invalid YAML with CONFIG_PARSE, the file, line and column", () => {
    write("config/base.yaml", "web:\n  port: 3000\n   host: bad indent\n");
    expect(() => loadConfig({ cwd: dir })).toThrowError(
      expect.objectContaining({
        code: "CONFIG_PARSE",
        message: expect.stringMatching(/config\/base\.yaml:\d+:\d+ is not valid YAML/),
      }),
    );
  });

  it("rejects a YAML file whose top level is not a mapping", () => {
    write("config/base.yaml", "- a\n- b\n");
    expect(() => loadConfig({ cwd: dir })).toThrowError(/must hold a mapping of sections/);
  });

  it("works with no config directory and no .env", () => {
    const config = loadConfig({ cwd: join(dir, "nowhere"), environment: {} });
    expect(config.values).toEqual({});
    expect(config.env).toBe("development");
  });
});
