import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { writeTelemetry } from "../../workers/shared/db/logs";
import { metricSeries, rollUpMetrics } from "../../workers/shared/db/metrics";
import type { Resolution } from "../../workers/shared/metric-periods";
import { api, expectError, unique } from "./helpers";
import { functionWith, run } from "./logs-helpers";

const at = (iso: string) => Date.parse(iso);
const NOW = at("2020-06-15T10:37:25.000Z");

async function series(resolution: Resolution, functionId: string, now = NOW) {
  const periods = await metricSeries(env, resolution, functionId, now, 90);
  return periods.map((p) => [new Date(p.start).toISOString(), p.executions, p.totalTimeUs / p.executions / 1000, p.maxTimeUs / 1000]);
}

async function raw(functionId: string, ...rows: [string, number][]) {
  await writeTelemetry(env, [], rows.map(([iso, ms]) => ({ functionId, durationUs: ms * 1000, timestamp: at(iso) })), false);
}

describe("metric roll-ups (spec §9.4), driven with a chosen clock", () => {
  // The first request brings the platform up (migrations).
  beforeAll(async () => {
    await api("/metrics?resolution=minutes");
  });

  it("rolls complete minutes, hours and days up and still shows what is not rolled up yet", async () => {
    const fn = unique("m");
    await raw(fn, ["2020-06-15T10:05:10Z", 1], ["2020-06-15T10:05:50Z", 3], ["2020-06-15T10:36:00Z", 2], ["2020-06-15T10:37:05Z", 4]);
    await raw(fn, ["2020-06-14T23:10:00Z", 5], ["2020-03-01T00:00:00Z", 9]);
    const before = await series("minutes", fn);
    await rollUpMetrics(env, NOW, 90);
    expect(await series("minutes", fn)).toEqual(before);
    expect(await series("minutes", fn)).toEqual([
      ["2020-06-15T10:05:00.000Z", 2, 2, 3],
      ["2020-06-15T10:36:00.000Z", 1, 2, 2],
      ["2020-06-15T10:37:00.000Z", 1, 4, 4],
    ]);
    expect(await series("hours", fn)).toEqual([
      ["2020-06-14T23:00:00.000Z", 1, 5, 5],
      ["2020-06-15T10:00:00.000Z", 4, 2.5, 4],
    ]);
    expect(await series("days", fn)).toEqual([
      ["2020-06-14T00:00:00.000Z", 1, 5, 5],
      ["2020-06-15T00:00:00.000Z", 4, 2.5, 4],
    ]);
  });

  it("counts a row that arrives after its minute was rolled up exactly once", async () => {
    const fn = unique("m");
    await raw(fn, ["2020-06-15T10:05:10Z", 1]);
    await rollUpMetrics(env, NOW, 90);
    await raw(fn, ["2020-06-15T10:05:30Z", 3]);
    expect((await series("minutes", fn))[0]).toEqual(["2020-06-15T10:05:00.000Z", 2, 2, 3]);
    await rollUpMetrics(env, NOW + 60_000, 90);
    await rollUpMetrics(env, NOW + 3 * 3_600_000, 90);
    expect(await series("hours", fn, NOW + 3 * 3_600_000)).toEqual([["2020-06-15T10:00:00.000Z", 2, 2, 3]]);
  });

  it("keeps minute rows for the last 60 minutes and hour rows for the last 24 hours, then lets them go", async () => {
    const fn = unique("m");
    await raw(fn, ["2020-06-15T10:05:10Z", 1]);
    await rollUpMetrics(env, NOW, 90);
    const later = at("2020-06-15T11:04:59Z");
    expect(await series("minutes", fn, later)).toEqual([["2020-06-15T10:05:00.000Z", 1, 1, 1]]);
    await rollUpMetrics(env, later, 90);
    expect(await series("minutes", fn, later)).toEqual([["2020-06-15T10:05:00.000Z", 1, 1, 1]]);
    const muchLater = at("2020-06-16T09:30:00Z");
    await rollUpMetrics(env, muchLater, 90);
    expect(await series("minutes", fn, muchLater)).toEqual([]);
    expect(await series("hours", fn, muchLater)).toEqual([["2020-06-15T10:00:00.000Z", 1, 1, 1]]);
    await rollUpMetrics(env, at("2020-06-16T11:00:00Z"), 90);
    expect(await series("hours", fn, at("2020-06-16T11:00:00Z"))).toEqual([]);
    expect(await series("days", fn, at("2020-06-16T11:00:00Z"))).toEqual([["2020-06-15T00:00:00.000Z", 1, 1, 1]]);
    await rollUpMetrics(env, at("2020-06-15T00:00:00Z") + 91 * 86_400_000, 90);
    expect(await series("days", fn, at("2020-06-15T00:00:00Z") + 91 * 86_400_000)).toEqual([]);
  });
});

describe("GET /api/metrics", () => {
  it("counts every call at once, in the current period marked partial, with a summary", async () => {
    const fn = await functionWith('export default (c) => { if (c.req.query("fail")) throw new Error("x"); return c.text("ok"); };');
    await run(fn.route);
    await run(fn.route);
    await run(`${fn.route}?fail=1`);
    const deadline = Date.now() + 3000;
    let body;
    do {
      body = (await (await api(`/metrics?resolution=minutes&functionId=${fn.id}`)).json()) as {
        data: { metrics: { partial: boolean; executionCount: number; timestamp: string }[]; summary: Record<string, number>; functionId: string; resolution: string };
      };
    } while ((body.data.summary.totalExecutions ?? 0) < 3 && Date.now() < deadline);
    expect(body.data).toMatchObject({ functionId: fn.id, resolution: "minutes", summary: { totalExecutions: 3, periodCount: 1 } });
    expect(body.data.metrics).toEqual([
      { timestamp: expect.stringMatching(/:00\.000Z$/), avgTimeMs: expect.any(Number), maxTimeMs: expect.any(Number), executionCount: 3, partial: true },
    ]);
    for (const resolution of ["hours", "days"]) {
      const { data } = (await (await api(`/metrics?resolution=${resolution}&functionId=${fn.id}`)).json()) as typeof body;
      expect(data.summary.totalExecutions).toBe(3);
    }
    const global = (await (await api("/metrics?resolution=minutes")).json()) as typeof body;
    expect(global.data.functionId).toBeNull();
    expect(global.data.summary.totalExecutions).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ["", 400, "Missing required parameter: resolution"],
    ["resolution=weeks", 400, "Invalid resolution parameter. Must be one of: minutes, hours, days"],
    ["resolution=hours&functionId=a.b", 400, "Invalid functionId parameter"],
    ["resolution=hours&functionId=nosuchfunction", 404, "Function with id nosuchfunction not found"],
  ])("answers ?%s with %i", async (query, status, error) => {
    await expectError(await api(`/metrics?${query}`), status, error);
  });

  it("answers zeros when nothing ran", async () => {
    const fn = await functionWith('export default (c) => c.text("never called");');
    expect(await (await api(`/metrics?resolution=days&functionId=${fn.id}`)).json()).toEqual({
      data: { metrics: [], functionId: fn.id, resolution: "days", summary: { totalExecutions: 0, avgExecutionTime: 0, maxExecutionTime: 0, periodCount: 0 } },
    });
  });
});
