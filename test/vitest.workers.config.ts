import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Inside the runtime (Miniflare's workerd), with the bindings of wrangler.toml. The extra
// SQL_DATABASE binding lets the data-access contract suite run over the D1 adapter as well.
export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./workers/router/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        durableObjects: { SQL_DATABASE: { className: "SqlDatabase", useSQLite: true } },
        bindings: { MANAGEMENT_API_KEY: "integration-test-key" },
      },
    }),
  ],
  test: { name: "integration", root: ".", include: ["test/integration/**/*.test.ts"] },
});
