import { dextProject } from "@dext/test-kit/vitest";
import { defineConfig } from "vitest/config";

const main = dextProject({ name: "orm" });

// The leak test measures the heap after forced GCs, so its workers start with --expose-gc.
const leak = dextProject({ name: "orm-leak" });

export default defineConfig({
  test: {
    projects: [
      { ...main, test: { ...main.test, exclude: ["test/leak.test.ts"] } },
      {
        ...leak,
        test: {
          ...leak.test,
          include: ["test/leak.test.ts"],
          typecheck: { enabled: false },
          execArgv: ["--expose-gc"],
          testTimeout: 180_000,
        },
      },
    ],
  },
});
