import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, lte, type SQL, sql } from "drizzle-orm";
import { executionLogs, executionMetrics } from "../../../schema";
import type { LogFilter, LogLevel, LogLine, LogRecord, RawMetric } from "../logs/levels";
import { database } from "./client";
import { sqlBatch } from "./sql-batch";

/**
 * Rows are inserted as one JSON array per statement, expanded by SQLite's json_each: one bound
 * parameter however many rows (D1 binds at most 100), and far less work per row than a
 * parameter list. A statement's JSON stays under this many characters (D1 caps values at 2 MB).
 */
const MAX_JSON_CHARS = 1_000_000;

type LogRow = typeof executionLogs.$inferSelect;

/** JSON arrays of rows, each under MAX_JSON_CHARS (a single larger row still gets its own). */
function jsonChunks(rows: readonly unknown[][]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (current.length > 0 && size + text.length > MAX_JSON_CHARS) {
      out.push(`[${current.join(",")}]`);
      current = [];
      size = 0;
    }
    current.push(text);
    size += text.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(",")}]`);
  return out;
}

export function toLogRecord(row: LogRow): LogRecord {
  return {
    id: String(row.id),
    requestId: row.requestId,
    functionId: row.functionId ?? "",
    level: row.level as LogLevel,
    message: row.message,
    ...(row.args !== null && { args: row.args }),
    sequence: row.sequence,
    timestamp: row.timestamp,
  };
}

/**
 * Writes log lines (in order) and raw metrics in one transaction. With `returnIds`, answers the
 * new lines' ids in the lines' order (the live stream needs them); otherwise an empty list.
 */
export async function writeTelemetry(env: Pick<Env, "DB">, lines: readonly LogLine[], metrics: readonly RawMetric[], returnIds: boolean): Promise<number[]> {
  const statements: SQL[] = [];
  const lineChunks = jsonChunks(lines.map((l) => [l.requestId, l.functionId, l.level, l.message, l.args ?? null, l.sequence, l.timestamp]));
  for (const json of lineChunks) {
    statements.push(sql`INSERT INTO ${executionLogs} (request_id, function_id, level, message, args, sequence, timestamp)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM json_each(${json})
      ${returnIds ? sql`RETURNING id` : sql``}`);
  }
  for (const json of jsonChunks(metrics.map((m) => [m.functionId, m.durationUs, m.timestamp]))) {
    statements.push(sql`INSERT INTO ${executionMetrics} (function_id, type, avg_time, max_time, execution_count, timestamp, rolled_up)
      SELECT value ->> 0, 0, value ->> 1, value ->> 1, 1, value ->> 2, 0 FROM json_each(${json})`);
  }
  const results = await sqlBatch(env, statements);
  if (!returnIds) return [];
  return results
    .slice(0, lineChunks.length)
    .flatMap((rows) => rows.map((r) => Number(r.id)).sort((a, b) => a - b));
}

function filterConditions(filter: LogFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.functionId !== undefined) conditions.push(eq(executionLogs.functionId, filter.functionId));
  if (filter.requestId !== undefined) conditions.push(eq(executionLogs.requestId, filter.requestId));
  if (filter.levels !== undefined) conditions.push(inArray(executionLogs.level, filter.levels));
  return conditions;
}

export interface LogPage {
  records: LogRecord[];
  /** Whether lines older than the last record exist. */
  hasMore: boolean;
}

/**
 * One page of lines, newest first. `older` pages start below a cursor id (the spec's cursor);
 * `newer` pages hold the `limit` lines just above it (a real way back, which the original lacks).
 */
export async function listLogs(
  env: Pick<Env, "DB">,
  filter: LogFilter,
  limit: number,
  from?: { id: number; direction: "older" | "newer" },
): Promise<LogPage> {
  const db = database(env);
  const conditions = filterConditions(filter);
  if (from?.direction === "newer") {
    const rows = await db
      .select()
      .from(executionLogs)
      .where(and(...conditions, gt(executionLogs.id, from.id)))
      .orderBy(asc(executionLogs.id))
      .limit(limit)
      .all();
    rows.reverse();
    const oldest = rows.at(-1)?.id ?? from.id + 1;
    const below = await db
      .select({ id: executionLogs.id })
      .from(executionLogs)
      .where(and(...conditions, lt(executionLogs.id, oldest)))
      .limit(1)
      .all();
    return { records: rows.map(toLogRecord), hasMore: below.length > 0 };
  }
  const rows = await db
    .select()
    .from(executionLogs)
    .where(and(...conditions, ...(from === undefined ? [] : [lt(executionLogs.id, from.id)])))
    .orderBy(desc(executionLogs.id))
    .limit(limit + 1)
    .all();
  return { records: rows.slice(0, limit).map(toLogRecord), hasMore: rows.length > limit };
}

/** Lines after an id, oldest first: what a reconnecting live stream missed. */
export async function logsAfter(env: Pick<Env, "DB">, afterId: number, filter: LogFilter, limit: number): Promise<LogRecord[]> {
  const rows = await database(env)
    .select()
    .from(executionLogs)
    .where(and(...filterConditions(filter), gt(executionLogs.id, afterId)))
    .orderBy(asc(executionLogs.id))
    .limit(limit)
    .all();
  return rows.map(toLogRecord);
}

/** The statement deleting one function's lines, for batches (deleting a function). */
export function deleteLogsStatement(env: Pick<Env, "DB">, functionId: string) {
  return database(env).delete(executionLogs).where(eq(executionLogs.functionId, functionId));
}

/** Deletes one function's lines; answers how many. */
export async function deleteFunctionLogs(env: Pick<Env, "DB">, functionId: string): Promise<number> {
  const result = await deleteLogsStatement(env, functionId).run();
  return result.meta.changes;
}

/**
 * Log trimming (spec §9.1): drops lines older than `retentionSeconds` (0 keeps them), then
 * keeps only the newest `maxPerFunction` lines of each function.
 */
export async function trimLogs(
  env: Pick<Env, "DB">,
  nowMs: number,
  retentionSeconds: number,
  maxPerFunction: number,
): Promise<{ expired: number; trimmed: number }> {
  const db = database(env);
  let expired = 0;
  if (retentionSeconds > 0) {
    const cutoff = new Date(nowMs - retentionSeconds * 1000).toISOString();
    expired = (await db.delete(executionLogs).where(lt(executionLogs.timestamp, cutoff)).run()).meta.changes;
  }
  const crowded = await db
    .select({ functionId: executionLogs.functionId, lines: count() })
    .from(executionLogs)
    .where(isNotNull(executionLogs.functionId))
    .groupBy(executionLogs.functionId)
    .having(({ lines }) => gt(lines, maxPerFunction))
    .all();
  let trimmed = 0;
  for (const { functionId } of crowded) {
    if (functionId === null) continue;
    const boundary = await db
      .select({ id: executionLogs.id })
      .from(executionLogs)
      .where(eq(executionLogs.functionId, functionId))
      .orderBy(desc(executionLogs.id))
      .limit(1)
      .offset(maxPerFunction)
      .get();
    if (boundary === undefined) continue;
    const deleted = await db
      .delete(executionLogs)
      .where(and(eq(executionLogs.functionId, functionId), lte(executionLogs.id, boundary.id)))
      .run();
    trimmed += deleted.meta.changes;
  }
  return { expired, trimmed };
}
