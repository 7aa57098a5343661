import { HttpError } from "../errors";
import { isValidId } from "../ids";
import { decodeCursor, type LogCursor } from "./cursor";
import { isLogLevel, LOG_LEVELS, type LogFilter, type LogLevel } from "./levels";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

/** `GET /api/logs` query, validated (spec §9.2). */
export interface LogQuery {
  filter: LogFilter;
  limit: number;
  cursor?: LogCursor;
}

function optional(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === "" ? undefined : value;
}

/** `functionId` and `level`, shared by the listing and the live stream. */
export function parseLogFilter(params: URLSearchParams): LogFilter {
  const filter: LogFilter = {};
  const functionId = optional(params, "functionId");
  if (functionId !== undefined) {
    if (!isValidId(functionId)) throw new HttpError(400, "Invalid functionId parameter");
    filter.functionId = functionId;
  }
  const requestId = optional(params, "requestId");
  if (requestId !== undefined) {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(requestId)) throw new HttpError(400, "Invalid requestId parameter");
    filter.requestId = requestId;
  }
  const level = optional(params, "level");
  if (level !== undefined) {
    const wanted = level.split(",").map((l) => l.trim()).filter((l) => l !== "");
    const invalid = wanted.filter((l) => !isLogLevel(l));
    if (invalid.length > 0) {
      throw new HttpError(400, `Invalid level values: ${invalid.join(", ")}. Valid levels: ${LOG_LEVELS.join(", ")}`);
    }
    if (wanted.length > 0) filter.levels = [...new Set(wanted as LogLevel[])];
  }
  return filter;
}

export function parseLogQuery(params: URLSearchParams): LogQuery {
  const filter = parseLogFilter(params);
  let limit = DEFAULT_LIMIT;
  const rawLimit = params.get("limit");
  if (rawLimit !== null) {
    limit = /^\s*\d+\s*$/.test(rawLimit) ? Number.parseInt(rawLimit, 10) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new HttpError(400, `Invalid limit parameter. Must be between 1 and ${MAX_LIMIT}`);
  }
  const rawCursor = optional(params, "cursor");
  return rawCursor === undefined ? { filter, limit } : { filter, limit, cursor: decodeCursor(rawCursor) };
}

/** A relative `/api/logs` link with the same filters and limit and the given cursor. */
export function pageLink(query: LogQuery, cursor: string): string {
  const params = new URLSearchParams();
  if (query.filter.functionId !== undefined) params.set("functionId", query.filter.functionId);
  if (query.filter.requestId !== undefined) params.set("requestId", query.filter.requestId);
  if (query.filter.levels !== undefined) params.set("level", query.filter.levels.join(","));
  params.set("limit", String(query.limit));
  params.set("cursor", cursor);
  return `/api/logs?${params.toString()}`;
}
