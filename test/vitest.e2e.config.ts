import { defineConfig } from "vitest/config";

// Against the real `workerd serve config.capnp --experimental`, started by each test file.
export default defineConfig({
  test: {
    name: "e2e",
    root: ".",
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
