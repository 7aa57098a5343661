import { describe, expect, it } from "vitest";
import { HttpError } from "../../workers/shared/errors";
import { decodeCursor, encodeCursor } from "../../workers/shared/logs/cursor";
import { pageLink, parseLogQuery } from "../../workers/shared/logs/query";

const query = (q: string) => parseLogQuery(new URLSearchParams(q));

function rejection(q: string): { status: number; message: string } {
  try {
    query(q);
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("no error");
}

describe("GET /api/logs query (spec §9.2)", () => {
  it("defaults to 50 lines without filters", () => {
    expect(query("")).toEqual({ filter: {}, limit: 50 });
  });

  it("takes functionId, requestId, a comma-separated level list and limit", () => {
    expect(query("functionId=abc_1&level=log,error,exec_end&limit=1000&requestId=r-1")).toEqual({
      filter: { functionId: "abc_1", requestId: "r-1", levels: ["log", "error", "exec_end"] },
      limit: 1000,
    });
  });

  it.each([
    ["functionId=a.b", "Invalid functionId parameter"],
    ["level=log,loud,quiet", "Invalid level values: loud, quiet. Valid levels: log, debug, info, warn, error, trace, stdout, stderr, exec_start, exec_end, exec_reject"],
    ["limit=0", "Invalid limit parameter. Must be between 1 and 1000"],
    ["limit=1001", "Invalid limit parameter. Must be between 1 and 1000"],
    ["limit=abc", "Invalid limit parameter. Must be between 1 and 1000"],
    ["limit=5.5", "Invalid limit parameter. Must be between 1 and 1000"],
    ["cursor=not-base64!", "Invalid cursor format"],
    [`cursor=${btoa("[1,2]")}`, "Invalid cursor format"],
    [`cursor=${btoa(JSON.stringify({ timestamp: "x", sequence: 0, id: "5" }))}`, "Invalid cursor format"],
    [`cursor=${btoa(JSON.stringify({ timestamp: "2026-01-01T00:00:00.000Z", sequence: 0 }))}`, "Invalid cursor format"],
    [`cursor=${btoa(JSON.stringify({ timestamp: "2026-01-01T00:00:00.000Z", sequence: 0, id: "5", direction: "up" }))}`, "Invalid cursor format"],
  ])("answers 400 for %s", (q, message) => {
    expect(rejection(q)).toEqual({ status: 400, message });
  });

  it("round-trips a cursor, also when its + arrives as a space", () => {
    const cursor = { id: 123, timestamp: "2026-12-04T10:00:00.000Z", sequence: 3, direction: "older" as const };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    const back = { ...cursor, direction: "newer" as const };
    expect(decodeCursor(encodeCursor(back).replace(/\+/g, " "))).toEqual(back);
    expect(JSON.parse(atob(encodeCursor(cursor)))).toEqual({ timestamp: cursor.timestamp, sequence: 3, id: "123" });
  });

  it("builds relative links that keep every filter", () => {
    const q = query("functionId=f1&level=warn,error&limit=10");
    expect(pageLink(q, "abc+/=")).toBe("/api/logs?functionId=f1&level=warn%2Cerror&limit=10&cursor=abc%2B%2F%3D");
  });
});
