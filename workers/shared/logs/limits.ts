/**
 * The per-call cap on captured output, applied in the function isolate (so a runaway logger
 * costs neither memory nor RPC traffic) and again in the router (which trusts no isolate).
 * Past either limit lines are counted, not kept, and one final `warn` line says how many.
 */
export const MAX_LINES_PER_CALL = 1000;
export const MAX_BYTES_PER_CALL = 1024 * 1024;
/** Longer messages and args are cut to this many characters. */
export const MAX_FIELD_CHARS = 8192;

export function truncateField(text: string): string {
  return text.length <= MAX_FIELD_CHARS ? text : `${text.slice(0, MAX_FIELD_CHARS)}… [truncated ${text.length - MAX_FIELD_CHARS} chars]`;
}

export function droppedLinesMessage(dropped: number): string {
  return `${dropped} log line(s) dropped: a call keeps at most ${MAX_LINES_PER_CALL} lines and ${MAX_BYTES_PER_CALL / 1024} KiB of output`;
}
