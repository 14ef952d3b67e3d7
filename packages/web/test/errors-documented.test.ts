import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkErrorCodes } from "@dext/test-kit/error-codes";
import { describe, expect, it } from "vitest";
import { problemTypes } from "../src/index.ts";

const packageDir = join(import.meta.dirname, "..");
checkErrorCodes({ packageDir, prefixes: ["WEB"] });

describe("problem types", () => {
  it("documents every problem type in the README's catalogue", () => {
    const readme = readFileSync(join(packageDir, "README.md"), "utf8");
    expect(Object.values(problemTypes).filter((slug) => !readme.includes(`\`${slug}\``))).toEqual(
      [],
    );
  });
});
