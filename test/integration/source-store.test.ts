import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES, type SourceStore } from "../../durable-objects/source-store";
import { decrypt } from "../../workers/shared/crypto";
import { findSource } from "../../workers/shared/db/sources";
import { getKeyring } from "../../workers/shared/keyring";
import { readSourceFile } from "../../workers/shared/source-files";

const KEY = "integration-test-key";
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const freshStore = () => env.SOURCE_STORE.get(env.SOURCE_STORE.idFromName(unique("store")));
const streamOf = (bytes: Uint8Array) => new Blob([bytes]).stream();
const filled = (size: number, value: number) => new Uint8Array(size).fill(value);
const upsert = { createOnly: false, maxBytes: 64 * CHUNK_BYTES };
const sha256 = async (bytes: Uint8Array | null) =>
  bytes === null ? null : [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
const bytesOf = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());

async function createSource(body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const response = await SELF.fetch("http://localhost/api/sources", { method: "POST", headers: { "X-API-Key": KEY }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; name: string };
}

describe("SourceStore", () => {
  it("stores a multi-chunk file and reads it back byte for byte", async () => {
    const store = freshStore();
    const bytes = crypto.getRandomValues(new Uint8Array(60_000)).slice();
    const big = new Uint8Array(2 * CHUNK_BYTES + 123);
    for (let i = 0; i < big.length; i += bytes.length) big.set(bytes.subarray(0, Math.min(bytes.length, big.length - i)), i);
    expect(await store.write("a.bin", streamOf(big), upsert)).toEqual({ ok: true, created: true, size: big.length });
    const file = await store.read("a.bin");
    expect(file?.size).toBe(big.length);
    const digest = await sha256(big);
    expect(await sha256(await bytesOf(file?.body ?? streamOf(new Uint8Array())))).toBe(digest);
    expect(await sha256(await store.readBytes("a.bin"))).toBe(digest);
  });

  it("answers typed results for create-only conflicts and oversize bodies", async () => {
    const store = freshStore();
    await store.write("a.txt", streamOf(filled(3, 1)), upsert);
    expect(await store.write("a.txt", streamOf(filled(3, 2)), { createOnly: true, maxBytes: 100 })).toEqual({ ok: false, reason: "exists" });
    expect(await store.write("b.txt", streamOf(filled(101, 2)), { createOnly: false, maxBytes: 100 })).toEqual({ ok: false, reason: "too-large", size: 101 });
    expect(await store.stat("b.txt")).toBeNull();
    expect(await store.readBytes("a.txt")).toEqual(filled(3, 1));
  });

  it("a stream opened before an overwrite still reads the old content in full", async () => {
    const store = freshStore();
    await store.write("f.bin", streamOf(filled(3 * CHUNK_BYTES, 1)), upsert);
    const before = await store.read("f.bin");
    await store.write("f.bin", streamOf(filled(CHUNK_BYTES, 2)), upsert);
    const old = await bytesOf(before?.body ?? streamOf(new Uint8Array()));
    expect(old.length).toBe(3 * CHUNK_BYTES);
    expect(old.every((b) => b === 1)).toBe(true);
    expect(await sha256(await store.readBytes("f.bin"))).toBe(await sha256(filled(CHUNK_BYTES, 2)));
  });

  it("readers see the old version until a streaming write has finished", async () => {
    const store = freshStore();
    await store.write("f.txt", streamOf(filled(10, 1)), upsert);
    let finish: () => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(filled(CHUNK_BYTES + 5, 2));
        finish = () => controller.close();
      },
    });
    const writing = store.write("f.txt", body, upsert);
    await new Promise((r) => setTimeout(r, 50));
    expect(await store.readBytes("f.txt")).toEqual(filled(10, 1));
    finish();
    expect(await writing).toEqual({ ok: true, created: false, size: CHUNK_BYTES + 5 });
    expect((await store.stat("f.txt"))?.size).toBe(CHUNK_BYTES + 5);
  });

  it("replaced and deleted files leave no chunks behind", async () => {
    const store = freshStore();
    await store.write("a", streamOf(filled(2 * CHUNK_BYTES, 1)), upsert);
    await store.write("a", streamOf(filled(10, 2)), upsert);
    await store.write("b", streamOf(filled(10, 3)), upsert);
    expect(await store.delete("b")).toBe(true);
    expect(await store.delete("b")).toBe(false);
    const chunks = await runInDurableObject(store, (_instance: SourceStore, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM chunks").one().n,
    );
    expect(chunks).toBe(1);
  });

  it("deleteAll empties the store and it keeps working afterwards", async () => {
    const store = freshStore();
    await store.write("a", streamOf(filled(5, 1)), upsert);
    await store.deleteAll();
    expect(await store.list()).toEqual([]);
    await store.write("b", streamOf(filled(5, 1)), upsert);
    expect((await store.list()).map((f) => f.path)).toEqual(["b"]);
  });
});

describe("readSourceFile", () => {
  it("answers the bytes for a normalised path of the source with that name", async () => {
    const source = await createSource({ name: unique("rsf"), type: "manual" });
    await SELF.fetch(`http://localhost/api/sources/${source.id}/files/lib/a.ts`, { method: "PUT", headers: { "X-API-Key": KEY }, body: "export {}" });
    const expected = new TextEncoder().encode("export {}");
    expect(await readSourceFile(env, source.name, "lib/a.ts")).toEqual(expected);
    expect(await readSourceFile(env, source.name, "./lib//a.ts")).toEqual(expected);
  });

  it("answers null for an unknown source, a missing file or an escaping path", async () => {
    const source = await createSource({ name: unique("rsf"), type: "manual" });
    expect(await readSourceFile(env, unique("nope"), "a.ts")).toBeNull();
    expect(await readSourceFile(env, source.name, "missing.ts")).toBeNull();
    expect(await readSourceFile(env, source.name, "../other/a.ts")).toBeNull();
  });
});

describe("secrets at rest", () => {
  it("stores the git token and webhook secret encrypted, never in plaintext", async () => {
    const source = await createSource({
      name: unique("enc"),
      type: "git",
      typeSettings: { url: "https://127.0.0.1:9/r.git", authToken: "plain-token" },
      syncSettings: { webhookSecret: "plain-secret" },
    });
    const stored = await findSource(env, source.id);
    const token = stored?.typeSettings.authToken ?? "";
    const secret = stored?.syncSettings.webhookSecret ?? "";
    expect(token).not.toContain("plain-token");
    expect(secret).not.toContain("plain-secret");
    const keyring = await getKeyring(env);
    expect(await decrypt(token, keyring)).toBe("plain-token");
    expect(await decrypt(secret, keyring)).toBe("plain-secret");
  });

  it("a PUT sending ***REDACTED*** back keeps the very same ciphertext", async () => {
    const source = await createSource({
      name: unique("enc"),
      type: "git",
      typeSettings: { url: "https://127.0.0.1:9/r.git", authToken: "plain-token" },
      syncSettings: { webhookSecret: "plain-secret" },
    });
    const before = await findSource(env, source.id);
    const response = await SELF.fetch(`http://localhost/api/sources/${source.id}`, {
      method: "PUT",
      headers: { "X-API-Key": KEY },
      body: JSON.stringify({
        typeSettings: { url: "https://127.0.0.1:9/r.git", authToken: "***REDACTED***" },
        syncSettings: { webhookSecret: "***REDACTED***" },
      }),
    });
    expect(response.status).toBe(200);
    const after = await findSource(env, source.id);
    expect(after?.typeSettings.authToken).toBe(before?.typeSettings.authToken);
    expect(after?.syncSettings.webhookSecret).toBe(before?.syncSettings.webhookSecret);
  });
});
