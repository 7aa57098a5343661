import { HttpError } from "./errors";

/** Parses a JSON body; anything unparsable is the spec's 400 `Invalid JSON body`. */
export async function readJson(request: Request): Promise<unknown> {
  let text: string;
  try {
    text = await request.text();
  } catch {
    throw new HttpError(400, "Invalid JSON body");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "Invalid JSON body");
  }
}

/** Parses a JSON body that must be an object. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const body = await readJson(request);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "Invalid JSON body");
  }
  return body as Record<string, unknown>;
}

/** Decodes one URL path segment; a broken escape is a 400, not a 500. */
export function decodeSegment(segment: string, message = "Invalid URL encoding in path"): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, message);
  }
}

/** Largest unread body still read and dropped before an early answer. */
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads and drops a request body nobody read. Answering before the body is read (a 401, a 413
 * on Content-Length) lets many clients — Node's fetch among them — fail with EPIPE instead of
 * reading the answer. Bodies of unknown or larger declared size are left alone.
 */
export async function discardUnreadBody(request: Request): Promise<void> {
  if (request.bodyUsed || request.body === null) return;
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (!(declared <= DISCARD_LIMIT_BYTES)) return;
  const reader = request.body.getReader();
  try {
    for (;;) if ((await reader.read()).done) return;
  } catch {
    // The client went away; the answer is all that is left to give.
  }
}
