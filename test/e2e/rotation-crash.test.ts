import { afterAll, describe, expect, it } from "vitest";
import { removeDataDir, type RunningServer, startServer } from "./server";

const SECRETS = 2000;
let dataDir = "";
afterAll(() => removeDataDir(dataDir));

type Status = { isInProgress: boolean; currentVersion: string };
const status = async (server: RunningServer) => (await (await server.api("/api/encryption-keys/rotation")).json()) as Status;
const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const HANDLER = `export default async function (c, ctx) {
  return c.json({ secret: await ctx.getSecret("S7"), group: ctx.authenticatedKeyGroup });
}`;

/** Calls a protected function that reads a secret, over and over, recording every outcome. */
function callInLoop(url: () => string, key: string) {
  const outcomes: { at: number; ok: boolean }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const at = Date.now();
      const ok = await fetch(url(), { headers: { "X-API-Key": key } })
        .then(async (r) => r.status === 200 && ((await r.json()) as { secret?: string }).secret === "value-7")
        .catch(() => false);
      outcomes.push({ at, ok });
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return { outcomes, stop: async () => ((running = false), await done) };
}

describe("key rotation interrupted by a crash", () => {
  it(`resumes after SIGKILL and restart; all ${SECRETS} secrets and every key still decrypt`, async () => {
    const first = await startServer();
    dataDir = first.dataDir;
    await inParallel(SECRETS, 8, async (i) => {
      const response = await first.api("/api/secrets", json({ name: `S${i}`, value: `value-${i}`, scopeType: "global" }));
      expect(response.status, first.output()).toBe(201);
    });
    const key = (await (await first.api("/api/keys", json({ groupId: "management", name: "survivor" }))).json()) as { value: string };
    const source = (await (await first.api("/api/sources", json({ name: "rot", type: "manual" }))).json()) as { id: string };
    expect((await first.api(`/api/sources/${source.id}/files/reader.ts`, { method: "PUT", body: HANDLER })).status).toBe(201);
    const fn = await first.api("/api/functions", json({ name: "reader", handler: "rot/reader.ts", route: "/reader", methods: ["GET"], keys: ["management"] }));
    expect(fn.status).toBe(201);
    let functionsUrl = first.functions;
    const calls = callInLoop(() => `${functionsUrl}/run/reader`, key.value);
    // Small, slow batches so that the kill lands in the middle of the rotation.
    const slow = { "encryption.key-rotation.batch-size": "10", "encryption.key-rotation.batch-sleep-ms": "20" };
    expect((await first.api("/api/settings", { method: "PUT", body: JSON.stringify({ settings: slow }) })).status).toBe(200);
    const before = await status(first);

    void first.api("/api/encryption-keys/rotation", { method: "POST" }).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (!(await status(first)).isInProgress && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect((await status(first)).isInProgress).toBe(true);
    const killedAt = Date.now();
    await first.kill();

    const second = await startServer({ dataDir });
    const backAt = Date.now();
    functionsUrl = second.functions;
    try {
      const resumed = Date.now() + 60_000;
      let current = await status(second);
      while (current.isInProgress && Date.now() < resumed) {
        await new Promise((r) => setTimeout(r, 200));
        current = await status(second);
      }
      expect(current.isInProgress).toBe(false);
      expect(current.currentVersion).not.toBe(before.currentVersion);
      const { secrets } = (await (await second.api("/api/secrets?includeValues=true")).json()) as {
        secrets: { name: string; value: string; decryptionError: string | null }[];
      };
      expect(secrets).toHaveLength(SECRETS);
      expect(secrets.filter((s) => s.decryptionError !== null)).toEqual([]);
      expect(secrets.every((s) => s.value === `value-${s.name.slice(1)}`)).toBe(true);
      expect((await fetch(`${second.management}/api/key-groups`, { headers: { "X-API-Key": key.value } })).status).toBe(200);
      const settle = Date.now() + 10_000;
      while (calls.outcomes.filter((o) => o.ok && o.at > backAt).length < 10 && Date.now() < settle) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await calls.stop();
      // Calls failed only while the process was down (a call in flight at the kill counts as down).
      const failedWhileUp = calls.outcomes.filter((o) => !o.ok && (o.at < killedAt - 250 || o.at > backAt));
      expect(failedWhileUp).toEqual([]);
      expect(calls.outcomes.filter((o) => o.ok && o.at < killedAt).length).toBeGreaterThan(10);
      expect(calls.outcomes.filter((o) => o.ok && o.at > backAt).length).toBeGreaterThan(10);
    } finally {
      await calls.stop();
      await second.stop();
    }
  }, 180_000);
});
