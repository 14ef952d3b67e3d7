// Every code block of the README is checked, so the README never drifts from the code:
// - each ```ts block type-checks with the workspace's strict settings, and runs as a program
//   (as a user would paste it) that must exit 0 with nothing on stderr; a
//   `console.log(...); // => text` comment promises a line printed on stdout;
// - the config YAML loads into a host through core-di's loadConfig and this module's schema;
// - the collector and Prometheus YAML parse, and point where the rest of the README says;
// - the install line names only this package, what it depends on, and its peer.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createHost, loadConfig } from "@dext/core-di";
import { spawnNode } from "@dext/test-kit";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { TelemetryToken, telemetry } from "../src/index.ts";

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = (lang: string): string[] =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]!);
const examples = blocks("ts");
const yamlBlocks = blocks("yaml");
const dir = mkdtempSync(join(tmpdir(), "dext-telemetry-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
// The examples import packages by name; outside the workspace, point each at this workspace's
// copy (the @dext ones at their source, which Node runs with type stripping).
const source = (name: string): string =>
  pathToFileURL(realpathSync(join(root, "node_modules", name, "src/index.ts"))).href;
const specifiers: Record<string, string> = {
  "@dext/telemetry": pathToFileURL(join(root, "src/index.ts")).href,
  "@dext/core-di": source("@dext/core-di"),
  "@opentelemetry/api": import.meta.resolve("@opentelemetry/api"),
};

function program(code: string): string {
  return code.replace(/from "([^"]+)"/g, (whole, name: string) => {
    if (name.startsWith("node:")) return whole;
    const url = specifiers[name];
    if (url === undefined) throw new Error(`README example imports ${name}, unknown to this test`);
    return `from "${url}"`;
  });
}

async function run(code: string, i: number) {
  const file = join(dir, `example-${i}.mts`);
  writeFileSync(file, program(code));
  // METRICS_PORT=0: the scraping example listens on a free port instead of 9464.
  const child = spawnNode(file, { env: { METRICS_PORT: "0" } });
  const { code: exitCode } = await child.exited();
  expect(child.stderr()).toBe("");
  expect(exitCode).toBe(0);
  const lines = child.stdout().split("\n");
  // `// => text` comments state lines printed, in order (log lines may come in between).
  const promised = [...code.matchAll(/console\.log\(.*\);\s*\/\/ => (.+)$/gm)].map((m) => m[1]!);
  let at = 0;
  for (const line of promised) {
    const found = lines.indexOf(line, at);
    expect(found, `"${line}" printed after line ${at}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
  return lines;
}

/** The JSON log lines among the output (the console span exporter prints objects too). */
const json = (lines: string[]): Record<string, unknown>[] =>
  lines.flatMap((l) => {
    try {
      const value: unknown = JSON.parse(l);
      return typeof value === "object" && value !== null ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });

describe("README ts examples", () => {
  it("are all self-contained programs: every import is declared", () => {
    expect(examples.length).toBe(5);
    for (const code of examples) {
      expect(() => program(code)).not.toThrow();
      // Nothing used comes from the prose around the block.
      expect(code).toMatch(/^import /m);
    }
  });

  it("type-check as they are written, against this package's types", async () => {
    // Inside the package, so `@dext/telemetry` resolves to itself (by its exports, through
    // the @dext/source condition) and the other imports through its node_modules.
    const check = mkdtempSync(join(root, ".readme-typecheck-"));
    try {
      for (const [i, code] of examples.entries()) {
        writeFileSync(join(check, `example-${i + 1}.mts`), code);
      }
      writeFileSync(
        join(check, "tsconfig.json"),
        JSON.stringify({ extends: "@dext/tsconfig/test.json", include: ["*.mts"] }),
      );
      const tsc = join(root, "node_modules/.bin/tsc");
      const result = await promisify(execFile)(tsc, ["-p", join(check, "tsconfig.json")]).catch(
        (e: { stdout: string }) => ({ stdout: e.stdout }),
      );
      expect(result.stdout).toBe("");
    } finally {
      rmSync(check, { recursive: true, force: true });
    }
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))("example %i runs", async (i, code) => {
    const lines = await run(code, i);
    if (code.includes('"post created"')) {
      // The module example: the scrape and the log line inside the span.
      expect(lines).toContain('forum_posts_total{board="general"} 1');
      const logLine = json(lines).find((l) => l.msg === "post created");
      expect(logLine).toMatchObject({ board: "general", service: "forum" });
      expect(logLine?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    }
    if (code.includes('"signed in"')) {
      // The logging example promises this line in its comment.
      const logLine = json(lines).find((l) => l.msg === "signed in");
      expect(logLine).toMatchObject({
        service: "forum",
        request_id: "r-17",
        trace_flags: "01",
        userId: 7,
        password: "[redacted]",
      });
      expect(logLine?.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(logLine?.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});

describe("README YAML", () => {
  const named = (file: string): string => {
    const block = yamlBlocks.find((b) => b.startsWith(`# ${file}\n`));
    if (block === undefined) throw new Error(`no YAML block for ${file}`);
    return block;
  };

  it("the config section loads into a host and validates against the module's schema", async () => {
    mkdirSync(join(dir, "config"), { recursive: true });
    writeFileSync(join(dir, "config/production.yaml"), named("config/production.yaml"));
    const config = loadConfig({ cwd: dir, env: "production", envFile: false, environment: {} });
    const host = createHost({ modules: [telemetry()], config });
    const t = host.services.resolve(TelemetryToken);
    expect(t.serviceName).toBe("forum");
    expect(t.env).toBe("production");
    expect(t.tracingEnabled).toBe(true);
    await t.shutdown(); // nothing queued, so nothing is sent to the collector
  });

  it("the collector receives OTLP/HTTP on the port the config sends to", () => {
    const url = new URL(
      (
        parseYaml(named("config/production.yaml")) as {
          telemetry: { tracing: { otlp: { url: string } } };
        }
      ).telemetry.tracing.otlp.url,
    );
    const collector = parseYaml(named("otel-collector.yaml")) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      service: { pipelines: { traces: { receivers: string[] } } };
    };
    expect(collector.receivers.otlp.protocols.http.endpoint.split(":").at(-1)).toBe(url.port);
    expect(collector.service.pipelines.traces.receivers).toContain("otlp");
  });

  it("Prometheus scrapes the path the handler is mounted at", () => {
    const prometheus = parseYaml(named("prometheus.yml")) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    expect(prometheus.scrape_configs[0]!.metrics_path).toBe("/metrics");
    expect(prometheus.scrape_configs[0]!.static_configs[0]!.targets).toHaveLength(1);
  });
});

describe("README install line", () => {
  it("names this package, its dependencies and its optional peer only", () => {
    const known = new Set([
      pkg.name,
      ...Object.keys(pkg.dependencies),
      ...Object.keys(pkg.peerDependencies),
    ]);
    const named = blocks("sh")
      .flatMap((b) => b.split("\n"))
      .filter((l) => l.startsWith("pnpm add"))
      .flatMap((l) => l.replace(/#.*$/, "").split(/\s+/).slice(2))
      .filter((w) => w !== "" && !w.startsWith("-"));
    expect(named).toEqual(["@dext/telemetry", "@dext/core-di", "pino-pretty"]);
    for (const name of named) expect(known.has(name), name).toBe(true);
  });
});
