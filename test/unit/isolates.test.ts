import { describe, expect, it } from "vitest";
import { IDLE_MS, IsolatePool, MAX_LIVE, SUPERSEDED_GRACE_MS } from "../../workers/router/run/isolates";

const code = () => ({ compatibilityDate: "2026-04-20", mainModule: "m.js", modules: {} });

describe("IsolatePool eviction policy", () => {
  it("evicts a superseded version once idle for the grace period, never while in flight", () => {
    const pool = new IsolatePool<object>();
    const done = pool.begin("f", "v1", code, 0);
    pool.begin("f", "v2", code, 1)();
    expect(pool.victims(SUPERSEDED_GRACE_MS + 10)).toEqual([]);
    done();
    expect(pool.victims(Date.now() + SUPERSEDED_GRACE_MS)).toEqual(["v1"]);
  });

  it("evicts any version idle for IDLE_MS", () => {
    const pool = new IsolatePool<object>();
    pool.begin("f", "v1", code, 0)();
    expect(pool.victims(Date.now() + 1000)).toEqual([]);
    expect(pool.victims(Date.now() + IDLE_MS)).toEqual(["v1"]);
  });

  it("bounds the number of live isolates, least recently used first", () => {
    const pool = new IsolatePool<object>();
    for (let i = 0; i <= MAX_LIVE + 1; i++) pool.begin(`f${i}`, `v${i}`, code, i)();
    const now = Date.now();
    expect(pool.victims(now).sort()).toEqual(["v0", "v1"].sort());
  });

  it("sweeps through the evict callback and stops when the runtime cannot evict", async () => {
    const pool = new IsolatePool<object>();
    pool.begin("f", "v1", code, 0)();
    pool.begin("g", "w1", code, 0)();
    const evicted: string[] = [];
    expect(await pool.sweep(async (id) => (evicted.push(id), true), Date.now() + IDLE_MS)).toBe(2);
    expect(evicted.sort()).toEqual(["v1", "w1"]);
    expect(pool.size).toBe(0);

    const old = new IsolatePool<object>();
    old.begin("f", "v1", code, 0)();
    old.begin("g", "w1", code, 0)();
    let calls = 0;
    expect(await old.sweep(async () => (calls++, false), Date.now() + IDLE_MS)).toBe(0);
    expect(await old.sweep(async () => (calls++, false), Date.now() + 2 * IDLE_MS)).toBe(0);
    expect(calls).toBe(1);
  });
});
