import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "..", "src");

/** Every name src/index.ts exports, with the file it comes from. */
function publicExports(): { name: string; file: string }[] {
  const index = readFileSync(join(src, "index.ts"), "utf8");
  const out: { name: string; file: string }[] = [];
  for (const m of index.matchAll(/export (?:type )?\{([^}]*)\} from "\.\/([^"]+)";/g)) {
    for (const raw of m[1]!.split(",")) {
      const name = raw.trim().replace(/^type /, "");
      if (name !== "") out.push({ name, file: m[2]! });
    }
  }
  return out;
}

/** The TSDoc comment right above a name's declaration, or undefined. */
function docOf(name: string, file: string): string | undefined {
  const text = readFileSync(join(src, file), "utf8");
  const declaration = new RegExp(
    `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*\\n\\s*export (?:declare )?(?:abstract )?(?:async )?(?:class|interface|type|function|const) ${name}\\b`,
  );
  return declaration.exec(text)?.[1];
}

describe("TSDoc", () => {
  const exports = publicExports();

  it("finds the public API", () => {
    expect(exports.length).toBeGreaterThan(50);
  });

  it("gives every public export a purpose and an @example", () => {
    const missing = exports
      .filter(({ name, file }) => {
        const doc = docOf(name, file);
        return doc === undefined || !doc.includes("@example");
      })
      .map(({ name, file }) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});
