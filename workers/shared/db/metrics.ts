import { sql, type SQL } from "drizzle-orm";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  PERIOD_MS,
  periodStart,
  type Resolution,
  RESOLUTION_TYPE,
  windowStart,
} from "../metric-periods";
import { database } from "./client";
import { sqlBatch } from "./sql-batch";

// Every statement here reads and writes execution_metrics (schema/metrics.ts explains the
// row types and the rolled_up flag). Period lengths are our constants, inlined as literals.

/** Rolls complete periods of row type `from` into rows of type `to`, per function and global. */
function rollUp(from: 0 | 1 | 2, to: 1 | 2 | 3, periodMs: number, end: number): SQL[] {
  const bucket = sql.raw(`timestamp - (timestamp % ${periodMs})`);
  const source = sql`type = ${from} AND rolled_up = 0 AND timestamp < ${end}`;
  const aggregate = sql`${to}, SUM(avg_time * execution_count) / SUM(execution_count), MAX(max_time), SUM(execution_count), ${bucket} AS bucket, 0`;
  const insert = sql.raw("INSERT INTO execution_metrics (function_id, type, avg_time, max_time, execution_count, timestamp, rolled_up)");
  // Raw rows all name a function; the global series of a roll-up is made from the global rows below it.
  const globalSource = from === 0 ? sql`` : sql` AND function_id IS NULL`;
  return [
    sql`${insert} SELECT function_id, ${aggregate} FROM execution_metrics WHERE ${source} AND function_id IS NOT NULL GROUP BY function_id, bucket`,
    sql`${insert} SELECT NULL, ${aggregate} FROM execution_metrics WHERE ${source}${globalSource} GROUP BY bucket`,
    from === 0
      ? sql`DELETE FROM execution_metrics WHERE ${source}`
      : sql`UPDATE execution_metrics SET rolled_up = 1 WHERE ${source}`,
  ];
}

/**
 * One aggregation run (spec §9.4) at `nowMs`, in one transaction: raw rows of complete minutes
 * become minute rows, minute rows of complete hours become hour rows, hour rows of complete
 * days become day rows. Minute rows are kept for the last 60 minutes and hour rows for the
 * last 24 hours; nothing is kept past `retentionDays`.
 */
export async function rollUpMetrics(env: Pick<Env, "DB">, nowMs: number, retentionDays: number): Promise<void> {
  const minute = periodStart(nowMs, MINUTE_MS);
  const hour = periodStart(nowMs, HOUR_MS);
  const statements = [
    ...rollUp(0, 1, MINUTE_MS, minute),
    ...rollUp(1, 2, HOUR_MS, hour),
    ...rollUp(2, 3, DAY_MS, periodStart(nowMs, DAY_MS)),
    sql`DELETE FROM execution_metrics WHERE type = 1 AND rolled_up = 1 AND timestamp < ${minute - 60 * MINUTE_MS}`,
    sql`DELETE FROM execution_metrics WHERE type = 2 AND rolled_up = 1 AND timestamp < ${hour - 24 * HOUR_MS}`,
    sql`DELETE FROM execution_metrics WHERE timestamp < ${windowStart("days", nowMs, retentionDays)}`,
  ];
  await sqlBatch(env, statements);
}

/** One period of a metrics series; times in microseconds. */
export interface MetricPeriod {
  start: number;
  totalTimeUs: number;
  maxTimeUs: number;
  executions: number;
}

/**
 * A series at one resolution, oldest first: rows of that resolution plus rows of lower types
 * not rolled up yet (which is how the current period and a late aggregation still show), for
 * one function or, with `functionId` null, for all functions together.
 */
export async function metricSeries(
  env: Pick<Env, "DB">,
  resolution: Resolution,
  functionId: string | null,
  nowMs: number,
  retentionDays: number,
): Promise<MetricPeriod[]> {
  const type = RESOLUTION_TYPE[resolution];
  const bucket = sql.raw(`timestamp - (timestamp % ${PERIOD_MS[resolution]})`);
  const scope = functionId === null ? sql`(type = 0 OR function_id IS NULL)` : sql`function_id = ${functionId}`;
  const rows = await database(env).all<{ bucket: number; total: number; max: number; executions: number }>(sql`
    SELECT ${bucket} AS bucket, SUM(avg_time * execution_count) AS total, MAX(max_time) AS max, SUM(execution_count) AS executions
    FROM execution_metrics
    WHERE timestamp >= ${windowStart(resolution, nowMs, retentionDays)} AND ${scope}
      AND (type = ${type} OR (type < ${type} AND rolled_up = 0))
    GROUP BY bucket ORDER BY bucket`);
  return rows.map((r) => ({ start: Number(r.bucket), totalTimeUs: Number(r.total), maxTimeUs: Number(r.max), executions: Number(r.executions) }));
}
