import { describe, expect, it } from "vitest";
import { LogBus, MAX_SUBSCRIBERS, QUEUE_LIMIT } from "../../workers/router/logs/bus";
import type { LogRecord } from "../../workers/shared/logs/levels";

const record = (id: number, functionId = "f1", level: LogRecord["level"] = "log"): LogRecord => ({
  id: String(id),
  requestId: "r",
  functionId,
  level,
  message: `m${id}`,
  sequence: 0,
  timestamp: "2026-12-04T10:00:00.000Z",
});

describe("the live-stream bus", () => {
  it("hands each subscriber only the lines its filter wants", () => {
    const bus = new LogBus();
    const all = bus.subscribe({});
    const errorsOfF2 = bus.subscribe({ functionId: "f2", levels: ["error"] });
    bus.publish([record(1), record(2, "f2", "error"), record(3, "f2", "log")]);
    expect(all?.take().records.map((r) => r.id)).toEqual(["1", "2", "3"]);
    expect(errorsOfF2?.take().records.map((r) => r.id)).toEqual(["2"]);
    expect(all?.take()).toEqual({ records: [], dropped: 0 });
  });

  it("bounds a slow subscriber's queue: the oldest lines go and are counted", () => {
    const bus = new LogBus();
    const slow = bus.subscribe({});
    bus.publish(Array.from({ length: QUEUE_LIMIT + 7 }, (_, i) => record(i + 1)));
    const { records, dropped } = slow?.take() ?? { records: [], dropped: -1 };
    expect(dropped).toBe(7);
    expect(records).toHaveLength(QUEUE_LIMIT);
    expect(records[0]?.id).toBe("8");
  });

  it("forgets closed subscribers and refuses past the limit", () => {
    const bus = new LogBus();
    const subs = Array.from({ length: MAX_SUBSCRIBERS }, () => bus.subscribe({}));
    expect(bus.subscribe({})).toBeUndefined();
    for (const sub of subs) sub?.close();
    expect(bus.size).toBe(0);
    expect(bus.subscribe({})).toBeDefined();
  });
});
