import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS, periodStart, windowStart } from "../../workers/shared/metric-periods";

const now = Date.parse("2026-12-04T10:37:25.500Z");

describe("metric periods", () => {
  it("align to UTC minutes, hours and days", () => {
    expect(new Date(periodStart(now, MINUTE_MS)).toISOString()).toBe("2026-12-04T10:37:00.000Z");
    expect(new Date(periodStart(now, HOUR_MS)).toISOString()).toBe("2026-12-04T10:00:00.000Z");
    expect(new Date(periodStart(now, DAY_MS)).toISOString()).toBe("2026-12-04T00:00:00.000Z");
  });

  it("windows hold 60 minutes, 24 hours or the retention's days, the current period included", () => {
    expect(new Date(windowStart("minutes", now, 90)).toISOString()).toBe("2026-12-04T09:38:00.000Z");
    expect(new Date(windowStart("hours", now, 90)).toISOString()).toBe("2026-12-03T11:00:00.000Z");
    expect(new Date(windowStart("days", now, 7)).toISOString()).toBe("2026-11-28T00:00:00.000Z");
  });
});
