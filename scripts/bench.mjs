#!/usr/bin/env node
// `npm run bench`: measures /run against a plain workerd hello-world worker on this machine.
// Starts the self-hosted server (scripts/start.mjs) and a baseline workerd, drives each with
// autocannon (10 connections × 5 s), times the first call of 30 freshly uploaded function
// versions, measures workerd's resident memory per loaded function over 200 functions, and
// drives a function that writes LOG_LINES console lines per call, then checks that /api/logs
// holds every line of every call ("lost" counts the missing ones).
// Prints progress lines, then one JSON object as the last line.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workerdBin = join(root, "node_modules/.bin/workerd");
const API_KEY = "bench-management-key";
const LOAD = { connections: 10, duration: 5 };
const FIRST_CALLS = 30;
const MEMORY_FUNCTIONS = 200;
const LOG_LINES = 10;

const log = (line) => console.log(`bench: ${line}`);
const round = (n, digits = 2) => Number(n.toFixed(digits));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not come up`);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(url, headers = {}) {
  const result = await autocannon({ url, headers, ...LOAD });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: round(result.requests.average, 0), p50Ms: result.latency.p50, p99Ms: result.latency.p99, calls: result.requests.total };
}

function rssKiB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : NaN;
}

/** The workerd process the supervisor started. */
function childPid(pid) {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
  return Number(children[0]);
}

const BASELINE_CONFIG = (port) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "hello", worker = .hello) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "hello") ],
);
const hello :Workerd.Worker = (
  modules = [ (name = "hello.js", esModule = "export default { fetch() { return Response.json({ message: 'Hello, World!' }); } };") ],
  compatibilityDate = "2026-04-20",
);
`;

const HELLO = 'export default async function (c, ctx) { return c.json({ message: "Hello, World!", requestId: ctx.requestId }); }';
const SECRET = 'export default async function (c, ctx) { return c.json({ ok: (await ctx.getSecret("BENCH_SECRET")) !== undefined, requestId: ctx.requestId }); }';
const LOGGING = `export default async function (c, ctx) {
  for (let i = 0; i < ${LOG_LINES}; i++) console.log("line", i, ctx.requestId);
  return c.json({ message: "Hello, World!", requestId: ctx.requestId });
}`;

/** Every stored line of one function, paged through /api/logs. */
async function allLines(api, functionId) {
  const lines = [];
  let next = `/logs?functionId=${functionId}&limit=1000`;
  while (next !== undefined) {
    const { data } = await api(next, "GET");
    lines.push(...data.logs);
    next = data.pagination.next?.replace(/^\/api/, "");
  }
  return lines;
}

/** Lines missing after a load: each call the server saw should have exec_start, LOG_LINES lines and exec_end. */
async function lostLines(api, functionId, completedCalls) {
  let lines = await allLines(api, functionId);
  for (let previous = -1; previous !== lines.length; ) {
    previous = lines.length;
    await new Promise((r) => setTimeout(r, 300));
    lines = await allLines(api, functionId);
  }
  const perCall = new Map();
  for (const line of lines) perCall.set(line.requestId, (perCall.get(line.requestId) ?? 0) + 1);
  const expected = LOG_LINES + 2;
  let lost = 0;
  for (const count of perCall.values()) lost += Math.max(0, expected - count);
  return lost + expected * Math.max(0, completedCalls - perCall.size);
}

/** Waits until /api/metrics stops counting new executions (buffered writes have landed). */
async function untilMetricsSettle(api) {
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const { data } = await api("/metrics?resolution=minutes", "GET");
    const total = data.summary.totalExecutions;
    if (total === last) return;
    last = total;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  await buildAll();
  const temp = mkdtempSync(join(tmpdir(), "crude-bench-"));
  const children = [];
  try {
    const basePort = await freePort();
    writeFileSync(join(temp, "baseline.capnp"), BASELINE_CONFIG(basePort));
    children.push(spawn(workerdBin, ["serve", join(temp, "baseline.capnp"), "--experimental"], { stdio: "ignore" }));
    const [functionPort, managementPort] = [await freePort(), await freePort()];
    const server = spawn(process.execPath, [join(root, "scripts/start.mjs"), "--no-build"], {
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, FUNCTION_PORT: String(functionPort), MANAGEMENT_PORT: String(managementPort), HOST: "127.0.0.1", DATA_DIR: join(temp, "data"), MANAGEMENT_API_KEY: API_KEY },
    });
    children.push(server);
    const fns = `http://127.0.0.1:${functionPort}`;
    const mgmt = `http://127.0.0.1:${managementPort}`;
    await Promise.all([waitFor(`http://127.0.0.1:${basePort}/`), waitFor(`${fns}/health`), waitFor(`${mgmt}/health`)]);
    const workerdPid = childPid(server.pid);

    const api = async (path, method, body, raw = false) => {
      const response = await fetch(`${mgmt}/api${path}`, {
        method,
        headers: { "X-API-Key": API_KEY, ...(raw ? {} : { "Content-Type": "application/json" }) },
        body: raw ? body : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    };
    const { id: sourceId } = await api("/sources", "POST", { name: "bench", type: "manual" });
    const putFile = (path, text) => api(`/sources/${sourceId}/files/${path}`, "PUT", text, true);
    const addFunction = (name, route, extra = {}) => api("/functions", "POST", { name, handler: `bench/${name}.ts`, route, methods: ["GET"], ...extra });

    await putFile("public.ts", HELLO);
    await putFile("protected.ts", HELLO);
    await addFunction("public", "/public");
    await addFunction("protected", "/protected", { keys: ["management"] });
    await fetch(`${fns}/run/public`).then((r) => r.text());
    await fetch(`${fns}/run/protected`, { headers: { "X-API-Key": API_KEY } }).then((r) => r.text());

    log(`baseline workerd hello world, ${LOAD.connections} connections × ${LOAD.duration} s`);
    const baseline = await drive(`http://127.0.0.1:${basePort}/`);
    log("public function");
    const pub = await drive(`${fns}/run/public`);
    log("protected function (X-API-Key)");
    const prot = await drive(`${fns}/run/protected`, { "X-API-Key": API_KEY });

    log("secret function (one ctx.getSecret per call)");
    await api("/secrets", "POST", { name: "BENCH_SECRET", value: "s3cret", scopeType: "global" });
    await putFile("secret.ts", SECRET);
    await addFunction("secret", "/secret");
    const secretCheck = await (await fetch(`${fns}/run/secret`)).json();
    if (secretCheck.ok !== true) throw new Error(`secret function did not read its secret: ${JSON.stringify(secretCheck)}`);
    const secret = await drive(`${fns}/run/secret`);

    // The load runs above leave many trace lines and metrics still to be written; measure first
    // calls once that backlog is gone (the metric count has stopped growing).
    await untilMetricsSettle(api);
    log(`first call of ${FIRST_CALLS} newly uploaded versions`);
    await putFile("first.ts", HELLO);
    await addFunction("first", "/first");
    const firsts = [];
    for (let i = 0; i < FIRST_CALLS; i++) {
      await putFile("first.ts", `${HELLO}\n// version ${i}`);
      const started = performance.now();
      const response = await fetch(`${fns}/run/first`);
      await response.text();
      firsts.push(performance.now() - started);
      if (!response.ok) throw new Error(`first call ${i}: ${response.status}`);
    }
    firsts.sort((a, b) => a - b);

    log(`memory over ${MEMORY_FUNCTIONS} loaded functions`);
    for (let i = 0; i < MEMORY_FUNCTIONS; i++) {
      await putFile(`mem${i}.ts`, `${HELLO}\n// function ${i}`);
      await addFunction(`mem${i}`, `/mem/${i}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    const before = rssKiB(workerdPid);
    for (let i = 0; i < MEMORY_FUNCTIONS; i++) {
      const response = await fetch(`${fns}/run/mem/${i}`);
      await response.text();
      if (!response.ok) throw new Error(`mem${i}: ${response.status}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    const after = rssKiB(workerdPid);

    // Last: its lines are still being written for a while after the load, which would slow the
    // phases above.
    log(`logging function (${LOG_LINES} console lines per call)`);
    // Keep every line of the run: trimming would otherwise count as loss.
    await api("/settings", "PUT", { settings: { "log.trimming.max-per-function": "100000" } });
    await putFile("logging.ts", LOGGING);
    const { function: loggingFn } = await addFunction("logging", "/logging");
    const logging = await drive(`${fns}/run/logging`);
    const lost = await lostLines(api, loggingFn.id, logging.calls);

    const result = {
      baseline: { rps: baseline.rps, p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms },
      public: { rps: pub.rps, p50Ms: pub.p50Ms, p99Ms: pub.p99Ms, ratio: round(pub.rps / baseline.rps) },
      protected: { rps: prot.rps, p50Ms: prot.p50Ms, p99Ms: prot.p99Ms, ratio: round(prot.rps / baseline.rps) },
      secret: { rps: secret.rps, p50Ms: secret.p50Ms, p99Ms: secret.p99Ms, ratio: round(secret.rps / pub.rps) },
      logging: { rps: logging.rps, p50Ms: logging.p50Ms, p99Ms: logging.p99Ms, ratio: round(logging.rps / pub.rps), lost },
      firstCall: { p50Ms: round(percentile(firsts, 50)), p99Ms: round(percentile(firsts, 99)), n: firsts.length },
      memoryPerFunctionMB: round((after - before) / 1024 / MEMORY_FUNCTIONS),
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
