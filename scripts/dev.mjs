#!/usr/bin/env node
// `npm run dev`: `wrangler dev` on one port with every endpoint (Miniflare, D1 for `DB`).
// Honours MANAGEMENT_API_KEY and, as the port, FUNCTION_PORT (default 8787).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateMigrationsModule, generatePreludeModule } from "./build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// wrangler bundles workers/ itself; it needs the generated modules first.
generateMigrationsModule();
await generatePreludeModule();
const args = ["dev", "--ip", process.env.HOST || "127.0.0.1", "--port", process.env.FUNCTION_PORT || "8787"];
for (const name of ["MANAGEMENT_API_KEY", "ALLOW_INSECURE_GIT_HTTP"]) {
  if (process.env[name]) args.push("--var", `${name}:${process.env[name]}`);
}
// Miniflare's own layout and older workerd never share folders with `npm start`'s data.
if (process.env.DATA_DIR) args.push("--persist-to", join(process.env.DATA_DIR, "wrangler-dev"));
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const child = spawn(wrangler, args, { stdio: "inherit", cwd: root, env: { WRANGLER_SEND_METRICS: "false", ...process.env } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
