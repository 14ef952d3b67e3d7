import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("error codes", () => {
  const source = sourceFiles(join(root, "src"))
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
  const declared = [
    ...readFileSync(join(root, "src/errors.ts"), "utf8").matchAll(/\| "([A-Z_]+)"/g),
  ].map((m) => m[1]!);
  const readme = readFileSync(join(root, "README.md"), "utf8");

  it("declares every code the source throws", () => {
    const used = new Set([...source.matchAll(/"(IMMUTABLE_[A-Z_]+)"/g)].map((m) => m[1]!));
    expect([...used].filter((c) => !declared.includes(c))).toEqual([]);
  });

  it("documents every declared code in the README", () => {
    expect(declared.length).toBeGreaterThan(5);
    expect(declared.filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});
