import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, removeDataDir } from "./server";

// One smoke test of the same API flow under `npm run dev` (wrangler dev, Miniflare, real D1).
const ROOT = join(import.meta.dirname, "..", "..");
const KEY = "wrangler-smoke-key";
let child: ChildProcess;
let base: string;
let dataDir: string;
let output = "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "crude-dev-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [join(ROOT, "scripts/dev.mjs")], {
    cwd: ROOT,
    env: { ...process.env, FUNCTION_PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, MANAGEMENT_API_KEY: KEY },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 45_000;
  while (!(await fetch(`${base}/health`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 60_000);

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child.on("exit", r));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  }
  removeDataDir(dataDir);
});

describe("npm run dev (wrangler dev)", () => {
  it("serves the management API and /run on one port with the bootstrap key", async () => {
    const headers = { "X-API-Key": KEY, "Content-Type": "application/json" };
    const group = await fetch(`${base}/api/key-groups`, { method: "POST", headers, body: JSON.stringify({ name: "smoke" }) });
    expect(group.status).toBe(201);
    const { id } = (await group.json()) as { id: string };
    const key = await fetch(`${base}/api/keys`, { method: "POST", headers, body: JSON.stringify({ groupId: id, name: "k" }) });
    expect(key.status).toBe(201);
    const { keys } = (await (await fetch(`${base}/api/keys?groupId=${id}`, { headers })).json()) as { keys: { name: string }[] };
    expect(keys.map((k) => k.name)).toEqual(["k"]);
    expect((await fetch(`${base}/api/keys`)).status).toBe(401);
    expect((await fetch(`${base}/run/missing`)).status).toBe(404);
  });
});
