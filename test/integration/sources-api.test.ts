import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const KEY = "integration-test-key";
function api(path: string, method = "GET", body?: unknown) {
  return SELF.fetch(`http://localhost/api${path}`, {
    method,
    headers: { "X-API-Key": KEY, "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}
async function expectError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error });
}
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

interface Source {
  id: string;
  name: string;
  type: string;
  typeSettings: Record<string, unknown>;
  syncSettings: Record<string, unknown>;
  enabled: boolean;
  syncTriggered?: boolean;
}

async function create(body: Record<string, unknown>): Promise<Source> {
  const response = await api("/sources", "POST", body);
  expect(response.status).toBe(201);
  return (await response.json()) as Source;
}
const gitSource = (extra: Record<string, unknown> = {}) => ({
  name: unique("git"),
  type: "git",
  typeSettings: { url: "https://127.0.0.1:9/org/repo.git", branch: "main", authToken: "ghp_secret_token" },
  syncSettings: { intervalSeconds: 300, webhookEnabled: true, webhookSecret: "hook-secret" },
  ...extra,
});

describe("POST /api/sources", () => {
  it("creates a manual source and answers 201 with the bare source", async () => {
    const name = unique("manual");
    const source = await create({ name, type: "manual" });
    expect(source).toMatchObject({ name, type: "manual", typeSettings: {}, syncSettings: {}, enabled: true });
    expect(source).toMatchObject({ lastSyncAt: null, lastSyncStartedAt: null, lastSyncError: null });
    expect(source.id).toMatch(/^[a-z0-9]{20}$/);
  });

  it("redacts the git token and webhook secret in the response", async () => {
    const source = await create(gitSource());
    expect(source.typeSettings).toEqual({ url: "https://127.0.0.1:9/org/repo.git", branch: "main", authToken: "***REDACTED***" });
    expect(source.syncSettings).toEqual({ intervalSeconds: 300, webhookEnabled: true, webhookSecret: "***REDACTED***" });
  });

  it("omits secrets that are not set", async () => {
    const source = await create({ name: unique("git"), type: "git", typeSettings: { url: "https://127.0.0.1:9/r.git" } });
    expect(source.typeSettings).toEqual({ url: "https://127.0.0.1:9/r.git" });
    expect(source.syncSettings).toEqual({});
  });

  it("answers 409 when the name is taken", async () => {
    const name = unique("dup");
    await create({ name, type: "manual" });
    await expectError(await api("/sources", "POST", { name, type: "manual" }), 409, `Code source '${name}' already exists`);
  });

  it.each([
    [{ type: "manual" }, "Missing required field: name"],
    [{ name: "ok-name" }, "Missing required field: type"],
    [{ name: unique("x"), type: "s3" }, "Invalid source type: s3. Must be 'manual' or 'git'"],
    [{ name: "-starts-with-dash", type: "manual" }, "Invalid source name"],
    [{ name: "a".repeat(65), type: "manual" }, "Invalid source name"],
    [{ name: unique("x"), type: "manual", enabled: "yes" }, "enabled must be a boolean"],
    [{ name: unique("x"), type: "manual", typeSettings: [] }, "typeSettings must be an object"],
    [{ name: unique("x"), type: "manual", syncSettings: "x" }, "syncSettings must be an object"],
    [{ name: unique("x"), type: "git" }, "Missing required field: typeSettings.url"],
    [{ name: unique("x"), type: "git", typeSettings: { url: 5 } }, "typeSettings.url must be a string"],
    [{ name: unique("x"), type: "git", typeSettings: { url: "git@github.com:o/r.git" } }, "SSH URLs are not supported"],
    [{ name: unique("x"), type: "git", typeSettings: { url: "ssh://git@github.com/o/r.git" } }, "SSH URLs are not supported"],
    [{ name: unique("x"), type: "git", typeSettings: { url: "git://github.com/o/r.git" } }, "The git:// protocol is not supported"],
    [{ name: unique("x"), type: "git", typeSettings: { url: "http://127.0.0.1:9/r.git" } }, "Git URL must use HTTPS"],
    [{ name: unique("x"), type: "git", typeSettings: { url: "https://u:p@127.0.0.1:9/r.git" } }, "Git URL must not contain credentials"],
    [{ name: unique("x"), type: "git", typeSettings: { url: "https://e.com/r.git", branch: "a", tag: "b" } }, "Only one of branch, tag or commit may be set"],
    [{ name: unique("x"), type: "manual", syncSettings: { intervalSeconds: -1 } }, "intervalSeconds must be a non-negative number"],
    [{ name: unique("x"), type: "manual", syncSettings: { webhookEnabled: "true" } }, "webhookEnabled must be a boolean"],
    [{ name: unique("x"), type: "manual", syncSettings: { webhookSecret: 1 } }, "webhookSecret must be a string"],
  ])("answers 400 for %j", async (body, message) => {
    const response = await api("/sources", "POST", body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error.startsWith(message)).toBe(true);
  });

  it("answers 400 Invalid JSON body for a malformed body", async () => {
    await expectError(await api("/sources", "POST", "{nope"), 400, "Invalid JSON body");
  });
});

describe("GET /api/sources", () => {
  it("lists sources sorted by name, secrets redacted", async () => {
    const prefix = unique("list");
    await create({ ...gitSource(), name: `${prefix}-b` });
    await create({ name: `${prefix}-a`, type: "manual" });
    const { sources } = (await (await api("/sources")).json()) as { sources: Source[] };
    const mine = sources.filter((s) => s.name.startsWith(prefix));
    expect(mine.map((s) => s.name)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const names = sources.map((s) => s.name);
    expect(names).toEqual([...names].sort());
    expect(JSON.stringify(sources)).not.toContain("ghp_secret_token");
    expect(JSON.stringify(sources)).not.toContain("hook-secret");
  });

  it("GET /api/sources/:id answers the bare source, 404 when unknown", async () => {
    const source = await create({ name: unique("get"), type: "manual" });
    expect(await (await api(`/sources/${source.id}`)).json()).toEqual(source);
    await expectError(await api("/sources/nope"), 404, "Source not found");
  });

  it("GET /api/sources/by-name/:name answers the source, 400 for an invalid name, 404 when unknown", async () => {
    const source = await create({ name: unique("byname"), type: "manual" });
    expect(await (await api(`/sources/by-name/${source.name}`)).json()).toEqual(source);
    await expectError(await api("/sources/by-name/-bad"), 400, "Invalid source name");
    await expectError(await api(`/sources/by-name/${unique("missing")}`), 404, "Source not found");
  });
});

describe("PUT /api/sources/:id", () => {
  it("replaces each given settings object wholesale and ignores name and type", async () => {
    const source = await create(gitSource());
    const response = await api(`/sources/${source.id}`, "PUT", {
      name: "renamed",
      type: "manual",
      syncSettings: { intervalSeconds: 60 },
    });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as Source;
    expect(updated).toMatchObject({ name: source.name, type: "git", syncSettings: { intervalSeconds: 60 }, syncTriggered: false });
    expect(updated.typeSettings).toEqual(source.typeSettings);
  });

  it("keeps the stored token and secret when ***REDACTED*** is sent back", async () => {
    const source = await create(gitSource());
    const response = await api(`/sources/${source.id}`, "PUT", { typeSettings: source.typeSettings, syncSettings: source.syncSettings });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as Source;
    expect(updated.typeSettings.authToken).toBe("***REDACTED***");
    expect(updated.syncSettings.webhookSecret).toBe("***REDACTED***");
    expect(updated.syncTriggered).toBe(false);
  });

  it("drops the token when typeSettings are replaced without it", async () => {
    const source = await create(gitSource());
    const response = await api(`/sources/${source.id}`, "PUT", { typeSettings: { url: "https://127.0.0.1:9/org/repo.git", branch: "main" } });
    expect(((await response.json()) as Source).typeSettings).toEqual({ url: "https://127.0.0.1:9/org/repo.git", branch: "main" });
  });

  it("reports syncTriggered when the git target changes on an enabled source", async () => {
    const source = await create(gitSource());
    const changed = await api(`/sources/${source.id}`, "PUT", { typeSettings: { url: "https://127.0.0.1:9/org/repo.git", tag: "v1" } });
    expect(((await changed.json()) as Source).syncTriggered).toBe(true);
    const disabled = await api(`/sources/${source.id}`, "PUT", { enabled: false, typeSettings: { url: "https://127.0.0.1:9/other.git" } });
    expect((await disabled.json()) as Source).toMatchObject({ enabled: false, syncTriggered: false });
  });

  it("never reports syncTriggered for a manual source", async () => {
    const source = await create({ name: unique("manual"), type: "manual" });
    const response = await api(`/sources/${source.id}`, "PUT", { typeSettings: { anything: 1 }, enabled: false });
    expect(await response.json()).toMatchObject({ enabled: false, typeSettings: {}, syncTriggered: false });
  });

  it("answers 404 for an unknown source and 400 for invalid settings", async () => {
    await expectError(await api("/sources/nope", "PUT", { enabled: true }), 404, "Source not found");
    const source = await create(gitSource());
    await expectError(await api(`/sources/${source.id}`, "PUT", { typeSettings: { url: "git://x/y" } }), 400, "The git:// protocol is not supported. Use an HTTPS URL instead (e.g. https://github.com/org/repo.git)");
    await expectError(await api(`/sources/${source.id}`, "PUT", { typeSettings: null }), 400, "typeSettings must be an object");
    await expectError(await api(`/sources/${source.id}`, "PUT", "[1"), 400, "Invalid JSON body");
  });
});

describe("DELETE /api/sources/:id", () => {
  it("deletes the source and its files", async () => {
    const source = await create({ name: unique("del"), type: "manual" });
    expect((await SELF.fetch(`http://localhost/api/sources/${source.id}/files/a.ts`, { method: "PUT", headers: { "X-API-Key": KEY }, body: "x" })).status).toBe(201);
    const response = await api(`/sources/${source.id}`, "DELETE");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
    await expectError(await api(`/sources/${source.id}`), 404, "Source not found");
    await expectError(await api(`/sources/${source.id}/files`), 404, "Source not found");
  });

  it("answers 404 Code source '<id>' not found", async () => {
    await expectError(await api("/sources/nope", "DELETE"), 404, "Code source 'nope' not found");
  });
});

describe("sync and status", () => {
  it("GET /api/sources/:id/status reports capabilities and sync state", async () => {
    const manual = await create({ name: unique("m"), type: "manual" });
    const git = await create(gitSource());
    const idle = { lastSyncAt: null, lastSyncStartedAt: null, lastSyncError: null, isSyncing: false };
    expect(await (await api(`/sources/${manual.id}/status`)).json()).toEqual({ isSyncable: false, isEditable: true, ...idle });
    expect(await (await api(`/sources/${git.id}/status`)).json()).toEqual({ isSyncable: true, isEditable: false, ...idle });
    await expectError(await api("/sources/nope/status"), 404, "Source not found");
  });

  it("POST /api/sources/:id/sync answers 400 for manual, 200 with a job id for git, 404 when unknown", async () => {
    const manual = await create({ name: unique("m"), type: "manual" });
    await expectError(await api(`/sources/${manual.id}/sync`, "POST"), 400, `Source '${manual.name}' is a manual source and cannot be synced`);
    // Nothing listens on port 9 of loopback: the sync fails at once, without leaving the machine.
    const git = await create(gitSource({ typeSettings: { url: "https://127.0.0.1:9/org/repo.git" } }));
    const triggered = await api(`/sources/${git.id}/sync`, "POST");
    expect(triggered.status).toBe(200);
    expect(await triggered.json()).toEqual({ message: "Sync triggered", jobId: expect.stringMatching(/^job:[a-z0-9]{20}$/) });
    await expectError(await api("/sources/nope/sync", "POST"), 404, "Source not found");
  });
});
