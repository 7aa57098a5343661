import { AsyncLocalStorage } from "node:async_hooks";

/** One captured console call (spec §2.7). */
export interface ConsoleEntry {
  level: Level;
  message: string;
  /** JSON array of the remaining arguments; absent when there were none. */
  args?: string;
  timestamp: string;
}

const LEVELS = ["log", "debug", "info", "warn", "error", "trace"] as const;
type Level = (typeof LEVELS)[number];

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
 * Per-request console capture: inside `run()`, console calls land in that request's list and
 * are not printed; outside any request they reach the real console. Async-local, so output of
 * promises that outlive the response still lands in the request that started them.
 */
export class ConsoleCapture {
  readonly #storage = new AsyncLocalStorage<ConsoleEntry[]>();
  #original: Partial<Record<Level, (...args: unknown[]) => void>> = {};

  /** Replaces the console methods of `target` (the global console in the isolate). */
  install(target: Console): void {
    for (const level of LEVELS) {
      const original = target[level].bind(target);
      this.#original[level] = original;
      target[level] = (...args: unknown[]) => {
        const entries = this.#storage.getStore();
        if (entries === undefined) original(...args);
        else entries.push(toEntry(level, args));
      };
    }
  }

  /** Prints to the real console, never captured: for the platform's own messages. */
  print(level: Level, ...args: unknown[]): void {
    (this.#original[level] ?? console[level])(...args);
  }

  run<T>(entries: ConsoleEntry[], fn: () => T): T {
    return this.#storage.run(entries, fn);
  }
}
