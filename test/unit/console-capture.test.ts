import { describe, expect, it } from "vitest";
import { ConsoleCapture, type ConsoleEntry, toEntry } from "../../workers/sandbox/console-capture";

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
    const a: ConsoleEntry[] = [];
    const b: ConsoleEntry[] = [];
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
    expect(a.map((e) => e.message)).toEqual(["a1", "a2"]);
    expect(b.map((e) => e.message)).toEqual(["b1"]);
    expect(printed).toEqual([["outside"]]);
  });
});
