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
