import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeDataDir, type RunningServer, startServer } from "./server";

const ROOT = join(import.meta.dirname, "..", "..");
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function started(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const server = await startServer(options);
  cleanup.push(async () => {
    await server.stop();
    if (options.dataDir === undefined) removeDataDir(server.dataDir);
  });
  return server;
}

describe("self-hosted server (workerd serve config.capnp)", () => {
  it("serves /health on both ports, /run only on the functions port and /api only on the management port", async () => {
    const server = await started();
    for (const base of [server.functions, server.management]) {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
    }
    expect((await fetch(`${server.functions}/api/key-groups`, { headers: { "X-API-Key": server.apiKey } })).status).toBe(404);
    expect((await fetch(`${server.management}/run/anything`)).status).toBe(404);
    expect(await (await fetch(`${server.management}/run/anything`)).text()).toBe("404 Not Found");
    const run = await fetch(`${server.functions}/run/anything`);
    expect(await run.json()).toEqual({ error: "Function not found" });
    expect(run.headers.get("X-Frame-Options")).toBeNull();
    const api = await server.api("/api/key-groups");
    expect(api.status).toBe(200);
    expect(api.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("keeps groups and keys across a restart, and re-points the bootstrap key at a new MANAGEMENT_API_KEY", async () => {
    const first = await startServer({ apiKey: "first-bootstrap" });
    const dataDir = first.dataDir;
    cleanup.push(() => removeDataDir(dataDir));
    const created = await first.api("/api/key-groups", { method: "POST", body: JSON.stringify({ name: "survivors" }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const key = (await (await first.api("/api/keys", { method: "POST", body: JSON.stringify({ groupId: id, name: "k1" }) })).json()) as {
      value: string;
    };
    await first.stop();

    const second = await started({ dataDir, apiKey: "second-bootstrap" });
    expect((await fetch(`${second.management}/api/keys`, { headers: { "X-API-Key": "first-bootstrap" } })).status).toBe(401);
    const { keys } = (await (await second.api(`/api/keys?groupId=${id}`)).json()) as { keys: { name: string; value: string }[] };
    expect(keys).toEqual([expect.objectContaining({ name: "k1", value: key.value })]);
    const bootstrap = (await (await second.api("/api/keys?groupId=management")).json()) as { keys: { name: string }[] };
    expect(bootstrap.keys.filter((k) => k.name === "bootstrap")).toHaveLength(1);
  });

  it("serves every endpoint on one port when FUNCTION_PORT equals MANAGEMENT_PORT", async () => {
    const server = await started({ singlePort: true });
    expect(server.functions).toBe(server.management);
    expect((await server.api("/api/key-groups")).status).toBe(200);
    const run = await fetch(`${server.functions}/run/nothing`);
    expect(run.status).toBe(404);
    expect(run.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("restarts workerd when it dies, and stops cleanly on SIGTERM", async () => {
    const server = await startServer();
    cleanup.push(() => removeDataDir(server.dataDir));
    const workerdPid = Number(execFileSync("pgrep", ["-P", String(server.pid)]).toString().trim());
    process.kill(workerdPid, "SIGKILL");
    const deadline = Date.now() + 20_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      healthy = await fetch(`${server.management}/health`).then((r) => r.ok, () => false);
    }
    expect(healthy).toBe(true);
    expect(server.output()).toContain("restarting");
    expect((await server.api("/api/key-groups")).status).toBe(200);
    process.kill(server.pid, "SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("kills and restarts workerd when a handler loops forever (WATCHDOG_SECONDS)", async () => {
    const server = await started({ env: { WATCHDOG_SECONDS: "2" } });
    const json = { "Content-Type": "application/json" };
    const source = (await (await server.api("/api/sources", { method: "POST", headers: json, body: JSON.stringify({ name: "spin", type: "manual" }) })).json()) as {
      id: string;
    };
    await server.api(`/api/sources/${source.id}/files/spin.ts`, { method: "PUT", body: "export default () => { for (;;) {} }" });
    const created = await server.api("/api/functions", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "spin", handler: "spin/spin.ts", route: "/spin", methods: ["GET"] }),
    });
    expect(created.status).toBe(201);
    const stuck = await fetch(`${server.functions}/run/spin`).then((r) => r.status, () => "connection lost");
    expect(stuck).toBe("connection lost");
    const deadline = Date.now() + 20_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      healthy = await fetch(`${server.management}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy).toBe(true);
    expect(server.output()).toContain("has not answered /health");
    expect((await server.api("/api/functions")).status).toBe(200);
  });

  it.each([
    [{ FUNCTION_PORT: "eighty" }, 'FUNCTION_PORT must be a port number from 1 to 65535 (got "eighty")'],
    [{ DATA_DIR: "/dev/null/data" }, 'DATA_DIR "/dev/null/data" is not a writable directory (ENOTDIR)'],
  ])("refuses to start on %j with a one-line reason", (env, reason) => {
    const result = spawnSync(process.execPath, [join(ROOT, "scripts/start.mjs"), "--no-build"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`start: ${reason}`);
  });
});
