import { HttpError } from "../errors";

/**
 * A page cursor (spec §9.2): base64 of JSON `{"timestamp","sequence"}` of a row, plus its
 * `id`, which is what paging uses — ids are the insertion order, so no row is skipped or
 * repeated even when many share a millisecond. A `prev` cursor says `"direction":"newer"`: it
 * pages back towards newer lines instead of repeating the spec's older-than-first rows.
 */
export interface LogCursor {
  id: number;
  timestamp: string;
  sequence: number;
  direction: "older" | "newer";
}

export function encodeCursor(cursor: LogCursor): string {
  const { timestamp, sequence, id, direction } = cursor;
  return btoa(JSON.stringify({ timestamp, sequence, id: String(id), ...(direction === "newer" && { direction }) }));
}

/** Decodes a cursor; anything else is the spec's 400 `Invalid cursor format`. */
export function decodeCursor(text: string): LogCursor {
  const invalid = new HttpError(400, "Invalid cursor format");
  let parsed: unknown;
  try {
    // A "+" pasted into a query string arrives as a space.
    parsed = JSON.parse(atob(text.replace(/ /g, "+")));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== "object" || parsed === null) throw invalid;
  const { id, timestamp, sequence, direction = "older" } = parsed as Record<string, unknown>;
  const numericId = typeof id === "string" && /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(numericId)) throw invalid;
  if (typeof timestamp !== "string" || Number.isNaN(Date.parse(timestamp))) throw invalid;
  if (typeof sequence !== "number" || !Number.isInteger(sequence)) throw invalid;
  if (direction !== "older" && direction !== "newer") throw invalid;
  return { id: numericId, timestamp, sequence, direction };
}
