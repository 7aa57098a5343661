import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Scheduler } from "../../durable-objects/scheduler";
import { writeTelemetry } from "../../workers/shared/db/logs";
import { metricSeries } from "../../workers/shared/db/metrics";
import type { LogLine } from "../../workers/shared/logs/levels";
import { api } from "./helpers";
import { functionWith, logs } from "./logs-helpers";

const scheduler = () => env.SCHEDULER.get(env.SCHEDULER.idFromName("main"));

function linesOf(functionId: string, count: number, timestamp: (i: number) => number): LogLine[] {
  return Array.from({ length: count }, (_, i) => ({
    requestId: `req-${i}`,
    functionId,
    level: "log",
    message: `line ${i}`,
    sequence: 0,
    timestamp: new Date(timestamp(i)).toISOString(),
  }));
}

async function putSettings(settings: Record<string, string>) {
  expect((await api("/settings", "PUT", { settings })).status).toBe(200);
}

describe("the Scheduler's alarm", () => {
  beforeAll(async () => {
    await api("/logs?limit=1");
  });

  it("is planned at start-up for both jobs, and runs them when it fires", async () => {
    const planned = await scheduler().ensureScheduled();
    expect(planned.map((j) => j.name)).toEqual(["log-trimming", "metrics-aggregation"]);
    const alarm = await runInDurableObject(scheduler(), (_instance: Scheduler, state) => state.storage.getAlarm());
    expect(alarm).toBe(Math.min(...planned.map((j) => j.nextRunAt)));
    // Make both due, then fire the alarm as workerd would.
    await runInDurableObject(scheduler(), (_instance: Scheduler, state) => {
      state.storage.sql.exec("UPDATE jobs SET next_run_at = 0");
    });
    const fn = "sched-metric-fn";
    await writeTelemetry(env, [], [{ functionId: fn, durationUs: 1000, timestamp: Date.now() - 120_000 }], false);
    expect(await runDurableObjectAlarm(scheduler())).toBe(true);
    const jobs = await scheduler().jobs();
    for (const job of jobs) {
      expect(job.lastError).toBeNull();
      expect(job.lastRunAt).toBeGreaterThan(Date.now() - 10_000);
    }
    const byName = Object.fromEntries(jobs.map((j) => [j.name, j]));
    expect((byName["log-trimming"]?.nextRunAt ?? 0) - (byName["log-trimming"]?.lastRunAt ?? 0)).toBe(300_000);
    expect((byName["metrics-aggregation"]?.nextRunAt ?? 0) - (byName["metrics-aggregation"]?.lastRunAt ?? 0)).toBe(60_000);
    // The raw row of two minutes ago is now a minute row, still counted once.
    const periods = await metricSeries(env, "minutes", fn, Date.now(), 90);
    expect(periods.reduce((n, p) => n + p.executions, 0)).toBe(1);
  });

  it("trims logs by retention and per function, with the settings of the moment", async () => {
    const now = Date.now();
    const fn = await functionWith('export default (c) => c.text("x");');
    await writeTelemetry(env, linesOf(fn.id, 5, (i) => now - 10 * 86_400_000 + i), [], false);
    await writeTelemetry(env, linesOf(fn.id, 150, (i) => now - 1000 + i), [], false);
    await putSettings({ "log.trimming.retention-seconds": String(86_400), "log.trimming.max-per-function": "100" });
    try {
      await scheduler().runDue(now, true);
      const kept = await logs(`functionId=${fn.id}&limit=1000`);
      expect(kept.logs).toHaveLength(100);
      expect(kept.logs.at(-1)?.message).toBe("line 50");
      expect(kept.logs[0]?.message).toBe("line 149");
    } finally {
      await putSettings({ "log.trimming.retention-seconds": "7776000", "log.trimming.max-per-function": "2000" });
    }
  });

  it("re-plans at once when an interval setting changes", async () => {
    await scheduler().runDue(Date.now(), true);
    await putSettings({ "metrics.aggregation-interval-seconds": "600" });
    try {
      const jobs = await scheduler().jobs();
      const aggregation = jobs.find((j) => j.name === "metrics-aggregation");
      expect((aggregation?.nextRunAt ?? 0) - (aggregation?.lastRunAt ?? 0)).toBe(600_000);
    } finally {
      await putSettings({ "metrics.aggregation-interval-seconds": "60" });
    }
  });

  it("records a failing job and goes on with the others", async () => {
    await putSettings({ "metrics.retention-days": "30" });
    try {
      // A broken table makes the roll-up fail; trimming still runs.
      await env.DB.prepare("ALTER TABLE execution_metrics RENAME TO execution_metrics_away").run();
      const jobs = await scheduler().runDue(Date.now(), true);
      expect(jobs.find((j) => j.name === "metrics-aggregation")?.lastError).toMatch(/no such table/);
      expect(jobs.find((j) => j.name === "log-trimming")?.lastError).toBeNull();
    } finally {
      await env.DB.prepare("ALTER TABLE execution_metrics_away RENAME TO execution_metrics").run();
      await putSettings({ "metrics.retention-days": "90" });
    }
    const healed = await scheduler().runDue(Date.now(), true);
    expect(healed.every((j) => j.lastError === null)).toBe(true);
  });
});
