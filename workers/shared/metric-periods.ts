/** Metric resolutions (spec §9.4) and the periods they are rolled up into. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const RESOLUTIONS = ["minutes", "hours", "days"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** The metric row type holding each resolution's roll-ups (0 is the raw row). */
export const RESOLUTION_TYPE: Record<Resolution, 1 | 2 | 3> = { minutes: 1, hours: 2, days: 3 };
export const PERIOD_MS: Record<Resolution, number> = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS };

/** The start of the period (UTC) holding `ms`. */
export function periodStart(ms: number, periodMs: number): number {
  return ms - (ms % periodMs);
}

/**
 * The first period start a chart of this resolution shows: the last 60 minutes, the last 24
 * hours, or the last `retentionDays` days — each counting the current, incomplete period.
 */
export function windowStart(resolution: Resolution, nowMs: number, retentionDays: number): number {
  const count = resolution === "minutes" ? 60 : resolution === "hours" ? 24 : retentionDays;
  const period = PERIOD_MS[resolution];
  return periodStart(nowMs, period) - (count - 1) * period;
}
