import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Which package to check and how its codes look. */
export interface ErrorCodeCheckOptions {
  /** The package directory (`join(import.meta.dirname, "..")` from a test). */
  readonly packageDir: string;
  /** Code prefixes the package owns: `["ORM"]`, `["DI", "CONFIG", "HOST"]`. */
  readonly prefixes: readonly string[];
  /** Where the code union is declared (default `src/errors.ts`). */
  readonly errorsFile?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * The check every Dext package runs on its error codes (as fastify does): every code the source
 * uses is declared in the package's code union, every declared code is used, and every declared
 * code is documented in the README.
 *
 * @example
 * ```ts
 * checkErrorCodes({ packageDir: join(import.meta.dirname, ".."), prefixes: ["ORM"] });
 * ```
 */
export function checkErrorCodes(options: ErrorCodeCheckOptions): void {
  const errorsFile = join(options.packageDir, options.errorsFile ?? "src/errors.ts");
  const pattern = new RegExp(`"((?:${options.prefixes.join("|")})_[A-Z0-9_]+)"`, "g");

  describe("error codes", () => {
    const declarations = readFileSync(errorsFile, "utf8");
    const declared = [...declarations.matchAll(/\|\s*"([A-Z0-9_]+)"/g)].map((m) => m[1]!);
    const files = sourceFiles(join(options.packageDir, "src"));
    const source = files.map((f) => readFileSync(f, "utf8")).join("\n");
    // The union itself does not count as a use.
    const withoutUnion = files
      .map((f) =>
        f === errorsFile
          ? readFileSync(f, "utf8").replace(/=\s*(\|\s*"[A-Z0-9_]+"\s*)+;/g, ";")
          : readFileSync(f, "utf8"),
      )
      .join("\n");
    const readme = readFileSync(join(options.packageDir, "README.md"), "utf8");

    it("declares every code the source uses", () => {
      const used = new Set([...source.matchAll(pattern)].map((m) => m[1]!));
      expect([...used].filter((c) => !declared.includes(c))).toEqual([]);
    });

    it("uses every declared code somewhere", () => {
      expect(declared.length).toBeGreaterThan(0);
      expect(declared.filter((c) => !withoutUnion.includes(`"${c}"`))).toEqual([]);
    });

    it("documents every declared code in the README", () => {
      expect(declared.filter((c) => !readme.includes(`\`${c}\``))).toEqual([]);
    });
  });
}
