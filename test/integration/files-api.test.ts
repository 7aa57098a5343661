import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const KEY = "integration-test-key";
function call(path: string, init: RequestInit = {}) {
  return SELF.fetch(`http://localhost/api${path}`, { ...init, headers: { "X-API-Key": KEY, ...init.headers } });
}
const jsonBody = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
async function expectError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error });
}
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

async function source(type: "manual" | "git" = "manual") {
  const body = type === "manual" ? { name: unique("files"), type } : { name: unique("git"), type, typeSettings: { url: "https://127.0.0.1:9/r.git" } };
  const response = await call("/sources", jsonBody("POST", body));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; name: string };
}
const put = (id: string, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  call(`/sources/${id}/files/${path}`, { method: "PUT", body, headers });

describe("file writes", () => {
  it("PUT answers 201 created, then 200 created:false when overwriting", async () => {
    const { id } = await source();
    const first = await put(id, "lib/formatters.ts", "export const a = 1;");
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ success: true, path: "lib/formatters.ts", created: true });
    const second = await put(id, "lib/formatters.ts", "export const a = 2;");
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ success: true, path: "lib/formatters.ts", created: false });
    expect(await (await call(`/sources/${id}/files/lib/formatters.ts`)).text()).toBe("export const a = 2;");
  });

  it("POST creates once and answers 409 File already exists with the path", async () => {
    const { id } = await source();
    const created = await call(`/sources/${id}/files/a.ts`, jsonBody("POST", { content: "one" }));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ success: true, path: "a.ts", created: true });
    const again = await call(`/sources/${id}/files/a.ts`, jsonBody("POST", { content: "two" }));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: "File already exists", path: "a.ts" });
    expect(await (await call(`/sources/${id}/files/a.ts`)).text()).toBe("one");
  });

  it("accepts %2F in the path and normalises slashes", async () => {
    const { id } = await source();
    expect((await put(id, "lib%2Fdeep%2Fx.ts", "x")).status).toBe(201);
    const response = await put(id, "lib//deep/./x.ts/", "y");
    expect(await response.json()).toEqual({ success: true, path: "lib/deep/x.ts", created: false });
  });

  it("decodes JSON envelopes in utf-8, text and base64", async () => {
    const { id } = await source();
    await call(`/sources/${id}/files/u.txt`, jsonBody("PUT", { content: "héllo" }));
    await call(`/sources/${id}/files/t.txt`, jsonBody("PUT", { content: "plain", encoding: "text" }));
    await call(`/sources/${id}/files/b.bin`, jsonBody("PUT", { content: btoa("\x00\x01\xff"), encoding: "base64" }));
    expect(await (await call(`/sources/${id}/files/u.txt`)).text()).toBe("héllo");
    expect(await (await call(`/sources/${id}/files/t.txt`)).text()).toBe("plain");
    expect([...new Uint8Array(await (await call(`/sources/${id}/files/b.bin`)).arrayBuffer())]).toEqual([0, 1, 255]);
  });

  it("answers 400 for bad JSON envelopes", async () => {
    const { id } = await source();
    const at = `/sources/${id}/files/x.txt`;
    await expectError(await call(at, jsonBody("PUT", {})), 400, "Missing required field: content");
    await expectError(await call(at, jsonBody("PUT", { content: "***", encoding: "base64" })), 400, "Invalid base64 content");
    await expectError(await call(at, jsonBody("PUT", { content: "x", encoding: "latin1" })), 400, 'Unsupported encoding: latin1. Use "base64" or "utf-8"');
    await expectError(await call(at, jsonBody("PUT", "{nope")), 400, "Invalid JSON body");
  });

  it("takes multipart uploads from a file part or a content string", async () => {
    const { id } = await source();
    const withFile = new FormData();
    withFile.set("file", new File([new Uint8Array([1, 2, 3])], "ignored.bin"));
    expect((await call(`/sources/${id}/files/m.bin`, { method: "PUT", body: withFile })).status).toBe(201);
    const withText = new FormData();
    withText.set("content", "from a field");
    expect((await call(`/sources/${id}/files/m.txt`, { method: "POST", body: withText })).status).toBe(201);
    expect([...new Uint8Array(await (await call(`/sources/${id}/files/m.bin`)).arrayBuffer())]).toEqual([1, 2, 3]);
    expect(await (await call(`/sources/${id}/files/m.txt`)).text()).toBe("from a field");
    await expectError(await call(`/sources/${id}/files/m.txt`, { method: "PUT", body: new FormData() }), 400, "Missing required field: file");
  });

  it("answers 413 when Content-Length exceeds files.max-size-bytes (default 50 MB)", async () => {
    const { id } = await source();
    const max = 52428800;
    await expectError(await put(id, "big.bin", new Uint8Array(max + 1)), 413, `File size ${max + 1} exceeds maximum ${max} bytes`);
  });

  it("answers 413 while streaming a body that has no Content-Length, and keeps no partial file", async () => {
    const { id } = await source();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 52428800) return controller.close();
        sent += 1 << 20;
        controller.enqueue(new Uint8Array(1 << 20));
      },
    });
    const response = await put(id, "big.bin", body);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/^File size \d+ exceeds maximum 52428800 bytes$/);
    await expectError(await call(`/sources/${id}/files/big.bin`), 404, "File not found");
  });

  it.each(["..%2Fescape.ts", "a%2F..%2F..%2Fescape.ts", "%20%2Fetc%2Fpasswd"])("answers 400 Path escapes base directory for %s", async (path) => {
    const { id } = await source();
    await expectError(await put(id, path, "x"), 400, "Path escapes base directory");
    await expectError(await call(`/sources/${id}/files/${path}`), 400, "Path escapes base directory");
    await expectError(await call(`/sources/${id}/files/${path}`, { method: "DELETE" }), 400, "Path escapes base directory");
  });

  it("answers 400 Invalid URL encoding in path for a broken escape", async () => {
    const { id } = await source();
    await expectError(await put(id, "100%.txt", "x"), 400, "Invalid URL encoding in path");
    await expectError(await call(`/sources/${id}/files/100%zz.txt`), 400, "Invalid URL encoding in path");
  });

  it("answers 403 for writes to a git source", async () => {
    const git = await source("git");
    const message = `Source '${git.name}' (type: git) is not editable`;
    await expectError(await put(git.id, "a.ts", "x"), 403, message);
    await expectError(await call(`/sources/${git.id}/files/a.ts`, jsonBody("POST", { content: "x" })), 403, message);
    await expectError(await call(`/sources/${git.id}/files/a.ts`, { method: "DELETE" }), 403, message);
  });

  it("answers 404 Source not found on every file route of an unknown source", async () => {
    await expectError(await call("/sources/nope/files"), 404, "Source not found");
    await expectError(await call("/sources/nope/files/a.ts"), 404, "Source not found");
    await expectError(await put("nope", "a.ts", "x"), 404, "Source not found");
    await expectError(await call("/sources/nope/files/a.ts", { method: "DELETE" }), 404, "Source not found");
  });
});

describe("file reads, listing and deletion", () => {
  it("GET serves raw bytes with the extension's Content-Type and Content-Length", async () => {
    const { id } = await source();
    await put(id, "handler.ts", "export default 1;");
    const response = await call(`/sources/${id}/files/handler.ts`, { headers: { Accept: "*/*" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/typescript");
    expect(response.headers.get("Content-Length")).toBe("17");
    expect(await response.text()).toBe("export default 1;");
  });

  it("GET with Accept: application/json answers the JSON envelope, base64 for binary types", async () => {
    const { id } = await source();
    await put(id, "a.json", '{"x":1}');
    await put(id, "img.png", new Uint8Array([137, 80, 78, 71]));
    const accept = { headers: { Accept: "application/json" } };
    expect(await (await call(`/sources/${id}/files/a.json`, accept)).json()).toEqual({
      path: "a.json",
      content: '{"x":1}',
      contentType: "application/json",
      size: 7,
      encoding: "utf-8",
    });
    expect(await (await call(`/sources/${id}/files/img.png`, accept)).json()).toEqual({
      path: "img.png",
      content: btoa(String.fromCharCode(137, 80, 78, 71)),
      contentType: "image/png",
      size: 4,
      encoding: "base64",
    });
    const both = await call(`/sources/${id}/files/a.json`, { headers: { Accept: "application/json, */*" } });
    expect(await both.text()).toBe('{"x":1}');
  });

  it("GET answers 404 File not found", async () => {
    const { id } = await source();
    await expectError(await call(`/sources/${id}/files/missing.ts`), 404, "File not found");
    await expectError(await call(`/sources/${id}/files/missing.ts`, { headers: { Accept: "application/json" } }), 404, "File not found");
  });

  it("lists files recursively, sorted by path, with size and mtime", async () => {
    const { id } = await source();
    await put(id, "z.ts", "zz");
    await put(id, "lib/a.ts", "a");
    const { files } = (await (await call(`/sources/${id}/files`)).json()) as { files: { path: string; size: number; mtime: string }[] };
    expect(files.map((f) => [f.path, f.size])).toEqual([["lib/a.ts", 1], ["z.ts", 2]]);
    for (const f of files) expect(new Date(f.mtime).toISOString()).toBe(f.mtime);
  });

  it("refuses writes inside .git, so listings never show .git paths", async () => {
    const { id } = await source();
    await expectError(await put(id, ".git/config", "x"), 400, "Paths inside .git are reserved");
    await put(id, ".gitignore", "node_modules");
    const { files } = (await (await call(`/sources/${id}/files`)).json()) as { files: { path: string }[] };
    expect(files.map((f) => f.path)).toEqual([".gitignore"]);
  });

  it("DELETE removes a file and answers 404 the second time", async () => {
    const { id } = await source();
    await put(id, "lib/a.ts", "a");
    const response = await call(`/sources/${id}/files/lib%2Fa.ts`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true, path: "lib/a.ts", deleted: true });
    await expectError(await call(`/sources/${id}/files/lib/a.ts`, { method: "DELETE" }), 404, "File not found");
    await expectError(await call(`/sources/${id}/files/lib/a.ts`), 404, "File not found");
  });
});

describe("GET /api/files/search", () => {
  it("finds handler files across sources by fuzzy match, best first", async () => {
    const one = await source();
    const two = await source();
    await put(one.id, "hello.ts", "x");
    await put(two.id, "lib/helpers/hello-world.js", "x");
    await put(two.id, "hello.md", "x");
    const response = await call(`/files/search?q=${encodeURIComponent(`${one.name}/hello`)}`);
    const { matches } = (await response.json()) as { matches: { path: string; score: number }[] };
    expect(matches[0]?.path).toBe(`${one.name}/hello.ts`);
    const all = (await (await call(`/files/search?q=hello&limit=50`)).json()) as { matches: { path: string }[] };
    const paths = all.matches.map((m) => m.path);
    expect(paths).not.toContain(`${two.name}/hello.md`);
  });

  it("answers 400 without q and for an invalid limit; caps limit at 50", async () => {
    await expectError(await call("/files/search"), 400, "Missing required query parameter: q");
    await expectError(await call("/files/search?q=a&limit=0"), 400, "Invalid limit parameter");
    await expectError(await call("/files/search?q=a&limit=abc"), 400, "Invalid limit parameter");
    const { id } = await source();
    for (let i = 0; i < 3; i++) await put(id, `cap${i}.ts`, "x");
    const { matches } = (await (await call("/files/search?q=cap&limit=2")).json()) as { matches: unknown[] };
    expect(matches).toHaveLength(2);
    expect((await call("/files/search?q=a&limit=500")).status).toBe(200);
  });
});
