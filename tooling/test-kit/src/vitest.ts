import { defaultServerConditions } from "vite";
import type { ViteUserConfig } from "vitest/config";

export interface DextProjectOptions {
  /** Project name shown in vitest's output (`core-di`, `orm`). */
  readonly name: string;
  /** Per-test timeout; generous because database and child-process tests do real I/O. */
  readonly testTimeout?: number;
  /** Files that run in a fresh process each (for tests that install signal handlers). */
  readonly isolate?: boolean;
}

const conditions = ["@dext/source", ...defaultServerConditions];

/**
 * The vitest project every Dext package uses: runs on `src/` through the `@dext/source`
 * export condition, so no build is needed, and type-checks `*.test-d.ts` files.
 */
export function dextProject(options: DextProjectOptions): ViteUserConfig {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@dext/source"] } },
    test: {
      name: options.name,
      include: ["test/**/*.test.ts"],
      environment: "node",
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: options.testTimeout ?? 30_000,
      isolate: options.isolate ?? true,
      typecheck: {
        enabled: true,
        only: false,
        include: ["test/**/*.test-d.ts"],
        tsconfig: "./tsconfig.json",
      },
    },
  };
}
