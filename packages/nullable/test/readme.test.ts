// Every README code block that imports @dext/nullable runs as a program and must exit 0 (the
// examples assert what their comments claim), so the README never drifts from the code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnNode } from "@dext/test-kit";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.includes('from "@dext/nullable"'));
const dir = mkdtempSync(join(tmpdir(), "dext-nullable-readme-"));

// The examples import the package by name; point that (and zod) at this workspace.
const specifiers: Record<string, string> = {
  "@dext/nullable": pathToFileURL(join(root, "src/index.ts")).href,
  zod: import.meta.resolve("zod"),
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README examples", () => {
  it("has runnable examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))("example %i runs", async (i, code) => {
    const file = join(dir, `example-${i}.mts`);
    writeFileSync(
      file,
      code.replace(
        /from "(@dext\/nullable|zod)"/g,
        (_, name: string) => `from "${specifiers[name]}"`,
      ),
    );
    const child = spawnNode(file);
    const { code: exitCode } = await child.exited();
    expect(child.stderr()).toBe("");
    expect(exitCode).toBe(0);
    // `console.log(x); // output` comments state the exact line printed.
    const promised = [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.+)$/gm)].map((m) => m[1]);
    expect(child.stdout().trimEnd().split("\n").filter(Boolean)).toEqual(promised);
  });
});
