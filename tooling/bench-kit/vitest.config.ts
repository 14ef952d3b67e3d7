import { dextProject } from "@dext/test-kit/vitest";
import { defineProject } from "vitest/config";

export default defineProject(dextProject({ name: "bench-kit" }));
