import { trimLogs } from "./db/logs";
import { rollUpMetrics } from "./db/metrics";
import { settingNumber } from "./db/settings";

/** The platform's periodic jobs (spec §14): what each does, and the setting giving its interval. */
export interface MaintenanceJob {
  name: "log-trimming" | "metrics-aggregation";
  intervalSetting: string;
  run(env: Env, nowMs: number): Promise<void>;
}

export const MAINTENANCE_JOBS: readonly MaintenanceJob[] = [
  {
    name: "log-trimming",
    intervalSetting: "log.trimming.interval-seconds",
    async run(env, nowMs) {
      const [retention, maxPerFunction] = await Promise.all([
        settingNumber(env, "log.trimming.retention-seconds"),
        settingNumber(env, "log.trimming.max-per-function"),
      ]);
      await trimLogs(env, nowMs, retention, maxPerFunction);
    },
  },
  {
    name: "metrics-aggregation",
    intervalSetting: "metrics.aggregation-interval-seconds",
    async run(env, nowMs) {
      await rollUpMetrics(env, nowMs, await settingNumber(env, "metrics.retention-days"));
    },
  },
];
