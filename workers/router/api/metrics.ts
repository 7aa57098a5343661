import { metricSeries } from "../../shared/db/metrics";
import { settingNumber } from "../../shared/db/settings";
import { HttpError, json } from "../../shared/errors";
import { isValidId } from "../../shared/ids";
import { PERIOD_MS, periodStart, type Resolution, RESOLUTIONS } from "../../shared/metric-periods";
import { assertFunctionExists } from "./function-exists";
import type { ApiRouter } from "./router";

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function resolutionOf(params: URLSearchParams): Resolution {
  const raw = params.get("resolution");
  if (raw === null || raw === "") throw new HttpError(400, "Missing required parameter: resolution");
  const resolution = RESOLUTIONS.find((r) => r === raw);
  if (resolution === undefined) throw new HttpError(400, "Invalid resolution parameter. Must be one of: minutes, hours, days");
  return resolution;
}

function functionIdOf(params: URLSearchParams): string | undefined {
  const raw = params.get("functionId");
  if (raw === null || raw === "") return undefined;
  if (!isValidId(raw)) throw new HttpError(400, "Invalid functionId parameter");
  return raw;
}

/**
 * `GET /api/metrics` (spec §9.4). Unlike the original, minute rows cover the whole last 60
 * minutes and hour rows the last 24 hours, and the current period is included with
 * `"partial": true` (every period carries the flag).
 */
export function metricRoutes(router: ApiRouter): void {
  router.get("/metrics", async (request, env: Env) => {
    const params = new URL(request.url).searchParams;
    const resolution = resolutionOf(params);
    const functionId = functionIdOf(params);
    await assertFunctionExists(env, functionId);
    const now = Date.now();
    const retentionDays = await settingNumber(env, "metrics.retention-days");
    const periods = await metricSeries(env, resolution, functionId ?? null, now, retentionDays);
    const current = periodStart(now, PERIOD_MS[resolution]);
    const metrics = periods.map((p) => ({
      timestamp: new Date(p.start).toISOString(),
      avgTimeMs: p.executions > 0 ? round3(p.totalTimeUs / p.executions / 1000) : 0,
      maxTimeMs: round3(p.maxTimeUs / 1000),
      executionCount: p.executions,
      partial: p.start >= current,
    }));
    const totalExecutions = periods.reduce((sum, p) => sum + p.executions, 0);
    const totalTimeUs = periods.reduce((sum, p) => sum + p.totalTimeUs, 0);
    const summary = {
      totalExecutions,
      avgExecutionTime: totalExecutions > 0 ? round3(totalTimeUs / totalExecutions / 1000) : 0,
      maxExecutionTime: round3(periods.reduce((max, p) => Math.max(max, p.maxTimeUs), 0) / 1000),
      periodCount: periods.length,
    };
    return json({ data: { metrics, functionId: functionId ?? null, resolution, summary } });
  });
}
