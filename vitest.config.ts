import { defineConfig } from "vitest/config";

// `pnpm vitest` at the root runs every package's project; CI runs them per package via turbo.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/repo-checks", "tooling/bench-kit"],
  },
});
