import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// Every TypeScript example in the README runs, as a user would paste it.

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), "dext-immutable-readme-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README examples", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  examples.forEach((code, n) => {
    it(`example ${n + 1} runs`, async () => {
      const file = join(dir, `example-${n}.ts`);
      const source = join(root, "src/index.ts");
      writeFileSync(file, code.replaceAll('"@dext/immutable"', JSON.stringify(source)));
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        await import(file);
      } finally {
        log.mockRestore();
      }
    });
  });
});
