import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SourceSync } from "../../durable-objects/source-sync";
import { api, unique } from "./helpers";

const syncObject = (id: string) => env.SOURCE_SYNC.get(env.SOURCE_SYNC.idFromName(id));
const alarmOf = (id: string) => runInDurableObject(syncObject(id), (_instance: SourceSync, state) => state.storage.getAlarm());

describe("SourceSync schedules", () => {
  it("sets the alarm one interval ahead, pauses it while disabled and drops it at 0", async () => {
    const id = unique("sched");
    const stub = syncObject(id);
    const before = Date.now();
    await stub.schedule(id, 300, true);
    const first = await alarmOf(id);
    expect(first).toBeGreaterThanOrEqual(before + 300_000);
    expect(first).toBeLessThanOrEqual(Date.now() + 300_000);
    await stub.schedule(id, 300, true);
    expect(await alarmOf(id)).toBe(first);
    await stub.schedule(id, 300, false);
    expect(await alarmOf(id)).toBeNull();
    await stub.schedule(id, 0, true);
    expect(await alarmOf(id)).toBeNull();
    expect(await stub.status()).toMatchObject({ job: null, intervalSeconds: 0, isSyncing: false });
  });

  it("follows intervalSeconds of a git source through create, update and delete", async () => {
    const created = await api("/sources", "POST", {
      name: unique("iv"),
      type: "git",
      typeSettings: { url: "https://127.0.0.1:9/r.git" },
      syncSettings: { intervalSeconds: 600 },
    });
    const { id } = (await created.json()) as { id: string };
    expect(await alarmOf(id)).toBeGreaterThan(Date.now() + 590_000);
    // Creating through the API starts no sync (as the original).
    expect((await syncObject(id).status()).job).toBeNull();
    await api(`/sources/${id}`, "PUT", { syncSettings: { intervalSeconds: 0 } });
    expect(await alarmOf(id)).toBeNull();
    await api(`/sources/${id}`, "PUT", { syncSettings: { intervalSeconds: 900 } });
    expect(await alarmOf(id)).toBeGreaterThan(Date.now() + 890_000);
    expect((await api(`/sources/${id}`, "DELETE")).status).toBe(200);
    expect(await alarmOf(id)).toBeNull();
  });
});

describe("POST /api/sources/:id/webhook", () => {
  it("is public and answers 404, 403, 401 in the spec's order, and 400 for a manual source", async () => {
    const hook = (id: string, headers: Record<string, string> = {}) =>
      SELF.fetch(`http://localhost/api/sources/${id}/webhook`, { method: "POST", headers });
    expect(await (await hook("nope")).json()).toEqual({ error: "Code source 'nope' not found" });
    const off = await api("/sources", "POST", { name: unique("off"), type: "git", typeSettings: { url: "https://127.0.0.1:9/r.git" } });
    const offId = ((await off.json()) as { id: string }).id;
    const forbidden = await hook(offId);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: "Webhooks disabled for this source" });
    const secured = await api("/sources", "POST", {
      name: unique("sec"),
      type: "git",
      typeSettings: { url: "https://127.0.0.1:9/r.git" },
      syncSettings: { webhookEnabled: true, webhookSecret: "s3" },
    });
    const securedId = ((await secured.json()) as { id: string }).id;
    const refused = await hook(securedId, { "X-Webhook-Secret": "nope" });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "Invalid webhook secret" });
    const manual = await api("/sources", "POST", { name: unique("man"), type: "manual", syncSettings: { webhookEnabled: true } });
    const manualHook = await hook(((await manual.json()) as { id: string }).id);
    expect(manualHook.status).toBe(400);
  });
});
