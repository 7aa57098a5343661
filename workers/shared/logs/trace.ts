import { droppedLinesMessage, MAX_BYTES_PER_CALL, MAX_LINES_PER_CALL, truncateField } from "./limits";
import type { CallOutcome, LogLevel, LogLine } from "./levels";

/** Levels a function isolate may ship; exec_* lines are the router's alone. */
const CAPTURED_LEVELS: readonly string[] = ["log", "debug", "info", "warn", "error", "trace", "stdout", "stderr"];

/** 2001-09-09: any earlier timestamp is a clock that had not started. */
const SANE_TIME = 1_000_000_000_000;

/** A console line as the function isolate captured it. */
export interface CapturedEntry {
  level: string;
  message: string;
  args?: string;
  timestamp: string;
}

/** One call, as the router sees it. */
export interface CallInfo {
  requestId: string;
  functionId: string;
  method: string;
  /** The URL as the function sees it (without `/run`). */
  url: string;
  startedAt: number;
}

function line(call: CallInfo, level: LogLevel, message: string, sequence: number, timestamp: number, args?: string): LogLine {
  const base = { requestId: call.requestId, functionId: call.functionId, level, message, sequence, timestamp: new Date(timestamp).toISOString() };
  return args === undefined ? base : { ...base, args };
}

/** `exec_start` (spec §2.7): method and URL, with origin, key group and content length. */
export function execStart(call: CallInfo, headers: Headers, keyGroup?: string): LogLine {
  const args = JSON.stringify({
    origin: headers.get("Origin") ?? headers.get("Referer") ?? "",
    keyGroup: keyGroup ?? "",
    contentLength: headers.get("Content-Length") ?? "0",
  });
  return line(call, "exec_start", `${call.method} ${call.url}`, 0, call.startedAt, args);
}

/** `exec_reject`: the call was refused for a missing or invalid key. */
export function execReject(call: CallInfo): LogLine {
  return line(call, "exec_reject", `${call.method} ${call.url}`, 0, call.startedAt, JSON.stringify({ reason: "invalid_api_key" }));
}

/** `exec_end`: `<ms>ms`, `<ms>ms (error)` or `<ms>ms (load error)`. */
export function execEnd(call: CallInfo, endedAt: number, outcome: CallOutcome, sequence: number): LogLine {
  const ms = Math.max(0, Math.round(endedAt - call.startedAt));
  const suffix = outcome === "error" ? " (error)" : outcome === "load-error" ? " (load error)" : "";
  return line(call, "exec_end", `${ms}ms${suffix}`, sequence, endedAt);
}

/**
 * Turns what an isolate shipped into stored lines numbered from `firstSequence`, enforcing the
 * per-call cap again (`alreadyKept` lines of this call were stored before) and cutting fields.
 */
export function capturedLines(call: CallInfo, entries: readonly CapturedEntry[], firstSequence: number, alreadyKept = 0): LogLine[] {
  const out: LogLine[] = [];
  let bytes = 0;
  let dropped = 0;
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null || !CAPTURED_LEVELS.includes(entry.level)) continue;
    const message = truncateField(String(entry.message));
    const args = typeof entry.args === "string" ? truncateField(entry.args) : undefined;
    bytes += message.length + (args?.length ?? 0);
    if (alreadyKept + out.length >= MAX_LINES_PER_CALL || bytes > MAX_BYTES_PER_CALL) {
      // The isolate's own note about what it dropped is kept, and counted with ours.
      if (entry.level === "warn" && /^\d+ log line\(s\) dropped: /.test(message)) dropped += Number.parseInt(message, 10);
      else dropped++;
      continue;
    }
    // Module top level runs before workerd's clock starts (it reads 1970): use the call's start.
    const at = Date.parse(entry.timestamp);
    out.push(line(call, entry.level as LogLevel, message, firstSequence + out.length, at > SANE_TIME ? at : call.startedAt, args));
  }
  if (dropped > 0) out.push(line(call, "warn", droppedLinesMessage(dropped), firstSequence + out.length, Date.now()));
  return out;
}
