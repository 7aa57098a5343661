#!/usr/bin/env node
// `npm start`: builds dist/, then runs `workerd serve config.capnp --experimental` under a small
// supervisor. It restarts workerd when it exits on its own (with a growing pause if it keeps
// failing) or stops answering /health for WATCHDOG_SECONDS (workerd enforces no CPU limit, so a
// handler in an endless loop would otherwise stall the server for good), and stops it cleanly
// on SIGTERM/SIGINT. Pass --no-build to reuse an existing dist/.
//
// A clean stop drains first: workerd exits at once on SIGTERM and drops work still pending
// (buffered log lines among it), so the supervisor first POSTs /drain to workerd's loopback
// control socket (its port comes from --control-fd, its token from CONTROL_TOKEN), which
// finishes calls in flight and writes every buffered line and metric, then signals.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";
import { readConfig, socketAddress } from "./config.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const STOP_GRACE_MS = 10_000;
const DRAIN_TIMEOUT_MS = 8_000;
const controlToken = randomBytes(32).toString("hex");

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
args.push("--control-fd", "3");

let child;
let stopping = false;
let failures = 0;
/** Launches in a row that exited before ever answering /health (a port in use, a bad config). */
let failedStarts = 0;
const MAX_FAILED_STARTS = 3;
let healthy = false;
let controlPort;

function launch() {
  const startedAt = Date.now();
  controlPort = undefined;
  // workerd gets a process group of its own, so that Ctrl-C in a terminal reaches only the
  // supervisor, which drains workerd before stopping it (workerd itself would exit at once).
  child = spawn(workerdBin, args, {
    stdio: ["ignore", "inherit", "inherit", "pipe"],
    cwd: root,
    env: { ...process.env, CONTROL_TOKEN: controlToken },
    detached: true,
  });
  readControlPort(child);
  healthy = false;
  waitUntilHealthy(child);
  child.on("exit", (code, signal) => {
    if (stopping) process.exit(0);
    failedStarts = healthy ? 0 : failedStarts + 1;
    if (failedStarts >= MAX_FAILED_STARTS) {
      console.error(`start: workerd failed to start ${failedStarts} times in a row (see above); giving up`);
      process.exit(1);
    }
    failures = Date.now() - startedAt > 30_000 ? 1 : failures + 1;
    const pause = Math.min(500 * 2 ** (failures - 1), 30_000);
    console.error(`start: workerd exited (${signal ?? `code ${code}`}); restarting in ${pause} ms`);
    setTimeout(launch, pause);
  });
}

const localHost = config.host === "0.0.0.0" || config.host === "*" ? "127.0.0.1" : config.host === "::" ? "[::1]" : config.host;

async function waitUntilHealthy(current) {
  const launchedAt = Date.now();
  const host = localHost;
  const ports = config.singlePort ? [config.functionPort] : [config.functionPort, config.managementPort];
  for (let attempt = 0; attempt < 600 && child === current && current.exitCode === null; attempt++) {
    const ok = await Promise.all(
      ports.map((p) => fetch(`http://${socketAddress(host, p)}/health`).then((r) => r.ok, () => false)),
    );
    // Another server on the same ports would answer too, while ours fails to bind and exits:
    // count the answer only once our workerd has stayed up a moment.
    if (ok.every(Boolean)) await new Promise((r) => setTimeout(r, Math.max(0, launchedAt + 1500 - Date.now())));
    if (ok.every(Boolean) && child === current && current.exitCode === null) {
      const where = config.singlePort
        ? `all endpoints on port ${config.functionPort}`
        : `functions on port ${config.functionPort}, management on port ${config.managementPort}`;
      healthy = true;
      console.log(`Crude Functions ready: ${where} (host ${config.host}, data in ${config.dataDir})`);
      if (config.watchdogSeconds > 0) watch(current);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills workerd once /health has not answered for WATCHDOG_SECONDS; the exit handler restarts it. */
async function watch(current) {
  const limitMs = config.watchdogSeconds * 1000;
  const everyMs = Math.max(100, Math.floor(Math.min(5000, limitMs / 3)));
  let lastAnswer = Date.now();
  while (child === current && current.exitCode === null && !stopping) {
    await new Promise((r) => setTimeout(r, everyMs));
    const ok = await fetch(`http://${socketAddress(localHost, config.functionPort)}/health`, { signal: AbortSignal.timeout(everyMs) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) lastAnswer = Date.now();
    else if (Date.now() - lastAnswer >= limitMs && child === current && current.exitCode === null && !stopping) {
      console.error(`start: workerd has not answered /health for ${Math.round((Date.now() - lastAnswer) / 1000)} s; killing it`);
      current.kill("SIGKILL");
      return;
    }
  }
}

/** workerd writes one JSON line per listening socket to --control-fd; keep the control socket's port. */
function readControlPort(current) {
  let pending = "";
  current.stdio[3].on("data", (chunk) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const event = JSON.parse(line);
        if (event.event === "listen" && event.socket === "control" && child === current) controlPort = event.port;
      } catch {
        // Not one of workerd's JSON lines; nothing to learn from it.
      }
    }
  });
}

/** Asks workerd to finish calls and write buffered logs; a failure is reported, and the stop goes on. */
async function drain() {
  if (controlPort === undefined) return;
  try {
    const response = await fetch(`http://127.0.0.1:${controlPort}/drain`, {
      method: "POST",
      headers: { Authorization: `Bearer ${controlToken}` },
      signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS),
    });
    const outcome = await response.text();
    console.log(`start: drained (${response.status} ${outcome})`);
  } catch (error) {
    console.error(`start: drain failed (${error.message}); stopping anyway`);
  }
}

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`start: ${signal} received, stopping workerd`);
  if (child === undefined || child.exitCode !== null) process.exit(0);
  await drain();
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS).unref();
}

// Should the supervisor itself fail, it must not leave workerd running without it.
process.on("uncaughtException", (error) => {
  console.error(`start: supervisor failed: ${error.stack ?? error.message}`);
  child?.kill("SIGKILL");
  process.exit(1);
});
// However the supervisor ends, workerd must not outlive it.
process.on("exit", () => {
  if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
});
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
launch();
