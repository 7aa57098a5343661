import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitServer, startGitServer } from "./git-server";
import { removeDataDir, type RunningServer, startServer } from "./server";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;
const TOKEN = "tok-7f3a9c1e55d2";
const SECRET = "whsec-19b4e6a0c3";

interface Source {
  id: string;
  name: string;
  typeSettings: Record<string, unknown>;
  syncSettings: Record<string, unknown>;
  lastSyncAt: string | null;
  lastSyncError: string | null;
}
interface Status {
  isSyncing: boolean;
  lastSyncAt: string | null;
  lastSyncError: string | null;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("git sources against workerd and git http-backend", () => {
  let server: RunningServer;
  let git: GitServer;
  let secured: GitServer;
  let slow: GitServer;

  beforeAll(async () => {
    [server, git, secured, slow] = await Promise.all([
      startServer({ env: { ALLOW_INSECURE_GIT_HTTP: "true" } }),
      startGitServer(),
      startGitServer({ auth: { username: TOKEN, password: "x-oauth-basic" } }),
      startGitServer({ delayMs: 400 }),
    ]);
  });
  afterAll(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
    await Promise.all([git.close(), secured.close(), slow.close()]);
  });

  async function createSource(typeSettings: Record<string, unknown>, syncSettings: Record<string, unknown> = {}): Promise<Source> {
    const response = await server.api("/api/sources", json("POST", { name: unique("git"), type: "git", typeSettings, syncSettings }));
    expect(response.status).toBe(201);
    return (await response.json()) as Source;
  }
  const status = async (id: string) => (await (await server.api(`/api/sources/${id}/status`)).json()) as Status;
  const files = async (id: string) =>
    ((await (await server.api(`/api/sources/${id}/files`)).json()) as { files: { path: string }[] }).files.map((f) => f.path);

  /** Triggers a sync and waits until it has ended; returns the status after it. */
  async function sync(id: string): Promise<Status> {
    const before = await status(id);
    const response = await server.api(`/api/sources/${id}/sync`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: "Sync triggered", jobId: expect.stringMatching(/^job:[a-z0-9]{20}$/) });
    return until("the sync to end", async () => {
      const now = await status(id);
      const ended = !now.isSyncing && (now.lastSyncAt !== before.lastSyncAt || now.lastSyncError !== null);
      return ended ? now : undefined;
    });
  }

  async function registerFunction(handler: string): Promise<string> {
    const route = `/${unique("r")}`;
    const response = await server.api("/api/functions", json("POST", { name: unique("fn"), handler, route, methods: ["GET", "POST"] }));
    expect(response.status).toBe(201);
    return route;
  }
  const run = async (route: string) => (await fetch(`${server.functions}/run${route}`)).text();

  it("serves pushed code from /run after a webhook, with no manual upload", async () => {
    const name = unique("repo");
    const repo = git.createRepo(name);
    repo.commit({ "hello.ts": 'import { v } from "./lib/v.ts";\nexport default (c) => c.text(v);\n', "lib/v.ts": 'export const v = "v1";\n' });
    const source = await createSource({ url: git.url(name) }, { webhookEnabled: true, webhookSecret: SECRET });
    expect(source.syncSettings.webhookSecret).toBe("***REDACTED***");
    expect(await files(source.id)).toEqual([]);
    expect((await sync(source.id)).lastSyncError).toBeNull();
    expect(await files(source.id)).toEqual(["hello.ts", "lib/v.ts"]);
    const route = await registerFunction(`${source.name}/hello.ts`);
    expect(await run(route)).toBe("v1");

    repo.commit({ "lib/v.ts": 'export const v = "v2";\n' });
    const pushed = Date.now();
    const hook = await fetch(`${server.management}/api/sources/${source.id}/webhook`, { method: "POST", headers: { "X-Webhook-Secret": SECRET }, body: "{}" });
    expect(hook.status).toBe(200);
    expect(await hook.json()).toEqual({ message: "Sync triggered", jobId: expect.stringMatching(/^job:/) });
    await until("the new code", async () => ((await run(route)) === "v2" ? true : undefined));
    console.log(`push → webhook → new /run answer in ${Date.now() - pushed} ms`);
  });

  it("checks out a branch, an annotated tag, a lightweight tag and a commit", async () => {
    const name = unique("refs");
    const repo = git.createRepo(name);
    const first = repo.commit({ "a.ts": "1", "old.ts": "old" });
    repo.tag("v1");
    repo.tag("light", true);
    repo.commit({ "a.ts": "2", "old.ts": null });
    repo.commit({ "dev.ts": "dev" }, "dev work", "dev");
    const url = git.url(name);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ url }, ["a.ts"]],
      [{ url, branch: "dev" }, ["a.ts", "dev.ts"]],
      [{ url, tag: "v1" }, ["a.ts", "old.ts"]],
      [{ url, tag: "light" }, ["a.ts", "old.ts"]],
      [{ url, commit: first }, ["a.ts", "old.ts"]],
    ];
    for (const [settings, expected] of cases) {
      const source = await createSource(settings);
      expect((await sync(source.id)).lastSyncError).toBeNull();
      expect(await files(source.id)).toEqual(expected);
    }
  });

  it("authenticates with the token as user name and never shows the token", async () => {
    const name = unique("private");
    secured.createRepo(name).commit({ "p.ts": "private" });
    const source = await createSource({ url: secured.url(name), authToken: TOKEN });
    expect(source.typeSettings.authToken).toBe("***REDACTED***");
    expect((await sync(source.id)).lastSyncError).toBeNull();
    expect(await files(source.id)).toEqual(["p.ts"]);

    // Sending the placeholder back keeps the stored token.
    const put = await server.api(`/api/sources/${source.id}`, json("PUT", { typeSettings: { url: secured.url(name), authToken: "***REDACTED***" } }));
    expect(put.status).toBe(200);
    expect((await sync(source.id)).lastSyncError).toBeNull();

    const wrong = await createSource({ url: secured.url(name), authToken: `${TOKEN}-wrong` });
    const failed = await sync(wrong.id);
    expect(failed.lastSyncError).toBe("Authentication failed: the remote refused the token");
    const everything = JSON.stringify(await (await server.api("/api/sources")).json()) + server.output();
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(SECRET);
  });

  it("keeps the previous files when the remote breaks, and records the error", async () => {
    const name = unique("keep");
    git.createRepo(name).commit({ "keep.ts": 'export default (c) => c.text("kept");\n' });
    const source = await createSource({ url: git.url(name) });
    await sync(source.id);
    const route = await registerFunction(`${source.name}/keep.ts`);
    expect(await run(route)).toBe("kept");

    const moved = await server.api(`/api/sources/${source.id}`, json("PUT", { typeSettings: { url: git.url("no-such-repo") } }));
    expect(((await moved.json()) as { syncTriggered: boolean }).syncTriggered).toBe(true);
    const broken = await until("the failed sync", async () => {
      const now = await status(source.id);
      return !now.isSyncing && now.lastSyncError !== null ? now : undefined;
    });
    expect(broken.lastSyncError).toMatch(/Remote answered 404/);
    expect(await files(source.id)).toEqual(["keep.ts"]);
    expect(await run(route)).toBe("kept");
    // Files of git sources are read-only.
    const write = await server.api(`/api/sources/${source.id}/files/keep.ts`, { method: "PUT", body: "x" });
    expect(write.status).toBe(403);

    await server.api(`/api/sources/${source.id}`, json("PUT", { typeSettings: { url: "http://127.0.0.1:1/unreachable.git" } }));
    const unreachable = await until("the unreachable sync", async () => {
      const now = await status(source.id);
      return !now.isSyncing && now.lastSyncError !== broken.lastSyncError ? now : undefined;
    });
    expect(unreachable.lastSyncError).toMatch(/^Fetch failed/);
    expect(await run(route)).toBe("kept");
  });

  it("syncs on its interval without any trigger", async () => {
    const name = unique("tick");
    const repo = git.createRepo(name);
    repo.commit({ "t.ts": 'export default (c) => c.text("t1");\n' });
    const source = await createSource({ url: git.url(name) }, { intervalSeconds: 1 });
    const route = await registerFunction(`${source.name}/t.ts`);
    await until("the first interval sync", async () => ((await run(route)) === "t1" ? true : undefined), 10_000);
    repo.commit({ "t.ts": 'export default (c) => c.text("t2");\n' });
    await until("the next interval sync", async () => ((await run(route)) === "t2" ? true : undefined), 10_000);
    await server.api(`/api/sources/${source.id}`, json("PUT", { syncSettings: { intervalSeconds: 0 } }));
  });

  it("answers 409 to a second trigger while a sync is queued or running", async () => {
    const name = unique("slow");
    slow.createRepo(name).commit({ "s.ts": "s" });
    const source = await createSource({ url: slow.url(name) }, { webhookEnabled: true });
    const first = await server.api(`/api/sources/${source.id}/sync`, { method: "POST" });
    expect(first.status).toBe(200);
    const second = await server.api(`/api/sources/${source.id}/sync`, { method: "POST" });
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ message: "Sync already in progress" });
    expect((await status(source.id)).isSyncing).toBe(true);
    const hook = await fetch(`${server.management}/api/sources/${source.id}/webhook`, { method: "POST" });
    expect(await hook.json()).toEqual({ message: "Sync skipped (source disabled or already in progress)" });
    await until("the slow sync", async () => ((await status(source.id)).isSyncing ? undefined : true));
    expect(await files(source.id)).toEqual(["s.ts"]);
  });

  it("accepts GitHub signatures, GitLab tokens and ?secret=, in the spec's order of checks", async () => {
    const name = unique("hooks");
    git.createRepo(name).commit({ "h.ts": "h" });
    const source = await createSource({ url: git.url(name) }, { webhookEnabled: true, webhookSecret: SECRET });
    const hook = (init: RequestInit = {}, query = "", id = source.id) =>
      fetch(`${server.management}/api/sources/${id}/webhook${query}`, { method: "POST", ...init });
    const settle = () => until("idle", async () => ((await status(source.id)).isSyncing ? undefined : true));

    expect((await hook({}, "", "nope")).status).toBe(404);
    expect(await (await hook({}, "", "nope")).json()).toEqual({ error: "Code source 'nope' not found" });
    expect((await hook()).status).toBe(401);
    expect(await (await hook({ headers: { "X-Webhook-Secret": "wrong" } })).json()).toEqual({ error: "Invalid webhook secret" });
    const body = JSON.stringify({ ref: "refs/heads/main" });
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    expect((await hook({ body, headers: { "X-Hub-Signature-256": signature.replace(/.$/, "0") } })).status).toBe(401);
    for (const init of [{ body, headers: { "X-Hub-Signature-256": signature } }, { headers: { "X-Gitlab-Token": SECRET } }, {}] as RequestInit[]) {
      const response = await hook(init, Object.keys(init).length === 0 ? `?secret=${SECRET}` : "");
      expect(response.status).toBe(200);
      expect(((await response.json()) as { message: string }).message).toBe("Sync triggered");
      await settle();
    }
    await server.api(`/api/sources/${source.id}`, json("PUT", { enabled: false }));
    expect(await (await hook({ headers: { "X-Webhook-Secret": SECRET } })).json()).toEqual({
      message: "Sync skipped (source disabled or already in progress)",
    });
    await server.api(`/api/sources/${source.id}`, json("PUT", { syncSettings: { webhookEnabled: false } }));
    expect(await (await hook({ headers: { "X-Webhook-Secret": SECRET } })).json()).toEqual({ error: "Webhooks disabled for this source" });

    const manual = await server.api("/api/sources", json("POST", { name: unique("man"), type: "manual", syncSettings: { webhookEnabled: true } }));
    const manualId = ((await manual.json()) as Source).id;
    const onManual = await hook({}, "", manualId);
    expect(onManual.status).toBe(400);
    expect(((await onManual.json()) as { error: string }).error).toMatch(/is a manual source and cannot be synced/);
  });
});

describe("git source schedules across a restart", () => {
  it("keeps syncing on its interval after workerd restarts on the same data directory", async () => {
    const git = await startGitServer();
    const first = await startServer({ env: { ALLOW_INSECURE_GIT_HTTP: "true" } });
    let second: RunningServer | undefined;
    try {
      const repo = git.createRepo("restart");
      repo.commit({ "r.ts": 'export default (c) => c.text("before");\n' });
      const created = await first.api("/api/sources", json("POST", { name: "restart", type: "git", typeSettings: { url: git.url("restart") }, syncSettings: { intervalSeconds: 1 } }));
      expect(created.status).toBe(201);
      expect((await first.api("/api/functions", json("POST", { name: "restart", handler: "restart/r.ts", route: "/restart", methods: ["GET"] }))).status).toBe(201);
      const answer = async (server: RunningServer) => (await fetch(`${server.functions}/run/restart`)).text();
      await until("the first sync", async () => ((await answer(first)) === "before" ? true : undefined));
      await first.stop();
      repo.commit({ "r.ts": 'export default (c) => c.text("after");\n' });
      second = await startServer({ dataDir: first.dataDir, env: { ALLOW_INSECURE_GIT_HTTP: "true" } });
      const restarted = second;
      await until("a sync after the restart", async () => ((await answer(restarted)) === "after" ? true : undefined));
    } finally {
      await second?.stop();
      await first.stop();
      removeDataDir(first.dataDir);
      await git.close();
    }
  });
});
