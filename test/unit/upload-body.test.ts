import { describe, expect, it } from "vitest";
import { HttpError } from "../../workers/shared/errors";
import { readUploadBody } from "../../workers/shared/upload-body";

const put = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://x/api/sources/s/files/a", { method: "PUT", body, headers, duplex: "half" } as RequestInit);
const bytesOf = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());
const json = (body: unknown) => put(JSON.stringify(body), { "Content-Type": "application/json; charset=utf-8" });

async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected a failure");
}

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.subarray(i, i + 7));
      controller.close();
    },
  });
}

describe("readUploadBody", () => {
  it("passes raw bodies through as they are", async () => {
    expect(await bytesOf(await readUploadBody(put(new Uint8Array([0, 1, 2])), 10))).toEqual(new Uint8Array([0, 1, 2]));
    expect(await bytesOf(await readUploadBody(put(null), 10))).toEqual(new Uint8Array(0));
  });

  it("refuses a declared Content-Length above the maximum before reading", async () => {
    expect(await failure(readUploadBody(put("x", { "Content-Length": "11" }), 10))).toEqual({
      status: 413,
      message: "File size 11 exceeds maximum 10 bytes",
    });
  });

  it("decodes JSON envelopes (utf-8 by default, text, base64)", async () => {
    expect(await bytesOf(await readUploadBody(json({ content: "hé" }), 10))).toEqual(new TextEncoder().encode("hé"));
    expect(await bytesOf(await readUploadBody(json({ content: "t", encoding: "text" }), 10))).toEqual(new TextEncoder().encode("t"));
    expect(await bytesOf(await readUploadBody(json({ content: "AAEC/w==", encoding: "base64" }), 10))).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it("checks the decoded size of an envelope sent without Content-Length", async () => {
    const body = JSON.stringify({ content: "A".repeat(16), encoding: "base64" });
    const request = put(chunked(body), { "Content-Type": "application/json" });
    expect(await failure(readUploadBody(request, 10))).toEqual({ status: 413, message: "File size 12 exceeds maximum 10 bytes" });
  });

  it("stops reading an envelope that grows far past the maximum", async () => {
    const request = put(chunked(JSON.stringify({ content: "x".repeat(200_000) })), { "Content-Type": "application/json" });
    expect((await failure(readUploadBody(request, 10))).status).toBe(413);
  });

  it.each([
    [{}, "Missing required field: content"],
    [{ content: 1 }, "Missing required field: content"],
    [{ content: "!!", encoding: "base64" }, "Invalid base64 content"],
    [{ content: "A", encoding: "base64" }, "Invalid base64 content"],
    [{ content: "x", encoding: "utf-16" }, 'Unsupported encoding: utf-16. Use "base64" or "utf-8"'],
    [[1], "Invalid JSON body"],
  ])("answers 400 for the envelope %j", async (body, message) => {
    expect(await failure(readUploadBody(json(body), 100))).toEqual({ status: 400, message });
  });

  it("answers 400 Invalid JSON body for an unparsable envelope", async () => {
    expect(await failure(readUploadBody(put("{x", { "Content-Type": "application/json" }), 100))).toEqual({ status: 400, message: "Invalid JSON body" });
  });

  it("takes the file part of a multipart body, or a content field", async () => {
    const withFile = new FormData();
    withFile.set("file", new Blob([new Uint8Array([9, 8])]), "a.bin");
    expect(await bytesOf(await readUploadBody(new Request("http://x/", { method: "PUT", body: withFile }), 10))).toEqual(new Uint8Array([9, 8]));
    const withContent = new FormData();
    withContent.set("content", "text");
    expect(await bytesOf(await readUploadBody(new Request("http://x/", { method: "PUT", body: withContent }), 10))).toEqual(new TextEncoder().encode("text"));
  });

  it("answers 413 for a multipart file part above the maximum and 400 without a field", async () => {
    const big = new FormData();
    big.set("file", new Blob([new Uint8Array(20)]), "a.bin");
    // The envelope's own Content-Length is above 10 too; allow for it and check the part.
    expect((await failure(readUploadBody(new Request("http://x/", { method: "PUT", body: big }), 15))).status).toBe(413);
    expect(await failure(readUploadBody(new Request("http://x/", { method: "PUT", body: new FormData() }), 1000))).toEqual({
      status: 400,
      message: "Missing required field: file",
    });
  });

  it("answers 400 for a body that claims to be multipart but is not", async () => {
    const request = put("garbage", { "Content-Type": "multipart/form-data; boundary=zzz" });
    expect(await failure(readUploadBody(request, 1000))).toEqual({ status: 400, message: "Invalid multipart body" });
  });
});
