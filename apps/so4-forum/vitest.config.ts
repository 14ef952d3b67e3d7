import { dextProject } from "@dext/test-kit/vitest";
import { defineProject } from "vitest/config";

export default defineProject(dextProject({ name: "so4-forum", testTimeout: 60_000 }));
