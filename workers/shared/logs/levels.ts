/** Every level a stored log line can have (spec §2.7, §9.1). */
export const LOG_LEVELS = [
  "log",
  "debug",
  "info",
  "warn",
  "error",
  "trace",
  "stdout",
  "stderr",
  "exec_start",
  "exec_end",
  "exec_reject",
] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** One log line as it is stored, before it has an id. */
export interface LogLine {
  requestId: string;
  functionId: string | null;
  level: LogLevel;
  message: string;
  /** JSON text; absent when the line has none. */
  args?: string;
  /** Position of the line within its call: exec_start is 0. */
  sequence: number;
  /** ISO-8601. */
  timestamp: string;
}

/** A stored log line in the API's shape (spec §9.2). */
export interface LogRecord {
  id: string;
  requestId: string;
  /** Empty when the line belongs to no function. */
  functionId: string;
  level: LogLevel;
  message: string;
  args?: string;
  sequence: number;
  timestamp: string;
}

/** One execution's raw metric (spec §9.4). */
export interface RawMetric {
  functionId: string;
  durationUs: number;
  /** Epoch milliseconds, when the execution ended. */
  timestamp: number;
}

/** Which lines a listing or a stream wants. */
export interface LogFilter {
  functionId?: string;
  requestId?: string;
  levels?: LogLevel[];
}

export function matchesFilter(record: Pick<LogRecord, "functionId" | "requestId" | "level">, filter: LogFilter): boolean {
  if (filter.functionId !== undefined && record.functionId !== filter.functionId) return false;
  if (filter.requestId !== undefined && record.requestId !== filter.requestId) return false;
  return filter.levels === undefined || filter.levels.includes(record.level);
}

/** How a call ended, as exec_end reports it. */
export type CallOutcome = "ok" | "error" | "load-error";
