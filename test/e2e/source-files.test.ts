import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDir, type RunningServer, startServer } from "./server";

const MAX = 52428800;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

async function createSource(server: RunningServer, body: Record<string, unknown>) {
  const response = await server.api("/api/sources", { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; name: string; typeSettings: Record<string, unknown> };
}
const manualSource = (server: RunningServer) => createSource(server, { name: unique("e2e"), type: "manual" });

describe("code source files against workerd", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  it("round-trips a 50 MB file of random bytes via raw PUT and GET", async () => {
    const { id } = await manualSource(server);
    const bytes = randomBytes(MAX);
    const started = Date.now();
    const put = await server.api(`/api/sources/${id}/files/data/blob.bin`, { method: "PUT", body: bytes });
    expect(put.status).toBe(201);
    const uploaded = Date.now();
    const get = await server.api(`/api/sources/${id}/files/data%2Fblob.bin`);
    expect(get.status).toBe(200);
    expect(get.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(get.headers.get("Content-Length")).toBe(String(MAX));
    const body = new Uint8Array(await get.arrayBuffer());
    console.log(`50 MB round trip: PUT ${uploaded - started} ms, GET ${Date.now() - uploaded} ms`);
    expect(body.length).toBe(MAX);
    expect(sha256(body)).toBe(sha256(bytes));
    const { files } = (await (await server.api(`/api/sources/${id}/files`)).json()) as { files: { path: string; size: number }[] };
    expect(files).toEqual([expect.objectContaining({ path: "data/blob.bin", size: MAX })]);
  });

  it("lets a client that is still sending a large body read an early 401", async () => {
    const { id } = await manualSource(server);
    const refused = await fetch(`${server.management}/api/sources/${id}/files/big.bin`, { method: "PUT", body: new Uint8Array(20 * 1024 * 1024) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "Unauthorized" });
  });

  it("answers 413 for a body one byte over the maximum, declared or streamed", async () => {
    const { id } = await manualSource(server);
    const declared = await server.api(`/api/sources/${id}/files/big.bin`, { method: "PUT", body: new Uint8Array(MAX + 1) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: `File size ${MAX + 1} exceeds maximum ${MAX} bytes` });
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX) return controller.close();
        sent += 1 << 20;
        controller.enqueue(new Uint8Array(1 << 20));
      },
    });
    const streamed = await server.api(`/api/sources/${id}/files/big.bin`, { method: "PUT", body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await server.api(`/api/sources/${id}/files/big.bin`)).status).toBe(404);
  });

  it("accepts a multipart upload and serves it back with its content type", async () => {
    const { id } = await manualSource(server);
    const form = new FormData();
    form.set("file", new Blob(["export default (c) => c.text('hi');\n"]), "handler.ts");
    const response = await server.api(`/api/sources/${id}/files/handlers/hello.ts`, { method: "POST", body: form });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ success: true, path: "handlers/hello.ts", created: true });
    const get = await server.api(`/api/sources/${id}/files/handlers/hello.ts`);
    expect(get.headers.get("Content-Type")).toBe("text/typescript");
    expect(await get.text()).toBe("export default (c) => c.text('hi');\n");
  });

  it("refuses http:// git URLs by default", async () => {
    const response = await server.api("/api/sources", {
      method: "POST",
      body: JSON.stringify({ name: unique("git"), type: "git", typeSettings: { url: "http://127.0.0.1:1/repo.git" } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^Git URL must use HTTPS/);
  });
});

describe("code source files across restarts", () => {
  it("keeps files (and redacted secrets) after server.stop() and a restart on the same data dir", async () => {
    const first = await startServer();
    try {
      const { id } = await manualSource(first);
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      expect((await first.api(`/api/sources/${id}/files/keep.bin`, { method: "PUT", body: bytes })).status).toBe(201);
      expect((await first.api(`/api/sources/${id}/files/lib/a.ts`, { method: "PUT", body: "export const a = 1;" })).status).toBe(201);
      const git = await createSource(first, { name: unique("git"), type: "git", typeSettings: { url: "https://127.0.0.1:9/r.git", authToken: "t0ken" } });
      await first.stop();
      const second = await startServer({ dataDir: first.dataDir });
      try {
        const get = await second.api(`/api/sources/${id}/files/keep.bin`);
        expect(sha256(new Uint8Array(await get.arrayBuffer()))).toBe(sha256(bytes));
        const { files } = (await (await second.api(`/api/sources/${id}/files`)).json()) as { files: { path: string }[] };
        expect(files.map((f) => f.path)).toEqual(["keep.bin", "lib/a.ts"]);
        const again = (await (await second.api(`/api/sources/${git.id}`)).json()) as { typeSettings: unknown };
        expect(again.typeSettings).toEqual({ url: "https://127.0.0.1:9/r.git", authToken: "***REDACTED***" });
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      removeDataDir(first.dataDir);
    }
  });
});

describe("ALLOW_INSECURE_GIT_HTTP", () => {
  it("lets git sources use http:// URLs when set to true", async () => {
    const server = await startServer({ env: { ALLOW_INSECURE_GIT_HTTP: "true" } });
    try {
      const source = await createSource(server, { name: unique("git"), type: "git", typeSettings: { url: "http://127.0.0.1:1/repo.git", authToken: "t0ken" } });
      expect(source.typeSettings).toEqual({ url: "http://127.0.0.1:1/repo.git", authToken: "***REDACTED***" });
    } finally {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });
});
