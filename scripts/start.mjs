#!/usr/bin/env node
// `npm start`: builds dist/, then runs `workerd serve config.capnp --experimental` under a small
// supervisor. It restarts workerd when it exits on its own (with a growing pause if it keeps
// failing) and stops it cleanly on SIGTERM/SIGINT. Pass --no-build to reuse an existing dist/.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";
import { readConfig, socketAddress } from "./config.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const STOP_GRACE_MS = 10_000;

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(`start: ${error.message}`);
  process.exit(1);
}

if (!process.argv.includes("--no-build")) await buildAll();

const workerdBin = join(dirname(require.resolve("workerd/package.json")), "bin", "workerd");
const args = ["serve", join(root, "config.capnp"), config.singlePort ? "singlePort" : "config", "--experimental"];
args.push("-s", `functions=${socketAddress(config.host, config.functionPort)}`);
if (!config.singlePort) args.push("-s", `management=${socketAddress(config.host, config.managementPort)}`);
args.push("-d", `data=${config.dataDir}`);

let child;
let stopping = false;
let failures = 0;

function launch() {
  const startedAt = Date.now();
  child = spawn(workerdBin, args, { stdio: ["ignore", "inherit", "inherit"], cwd: root });
  waitUntilHealthy(child);
  child.on("exit", (code, signal) => {
    if (stopping) process.exit(0);
    failures = Date.now() - startedAt > 30_000 ? 1 : failures + 1;
    const pause = Math.min(500 * 2 ** (failures - 1), 30_000);
    console.error(`start: workerd exited (${signal ?? `code ${code}`}); restarting in ${pause} ms`);
    setTimeout(launch, pause);
  });
}

async function waitUntilHealthy(current) {
  const host = config.host === "0.0.0.0" || config.host === "*" ? "127.0.0.1" : config.host === "::" ? "[::1]" : config.host;
  const ports = config.singlePort ? [config.functionPort] : [config.functionPort, config.managementPort];
  for (let attempt = 0; attempt < 600 && child === current && current.exitCode === null; attempt++) {
    const ok = await Promise.all(
      ports.map((p) => fetch(`http://${socketAddress(host, p)}/health`).then((r) => r.ok, () => false)),
    );
    if (ok.every(Boolean)) {
      const where = config.singlePort
        ? `all endpoints on port ${config.functionPort}`
        : `functions on port ${config.functionPort}, management on port ${config.managementPort}`;
      console.log(`Crude Functions ready: ${where} (host ${config.host}, data in ${config.dataDir})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`start: ${signal} received, stopping workerd`);
  if (child === undefined || child.exitCode !== null) process.exit(0);
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS).unref();
}

process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
launch();
