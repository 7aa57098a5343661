import { AsyncLocalStorage } from "node:async_hooks";
import { droppedLinesMessage, MAX_BYTES_PER_CALL, MAX_LINES_PER_CALL, truncateField } from "../shared/logs/limits";

/** One captured console call (spec §2.7). */
export interface ConsoleEntry {
  level: Level | StreamLevel;
  message: string;
  /** JSON array of the remaining arguments; absent when there were none. */
  args?: string;
  timestamp: string;
}

const LEVELS = ["log", "debug", "info", "warn", "error", "trace"] as const;
type Level = (typeof LEVELS)[number];
type StreamLevel = "stdout" | "stderr";

/** A writable like Node's process.stdout, as far as capture needs it. */
interface WritableLike {
  write(chunk: unknown, ...rest: unknown[]): unknown;
}

/** The text of one stream write, with one trailing newline removed (spec §2.7). */
export function streamText(chunk: unknown): string {
  const text =
    typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : String(chunk);
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

/** Formats one console argument the way the original stores it. */
export function formatArgument(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function serializeRest(values: unknown[]): string {
  try {
    return JSON.stringify(values.map((v) => (v === undefined ? null : v)));
  } catch {
    return JSON.stringify(values.map(formatArgument));
  }
}

/** Turns the arguments of one console call into an entry. */
export function toEntry(level: Level, args: unknown[]): ConsoleEntry {
  const [first, ...rest] = args;
  const entry: ConsoleEntry = { level, message: formatArgument(first), timestamp: new Date().toISOString() };
  if (rest.length > 0) entry.args = serializeRest(rest);
  return entry;
}

/**
 * The console output of one call, capped (shared/logs/limits.ts): past the cap lines are only
 * counted — not even formatted — and the next take() ends with one line saying how many.
 */
export class CallLog {
  #entries: ConsoleEntry[] = [];
  #kept = 0;
  #bytes = 0;
  #dropped = 0;

  get isFull(): boolean {
    return this.#kept >= MAX_LINES_PER_CALL || this.#bytes >= MAX_BYTES_PER_CALL;
  }

  /** Lines captured and not taken yet. */
  get size(): number {
    return this.#entries.length;
  }

  push(entry: ConsoleEntry): void {
    const message = truncateField(entry.message);
    const args = entry.args === undefined ? undefined : truncateField(entry.args);
    const bytes = message.length + (args?.length ?? 0);
    if (this.isFull || this.#bytes + bytes > MAX_BYTES_PER_CALL) {
      this.drop();
      return;
    }
    this.#kept++;
    this.#bytes += bytes;
    this.#entries.push({ ...entry, message, ...(args !== undefined && { args }) });
  }

  drop(): void {
    this.#dropped++;
  }

  /** Everything captured since the last take, oldest first, with a note on lines dropped meanwhile. */
  take(): ConsoleEntry[] {
    const taken = this.#entries.splice(0);
    if (this.#dropped > 0) {
      taken.push({ level: "warn", message: droppedLinesMessage(this.#dropped), timestamp: new Date().toISOString() });
      this.#dropped = 0;
    }
    return taken;
  }
}

/**
 * Per-request console capture: inside `run()`, console calls land in that call's log and are
 * not printed; outside any call they reach the real console. Async-local, so output of
 * promises that outlive the response (and of module top level, run by the first call) still
 * lands in the call that started them.
 */
export class ConsoleCapture {
  readonly #storage = new AsyncLocalStorage<CallLog>();
  #original: Partial<Record<Level, (...args: unknown[]) => void>> = {};

  /** Replaces the console methods of `target` (the global console in the isolate). */
  install(target: Console): void {
    for (const level of LEVELS) {
      const original = target[level].bind(target);
      this.#original[level] = original;
      target[level] = (...args: unknown[]) => {
        const log = this.#storage.getStore();
        if (log === undefined) original(...args);
        else if (log.isFull) log.drop();
        else log.push(toEntry(level, args));
      };
    }
  }

  /**
   * Captures writes to `process.stdout` / `process.stderr` (nodejs_compat) the same way, as
   * `stdout` / `stderr` lines; empty writes are skipped.
   */
  installStreams(streams: Partial<Record<StreamLevel, WritableLike | undefined>>): void {
    for (const level of ["stdout", "stderr"] as const) {
      const stream = streams[level];
      if (stream === undefined || typeof stream.write !== "function") continue;
      const original = stream.write.bind(stream);
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        const log = this.#storage.getStore();
        if (log === undefined) return original(chunk, ...rest);
        const text = streamText(chunk);
        if (text !== "") {
          if (log.isFull) log.drop();
          else log.push({ level, message: text, timestamp: new Date().toISOString() });
        }
        const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
        callback?.();
        return true;
      };
    }
  }

  /** Prints to the real console, never captured: for the platform's own messages. */
  print(level: Level, ...args: unknown[]): void {
    (this.#original[level] ?? console[level])(...args);
  }

  run<T>(log: CallLog, fn: () => T): T {
    return this.#storage.run(log, fn);
  }
}
