/**
 * Upload bodies of file writes (spec §5.5), by Content-Type: a JSON envelope
 * `{content, encoding}`, multipart with a `file` or `content` field, or raw bytes. Answers a
 * stream for the SourceStore; raw bodies are passed through unread, so their size limit is
 * enforced by the store while streaming.
 */
import { base64Decode } from "./crypto";
import { HttpError } from "./errors";
import { concatBytes } from "./bytes";

/** The spec's 413. */
export function fileTooLarge(size: number, maxBytes: number): HttpError {
  return new HttpError(413, `File size ${size} exceeds maximum ${maxBytes} bytes`);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Reads a whole body, refusing more than `limit` bytes (a body without Content-Length may be any size). */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const pieces: Uint8Array[] = [];
  let total = 0;
  if (body !== null) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw fileTooLarge(total, maxBytes);
      }
      pieces.push(value);
    }
  }
  return concatBytes(pieces, total);
}

/** Bytes of an envelope may exceed the file's size (base64, JSON escapes), but not by much. */
function envelopeLimit(maxBytes: number): number {
  return Math.ceil((maxBytes * 4) / 3) + 64 * 1024;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeContent(content: string, encoding: unknown): Uint8Array {
  if (encoding === undefined || encoding === null || encoding === "utf-8" || encoding === "text") {
    return new TextEncoder().encode(content);
  }
  if (encoding === "base64") {
    const compact = content.replace(/\s+/g, "");
    if (compact.length % 4 === 1 || !BASE64.test(compact)) throw new HttpError(400, "Invalid base64 content");
    try {
      return base64Decode(compact);
    } catch {
      throw new HttpError(400, "Invalid base64 content");
    }
  }
  throw new HttpError(400, `Unsupported encoding: ${String(encoding)}. Use "base64" or "utf-8"`);
}

async function fromJson(request: Request, maxBytes: number): Promise<Uint8Array> {
  const text = new TextDecoder().decode(await readLimited(request.body, envelopeLimit(maxBytes), maxBytes));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "Invalid JSON body");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "Invalid JSON body");
  const { content, encoding } = body as Record<string, unknown>;
  if (typeof content !== "string") throw new HttpError(400, "Missing required field: content");
  return decodeContent(content, encoding);
}

async function fromMultipart(request: Request, contentType: string, declared: number | null, maxBytes: number) {
  let form: FormData;
  try {
    // Without a Content-Length the body is read with a cap first, so it cannot grow unbounded.
    form =
      declared === null
        ? await new Response(await readLimited(request.body, envelopeLimit(maxBytes), maxBytes), {
            headers: { "Content-Type": contentType },
          }).formData()
        : await request.formData();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, "Invalid multipart body");
  }
  const field = form.get("file") ?? form.get("content");
  if (field === null) throw new HttpError(400, "Missing required field: file");
  if (typeof field === "string") return new TextEncoder().encode(field);
  if (field.size > maxBytes) throw fileTooLarge(field.size, maxBytes);
  return field.stream();
}

/**
 * The content to store, as a stream. Throws 413 when Content-Length or a decoded body
 * exceeds `maxBytes`, 400 for a malformed envelope.
 */
export async function readUploadBody(request: Request, maxBytes: number): Promise<ReadableStream<Uint8Array>> {
  const lengthHeader = request.headers.get("Content-Length");
  const declared = lengthHeader !== null && /^\d+$/.test(lengthHeader.trim()) ? Number(lengthHeader.trim()) : null;
  if (declared !== null && declared > maxBytes) throw fileTooLarge(declared, maxBytes);
  const contentType = request.headers.get("Content-Type") ?? "";
  const mediaType = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  let content: Uint8Array | ReadableStream<Uint8Array>;
  if (mediaType === "application/json") content = await fromJson(request, maxBytes);
  else if (mediaType === "multipart/form-data") content = await fromMultipart(request, contentType, declared, maxBytes);
  else return request.body ?? streamOf(new Uint8Array(0));
  if (content instanceof ReadableStream) return content;
  if (content.byteLength > maxBytes) throw fileTooLarge(content.byteLength, maxBytes);
  return streamOf(content);
}
