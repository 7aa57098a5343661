import { describe, expect, it } from "vitest";
import { MAX_LINES_PER_CALL } from "../../workers/shared/logs/limits";
import { type CallInfo, capturedLines, execEnd, execReject, execStart } from "../../workers/shared/logs/trace";

const call: CallInfo = { requestId: "r1", functionId: "f1", method: "POST", url: "http://x/hello?a=1", startedAt: Date.parse("2026-12-04T10:00:00.000Z") };

describe("a call's trace (spec §2.7)", () => {
  it("exec_start carries origin (or referer), key group and content length", () => {
    const start = execStart(call, new Headers({ Referer: "http://site/", "Content-Length": "12" }), "ops");
    expect(start).toEqual({
      requestId: "r1",
      functionId: "f1",
      level: "exec_start",
      message: "POST http://x/hello?a=1",
      args: '{"origin":"http://site/","keyGroup":"ops","contentLength":"12"}',
      sequence: 0,
      timestamp: "2026-12-04T10:00:00.000Z",
    });
    expect(execStart(call, new Headers()).args).toBe('{"origin":"","keyGroup":"","contentLength":"0"}');
  });

  it.each([
    ["ok", "7ms"],
    ["error", "7ms (error)"],
    ["load-error", "7ms (load error)"],
  ] as const)("exec_end for %s reads %s", (outcome, message) => {
    expect(execEnd(call, call.startedAt + 7.4, outcome, 3)).toMatchObject({ level: "exec_end", message, sequence: 3 });
    expect(execEnd(call, call.startedAt, outcome, 1).args).toBeUndefined();
  });

  it("exec_reject names the reason", () => {
    expect(execReject(call)).toMatchObject({ level: "exec_reject", message: "POST http://x/hello?a=1", args: '{"reason":"invalid_api_key"}' });
  });

  it("numbers shipped lines on, drops platform levels and keeps the isolate's clockless lines at the call's start", () => {
    const lines = capturedLines(
      call,
      [
        { level: "log", message: "a", args: "[1]", timestamp: "2026-12-04T10:00:01.000Z" },
        { level: "exec_end", message: "forged", timestamp: "2026-12-04T10:00:01.000Z" },
        { level: "info", message: "top level", timestamp: "1970-01-01T00:00:00.000Z" },
      ],
      1,
    );
    expect(lines.map((l) => [l.level, l.message, l.sequence, l.timestamp])).toEqual([
      ["log", "a", 1, "2026-12-04T10:00:01.000Z"],
      ["info", "top level", 2, "2026-12-04T10:00:00.000Z"],
    ]);
  });

  it("enforces the per-call cap again and says how many lines it dropped, counting the isolate's own note", () => {
    const entries = Array.from({ length: MAX_LINES_PER_CALL + 5 }, (_, i) => ({ level: "log", message: `l${i}`, timestamp: new Date().toISOString() }));
    entries.push({ level: "warn", message: "100 log line(s) dropped: a call keeps at most …", timestamp: new Date().toISOString() });
    const lines = capturedLines(call, entries, 1);
    expect(lines).toHaveLength(MAX_LINES_PER_CALL + 1);
    expect(lines.at(-1)?.message).toMatch(/^105 log line\(s\) dropped: /);
    expect(capturedLines(call, [{ level: "log", message: "x", timestamp: "" }], 900, 999)).toHaveLength(1);
    expect(capturedLines(call, [{ level: "log", message: "x", timestamp: "" }], 1001, MAX_LINES_PER_CALL)[0]?.level).toBe("warn");
  });
});
