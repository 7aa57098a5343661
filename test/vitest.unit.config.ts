import { defineConfig } from "vitest/config";

// Pure modules, in Node.
export default defineConfig({
  test: { name: "unit", root: ".", include: ["test/unit/**/*.test.ts"], environment: "node" },
});
