import { describe, expect, it } from "vitest";
import { CallLog, ConsoleCapture, toEntry } from "../../workers/sandbox/console-capture";
import { MAX_LINES_PER_CALL } from "../../workers/shared/logs/limits";

describe("console capture (spec §2.7)", () => {
  it("formats the first argument and keeps the rest as a JSON array", () => {
    expect(toEntry("log", ["hello"])).toMatchObject({ level: "log", message: "hello" });
    expect(toEntry("log", ["hello"]).args).toBeUndefined();
    expect(toEntry("info", [{ a: 1 }, 2, "x"])).toMatchObject({ message: '{"a":1}', args: '[2,"x"]' });
    expect(toEntry("warn", [undefined]).message).toBe("undefined");
    expect(toEntry("error", [null]).message).toBe("null");
  });

  it("keeps each request's output apart, across awaits, and prints outside requests", async () => {
    const printed: unknown[][] = [];
    const fake = { log: (...a: unknown[]) => printed.push(a), debug() {}, info() {}, warn() {}, error() {}, trace() {} } as unknown as Console;
    const capture = new ConsoleCapture();
    capture.install(fake);
    const a = new CallLog();
    const b = new CallLog();
    await Promise.all([
      capture.run(a, async () => {
        fake.log("a1");
        await new Promise((r) => setTimeout(r, 5));
        fake.log("a2");
      }),
      capture.run(b, async () => {
        await new Promise((r) => setTimeout(r, 1));
        fake.log("b1");
      }),
    ]);
    fake.log("outside");
    expect(a.take().map((e) => e.message)).toEqual(["a1", "a2"]);
    expect(b.take().map((e) => e.message)).toEqual(["b1"]);
    expect(printed).toEqual([["outside"]]);
  });

  it("keeps at most the per-call cap and ends with one line saying how many were dropped", () => {
    const log = new CallLog();
    for (let i = 0; i < 10_000; i++) log.push(toEntry("log", [`line ${i}`]));
    const taken = log.take();
    expect(taken).toHaveLength(MAX_LINES_PER_CALL + 1);
    expect(taken[MAX_LINES_PER_CALL - 1]?.message).toBe(`line ${MAX_LINES_PER_CALL - 1}`);
    expect(taken.at(-1)).toMatchObject({ level: "warn", message: expect.stringMatching(/^9000 log line\(s\) dropped: /) });
    log.push(toEntry("log", ["late"]));
    expect(log.take().map((e) => e.message)).toEqual([expect.stringMatching(/^1 log line\(s\) dropped/)]);
  });

  it("cuts very long messages", () => {
    const log = new CallLog();
    log.push(toEntry("log", ["x".repeat(100_000)]));
    const [entry] = log.take();
    expect(entry?.message.length).toBeLessThan(9000);
    expect(entry?.message).toMatch(/\[truncated 91808 chars\]$/);
  });
});
