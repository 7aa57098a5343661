import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitServer, startGitServer } from "./git-server";
import { freePort, removeDataDir } from "./server";

// One smoke test of the same API flow under `npm run dev` (wrangler dev, Miniflare, real D1).
const ROOT = join(import.meta.dirname, "..", "..");
const KEY = "wrangler-smoke-key";
let child: ChildProcess;
let base: string;
let dataDir: string;
let output = "";
let git: GitServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "crude-dev-"));
  git = await startGitServer();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [join(ROOT, "scripts/dev.mjs")], {
    cwd: ROOT,
    env: { ...process.env, FUNCTION_PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, MANAGEMENT_API_KEY: KEY, ALLOW_INSECURE_GIT_HTTP: "true" },
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
  await git.close();
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

  it("serves a git source's new code from /run after a sync (the bump in SourceSync reaches the router)", async () => {
    const headers = { "X-API-Key": KEY, "Content-Type": "application/json" };
    const repo = git.createRepo("dev-sync");
    repo.commit({ "h.ts": 'export default (c) => c.text("one");\n' });
    const created = await fetch(`${base}/api/sources`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "devsync", type: "git", typeSettings: { url: git.url("dev-sync") } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const fn = await fetch(`${base}/api/functions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "devsync", handler: "devsync/h.ts", route: "/devsync", methods: ["GET"] }),
    });
    expect(fn.status).toBe(201);
    const runUntil = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while ((await (await fetch(`${base}/run/devsync`)).text()) !== text) {
        if (Date.now() > deadline) throw new Error(`/run never answered ${text}:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    expect((await fetch(`${base}/api/sources/${id}/sync`, { method: "POST", headers })).status).toBe(200);
    await runUntil("one");
    repo.commit({ "h.ts": 'export default (c) => c.text("two");\n' });
    expect((await fetch(`${base}/api/sources/${id}/sync`, { method: "POST", headers })).status).toBe(200);
    await runUntil("two");
  });
});
