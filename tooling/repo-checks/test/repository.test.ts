import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import parse from "@changesets/parse";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const readJson = (path: string): any => JSON.parse(readFileSync(path, "utf8"));

const publishable = readdirSync(join(root, "packages")).map((dir) => ({
  dir: join(root, "packages", dir),
  manifest: readJson(join(root, "packages", dir, "package.json")),
}));
const workspaceNames = new Set(publishable.map((p) => p.manifest.name as string));

describe("changesets", () => {
  const files = readdirSync(join(root, ".changeset")).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  );

  it.each(files)("%s parses and names workspace packages", (file) => {
    const text = readFileSync(join(root, ".changeset", file), "utf8");
    const changeset = parse(text);
    expect(changeset.releases.length).toBeGreaterThan(0);
    for (const release of changeset.releases) {
      expect(workspaceNames, `${file} names ${release.name}`).toContain(release.name);
      expect(["major", "minor", "patch"]).toContain(release.type);
    }
    expect(changeset.summary.trim().length).toBeGreaterThan(20);
  });

  it("ignores exactly the private workspace packages", () => {
    const config = readJson(join(root, ".changeset/config.json"));
    expect(config.access).toBe("public");
    for (const name of config.ignore as string[]) expect(workspaceNames.has(name)).toBe(false);
  });
});

describe.each(publishable)("$manifest.name is shaped for publishing", ({ dir, manifest }) => {
  it("is ESM with a source condition, types, a blocked internal path and public access", () => {
    expect(manifest.type).toBe("module");
    expect(manifest.engines.node).toMatch(/^>=22\./);
    expect(manifest.publishConfig).toEqual({ access: "public" });
    const main = manifest.exports["."];
    expect(main["@dext/source"]).toBe("./src/index.ts");
    expect(main.types).toBe("./dist/index.d.ts");
    expect(main.default).toBe("./dist/index.js");
    expect(manifest.exports["./internal/*"]).toBeNull();
    expect(manifest.files).toContain("dist");
    expect(manifest.sideEffects === false || Array.isArray(manifest.sideEffects)).toBe(true);
  });

  it("has a README with an example, options or API, and error codes", () => {
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toMatch(/```(ts|sh)/);
    expect(readme.toLowerCase()).toMatch(/error code|## errors/);
  });

  it("runs the repository's scripts", () => {
    for (const script of ["build", "typecheck", "lint", "test", "check:package", "bench"]) {
      expect(manifest.scripts[script], script).toEqual(expect.any(String));
    }
  });
});
