import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningServer {
  /** Base URL of the functions port, e.g. http://127.0.0.1:41234 */
  functions: string;
  /** Base URL of the management port. */
  management: string;
  dataDir: string;
  apiKey: string;
  /** fetch against the management port with the bootstrap key. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Stops the supervisor with SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills workerd and the supervisor at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Lines the server printed so far. */
  output(): string;
  /** The supervisor's process id (workerd is its child). */
  pid: number;
  /** Resolves with the supervisor's exit code once it has exited. */
  exited: Promise<number | null>;
}

export interface StartOptions {
  dataDir?: string;
  singlePort?: boolean;
  env?: Record<string, string>;
  apiKey?: string;
}

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Starts `npm start`'s supervisor (scripts/start.mjs --no-build) on free ports with a temp
 * data directory, and resolves once both ports answer /health.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "crude-e2e-"));
  const functionPort = await freePort();
  const managementPort = options.singlePort === true ? functionPort : await freePort();
  const apiKey = options.apiKey ?? "e2e-bootstrap-key";
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "scripts/start.mjs"), "--no-build"], {
    cwd: ROOT,
    env: {
      ...process.env,
      FUNCTION_PORT: String(functionPort),
      MANAGEMENT_PORT: String(managementPort),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      MANAGEMENT_API_KEY: apiKey,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const functions = `http://127.0.0.1:${functionPort}`;
  const management = `http://127.0.0.1:${managementPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const up = await Promise.all(
      [functions, management].map((base) => fetch(`${base}/health`).then((r) => r.ok, () => false)),
    );
    if (up.every(Boolean)) break;
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    functions,
    management,
    dataDir,
    apiKey,
    api: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has("X-API-Key")) headers.set("X-API-Key", apiKey);
      return fetch(`${management}${path}`, { ...init, headers });
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
    async kill() {
      if (child.exitCode === null && child.pid !== undefined) {
        // workerd runs in a process group of its own: kill it and the supervisor at once.
        const workers = spawnSync("pgrep", ["-P", String(child.pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
        for (const pid of workers) process.kill(Number(pid), "SIGKILL");
        process.kill(-child.pid, "SIGKILL");
        await exited;
      }
    },
    output: () => output,
    pid: child.pid ?? -1,
    exited,
  };
}

/** Removes a temp data directory made by startServer. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
