import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, unique } from "./helpers";

type Status = { currentVersion: string; isInProgress: boolean; rotationIntervalDays: number; lastRotationAt: string; nextRotationAt: string; daysSinceRotation: number };
const status = async () => (await (await api("/encryption-keys/rotation")).json()) as Status;

describe("/api/encryption-keys/rotation", () => {
  it("reports the keyring's state", async () => {
    const s = await status();
    expect(s).toMatchObject({ isInProgress: false, rotationIntervalDays: 90, daysSinceRotation: 0 });
    expect(s.currentVersion).toMatch(/^[A-Z]$/);
    expect(Date.parse(s.nextRotationAt) - Date.parse(s.lastRotationAt)).toBeCloseTo(90 * 86_400_000, -5);
  });

  it("re-encrypts every secret, key value and source token with the next version", async () => {
    const before = await status();
    const secret = (await (await api("/secrets", "POST", { name: unique("ROT"), value: "keep me", scopeType: "global" })).json()) as { id: string };
    const group = (await (await api("/key-groups", "POST", { name: unique("rot") })).json()) as { id: string };
    const key = (await (await api("/keys", "POST", { groupId: group.id, name: "k" })).json()) as { id: string; value: string };
    const response = await api("/encryption-keys/rotation", "POST");
    expect(await response.json()).toEqual({ success: true, message: "Key rotation completed successfully" });
    const after = await status();
    expect(after.isInProgress).toBe(false);
    expect(after.currentVersion).not.toBe(before.currentVersion);
    expect(await (await api(`/secrets/${secret.id}`)).json()).toMatchObject({ value: "keep me" });
    expect(await (await api(`/keys/${key.id}`)).json()).toMatchObject({ key: { value: key.value } });
  });

  it("re-encrypts a git source's token and webhook secret too (the original forgets them)", async () => {
    const created = await api("/sources", "POST", {
      name: unique("rotgit"),
      type: "git",
      enabled: false,
      typeSettings: { url: "https://127.0.0.1:9/r.git", authToken: "tok-123" },
      syncSettings: { webhookEnabled: true, webhookSecret: "hook-456" },
    });
    const { id } = (await created.json()) as { id: string };
    expect((await api("/encryption-keys/rotation", "POST")).status).toBe(200);
    const { currentVersion } = await status();
    const row = await env.DB.prepare("SELECT type_settings, sync_settings FROM code_sources WHERE id = ?").bind(id).first<{
      type_settings: string;
      sync_settings: string;
    }>();
    expect((JSON.parse(row?.type_settings ?? "{}") as { authToken: string }).authToken.startsWith(currentVersion)).toBe(true);
    expect((JSON.parse(row?.sync_settings ?? "{}") as { webhookSecret: string }).webhookSecret.startsWith(currentVersion)).toBe(true);
    const hook = (secret: string) => SELF.fetch(`http://localhost/api/sources/${id}/webhook`, { method: "POST", headers: { "X-Webhook-Secret": secret } });
    expect((await hook("wrong")).status).toBe(401);
    expect(await (await hook("hook-456")).json()).toEqual({ message: "Sync skipped (source disabled or already in progress)" });
  });

  it("reschedules the automatic rotation when the interval setting changes", async () => {
    await api("/settings", "PUT", { settings: { "encryption.key-rotation.interval-days": "7" } });
    const s = await status();
    expect(s.rotationIntervalDays).toBe(7);
    expect(Date.parse(s.nextRotationAt) - Date.parse(s.lastRotationAt)).toBeCloseTo(7 * 86_400_000, -5);
    await api("/settings", "PUT", { settings: { "encryption.key-rotation.interval-days": "90" } });
  });
});
