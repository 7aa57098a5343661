import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new migration after a change to the tables; migrations are append-only.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/index.ts",
  out: "./schema/migrations",
});
