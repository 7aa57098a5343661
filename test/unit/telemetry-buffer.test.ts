import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_BUFFERED_LINES, MAX_LINES_PER_WRITE, MIN_WRITE_GAP_MS, TelemetryBuffer, type TelemetrySink } from "../../workers/router/logs/buffer";
import type { LogLine, RawMetric } from "../../workers/shared/logs/levels";

const line = (n: number, functionId = "f1"): LogLine => ({
  requestId: `r${n}`,
  functionId,
  level: "log",
  message: `m${n}`,
  sequence: 0,
  timestamp: "2026-12-04T10:00:00.000Z",
});
const lines = (from: number, count: number, functionId?: string) => Array.from({ length: count }, (_, i) => line(from + i, functionId));
const metric: RawMetric = { functionId: "f1", durationUs: 1000, timestamp: 0 };

function recordingSink(failures = 0): TelemetrySink & { writes: { lines: string[]; metrics: number }[] } {
  let left = failures;
  const writes: { lines: string[]; metrics: number }[] = [];
  return {
    writes,
    async write(batch, metrics) {
      if (left-- > 0) throw new Error("disk full");
      writes.push({ lines: batch.map((l) => l.message), metrics: metrics.length });
    },
  };
}

const settings = { batchSize: 5, delayMs: 50 };

describe("the telemetry buffer (spec §9.1)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("writes nothing on the caller's path and flushes after max-delay-ms", async () => {
    const buffer = new TelemetryBuffer();
    const sink = recordingSink();
    const work = buffer.add(lines(1, 2), [metric], settings, sink);
    expect(work).toBeDefined();
    expect(buffer.add(lines(3, 1), [], settings, sink)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(49);
    expect(sink.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await work;
    expect(sink.writes).toEqual([{ lines: ["m1", "m2", "m3"], metrics: 1 }]);
    expect(buffer.pending).toBe(0);
  });

  it("flushes at once when max-batch-size lines wait, keeping their order", async () => {
    const buffer = new TelemetryBuffer();
    const sink = recordingSink();
    const work = buffer.add(lines(1, 6), [], settings, sink);
    await vi.advanceTimersByTimeAsync(0);
    await work;
    expect(sink.writes).toEqual([{ lines: ["m1", "m2", "m3", "m4", "m5", "m6"], metrics: 0 }]);
  });

  it("under load, lines that arrive during a write go out together in the next one", async () => {
    const buffer = new TelemetryBuffer();
    const sink = recordingSink();
    const first = buffer.add(lines(1, 5), [], settings, sink);
    for (let i = 0; i < 20; i++) expect(buffer.add(lines(100 + i * 5, 5), [], settings, sink)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(MIN_WRITE_GAP_MS);
    await first;
    expect(sink.writes.map((w) => w.lines.length)).toEqual([5, 100]);
    expect(buffer.isFlushing).toBe(false);
  });

  it("caps one write at MAX_LINES_PER_WRITE lines and spaces writes MIN_WRITE_GAP_MS apart", async () => {
    const buffer = new TelemetryBuffer();
    const sink = recordingSink();
    const work = buffer.add(lines(1, MAX_LINES_PER_WRITE + 10), [], settings, sink);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.writes.map((w) => w.lines.length)).toEqual([MAX_LINES_PER_WRITE]);
    await vi.advanceTimersByTimeAsync(MIN_WRITE_GAP_MS);
    await work;
    expect(sink.writes.map((w) => w.lines.length)).toEqual([MAX_LINES_PER_WRITE, 10]);
  });

  it("retries a failed write, and after three failures drops and counts the lines", async () => {
    const flaky = recordingSink(2);
    const buffer = new TelemetryBuffer();
    const work = buffer.add(lines(1, 5), [], settings, flaky);
    await vi.advanceTimersByTimeAsync(500);
    await work;
    expect(flaky.writes).toHaveLength(1);
    expect(buffer.lost).toBe(0);
    const broken = recordingSink(99);
    const again = buffer.add(lines(6, 5), [], settings, broken);
    await vi.advanceTimersByTimeAsync(500);
    await again;
    expect(buffer.lost).toBe(5);
    expect(console.error).toHaveBeenCalled();
  });

  it("flushAll writes everything before it resolves, also while another flush runs", async () => {
    const buffer = new TelemetryBuffer();
    const sink = recordingSink();
    const background = buffer.add(lines(1, 5), [], settings, sink);
    buffer.add(lines(6, 2), [metric], settings, sink);
    const all = buffer.flushAll(sink);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all([background, all]);
    expect(buffer.pending).toBe(0);
    expect(sink.writes.flatMap((w) => w.lines)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
  });

  it("forgets a deleted function's lines and never holds more than MAX_BUFFERED_LINES", async () => {
    const buffer = new TelemetryBuffer();
    const sink = recordingSink();
    buffer.add(lines(1, 2, "gone"), [], { batchSize: 500, delayMs: 50 }, sink);
    buffer.add(lines(3, 1, "kept"), [], { batchSize: 500, delayMs: 50 }, sink);
    buffer.discard("gone");
    expect(buffer.pending).toBe(1);
    const big = new TelemetryBuffer();
    big.add(lines(0, MAX_BUFFERED_LINES + 3), [], { batchSize: MAX_BUFFERED_LINES * 2, delayMs: 5000 }, sink);
    expect(big.pending).toBe(MAX_BUFFERED_LINES);
    expect(big.lost).toBe(3);
  });
});
