// Reads and checks the runtime contract's environment (DESIGN.md "Running it").
// Every problem is one line that says what is wrong and what was given.
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

// mkdirSync({ recursive: true }) can spin forever under /proc on Node 20; create level by level.
function makeDirectory(dir) {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeDirectory(parent);
  mkdirSync(dir);
}

function port(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
    throw new Error(`${name} must be a port number from 1 to 65535 (got "${raw}")`);
  }
  return n;
}

/** The checked start-up configuration, or an Error whose message is the one-line reason. */
export function readConfig(env = process.env, cwd = process.cwd()) {
  const functionPort = port(env, "FUNCTION_PORT", 8000);
  const managementPort = port(env, "MANAGEMENT_PORT", 9000);
  const host = env.HOST === undefined || env.HOST === "" ? "0.0.0.0" : env.HOST;
  if (!/^[0-9A-Za-z.:\-\[\]*]+$/.test(host)) throw new Error(`HOST must be an address or host name (got "${host}")`);
  const dataDir = resolve(cwd, env.DATA_DIR === undefined || env.DATA_DIR === "" ? "data" : env.DATA_DIR);
  try {
    makeDirectory(dataDir);
    accessSync(dataDir, constants.W_OK | constants.R_OK | constants.X_OK);
  } catch (error) {
    throw new Error(`DATA_DIR "${dataDir}" is not a writable directory (${error.code ?? error.message})`);
  }
  const apiKey = env.MANAGEMENT_API_KEY ?? "";
  if (apiKey !== "" && !/^[a-zA-Z0-9_-]+$/.test(apiKey)) {
    throw new Error("MANAGEMENT_API_KEY may only contain letters, digits, '-' and '_'");
  }
  const insecureGit = env.ALLOW_INSECURE_GIT_HTTP ?? "";
  if (!["", "true", "false"].includes(insecureGit)) {
    throw new Error(`ALLOW_INSECURE_GIT_HTTP must be "true" or "false" (got "${insecureGit}")`);
  }
  const watchdog = env.WATCHDOG_SECONDS ?? "";
  if (watchdog !== "" && !/^\d+$/.test(watchdog)) {
    throw new Error(`WATCHDOG_SECONDS must be a whole number of seconds, 0 to turn it off (got "${watchdog}")`);
  }
  const watchdogSeconds = watchdog === "" ? 30 : Number(watchdog);
  return { functionPort, managementPort, host, dataDir, singlePort: functionPort === managementPort, watchdogSeconds };
}

/** An address for workerd's --socket-addr: IPv6 literals need brackets. */
export function socketAddress(host, portNumber) {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${h}:${portNumber}`;
}
