import { describe, expect, it } from "vitest";
import { API_KEY } from "./helpers";
import { functionWith, linesEventually, logs, run } from "./logs-helpers";

const shape = (lines: { level: string; message: string; args?: string; sequence: number }[]) =>
  lines.map((l) => [l.sequence, l.level, l.message, l.args]);

describe("every call leaves its trace (spec §2.7)", () => {
  it("stores exec_start, each console level with message and args, and exec_end, in order", async () => {
    const fn = await functionWith(`export default async (c) => {
      console.log("plain");
      console.debug({ a: 1 }, 2, "x");
      console.info(undefined);
      console.warn(null, undefined);
      console.error(new Error("bad").message);
      console.trace("traced");
      return c.text("ok");
    };`);
    const response = await run(fn.route, { method: "POST", body: "12345", headers: { Origin: "http://app" } });
    expect(await response.text()).toBe("ok");
    const lines = await linesEventually(`functionId=${fn.id}`, 8);
    expect(new Set(lines.map((l) => l.requestId)).size).toBe(1);
    expect(shape(lines)).toEqual([
      [0, "exec_start", `POST http://localhost${fn.route}`, '{"origin":"http://app","keyGroup":"","contentLength":"5"}'],
      [1, "log", "plain", undefined],
      [2, "debug", '{"a":1}', '[2,"x"]'],
      [3, "info", "undefined", undefined],
      [4, "warn", "null", "[null]"],
      [5, "error", "bad", undefined],
      [6, "trace", "traced", undefined],
      [7, "exec_end", expect.stringMatching(/^\d+ms$/), undefined],
    ]);
  });

  it("captures process.stdout and process.stderr writes as stdout and stderr lines", async () => {
    const fn = await functionWith(`import process from "node:process";
    export default async (c) => {
      process.stdout.write("out line\\n");
      process.stdout.write("");
      process.stderr.write(new TextEncoder().encode("err bytes"));
      return c.text("ok");
    };`);
    expect(await (await run(fn.route)).text()).toBe("ok");
    const lines = await linesEventually(`functionId=${fn.id}`, 4);
    expect(shape(lines).slice(1, 3)).toEqual([
      [1, "stdout", "out line", undefined],
      [2, "stderr", "err bytes", undefined],
    ]);
  });

  it("marks thrown errors and load errors in exec_end, and logs a refused key as exec_reject", async () => {
    const throws = await functionWith('export default () => { console.log("before"); throw new Error("boom"); };');
    expect((await run(throws.route)).status).toBe(500);
    const thrown = await linesEventually(`functionId=${throws.id}`, 3);
    expect(shape(thrown).map((l) => l.slice(1, 3))).toEqual([
      ["exec_start", `GET http://localhost${throws.route}`],
      ["log", "before"],
      ["exec_end", expect.stringMatching(/^\d+ms \(error\)$/)],
    ]);

    const noExport = await functionWith("export const x = 1;");
    expect((await run(noExport.route)).status).toBe(500);
    expect((await linesEventually(`functionId=${noExport.id}`, 2)).map((l) => l.message)).toEqual([
      `GET http://localhost${noExport.route}`,
      expect.stringMatching(/^\d+ms \(load error\)$/),
    ]);

    const locked = await functionWith('export default (c) => c.text("secret");', { keys: ["management"] });
    expect((await run(locked.route)).status).toBe(401);
    expect((await run(locked.route, { headers: { "X-API-Key": "wrong" } })).status).toBe(401);
    expect((await run(locked.route, { headers: { "X-API-Key": API_KEY } })).status).toBe(200);
    const trace = await linesEventually(`functionId=${locked.id}`, 4);
    expect(trace.map((l) => [l.level, l.args])).toEqual([
      ["exec_reject", '{"reason":"invalid_api_key"}'],
      ["exec_reject", '{"reason":"invalid_api_key"}'],
      ["exec_start", '{"origin":"","keyGroup":"management","contentLength":"0"}'],
      ["exec_end", undefined],
    ]);
  });

  it("attributes module top level, waitUntil work and unawaited promises to their call, after exec_end", async () => {
    const fn = await functionWith(`console.log("module top level");
      export default async (c) => {
        c.executionCtx.waitUntil(new Promise((r) => setTimeout(() => { console.info("from waitUntil"); r(); }, 20)));
        setTimeout(() => console.warn("from an unawaited timer"), 1);
        return c.text("fast");
      };`);
    expect(await (await run(fn.route)).text()).toBe("fast");
    const lines = await linesEventually(`functionId=${fn.id}`, 5);
    expect(new Set(lines.map((l) => l.requestId)).size).toBe(1);
    expect(lines.map((l) => [l.sequence, l.level, l.message.replace(/^\d+ms$/, "Nms")])).toEqual([
      [0, "exec_start", `GET http://localhost${fn.route}`],
      [1, "log", "module top level"],
      [2, "exec_end", "Nms"],
      [3, "warn", "from an unawaited timer"],
      [4, "info", "from waitUntil"],
    ]);
    expect(Date.parse(lines[1]?.timestamp ?? "")).toBeGreaterThan(Date.parse("2020-01-01"));
  });

  it("never mixes the lines of concurrent calls of one function", async () => {
    const fn = await functionWith(`export default async (c) => {
      const me = c.req.query("n");
      for (let i = 0; i < 5; i++) {
        console.log(me, i);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
      }
      return c.text(me);
    };`);
    const calls = Array.from({ length: 20 }, (_, n) => run(`${fn.route}?n=${n}`).then((r) => r.text()));
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
    const lines = await linesEventually(`functionId=${fn.id}`, 20 * 7);
    const byCall = new Map<string, typeof lines>();
    for (const line of lines) byCall.set(line.requestId, [...(byCall.get(line.requestId) ?? []), line]);
    expect(byCall.size).toBe(20);
    for (const trace of byCall.values()) {
      const me = trace[1]?.message;
      expect(trace.map((l) => l.level)).toEqual(["exec_start", "log", "log", "log", "log", "log", "exec_end"]);
      expect(trace.slice(1, 6).map((l) => [l.message, l.args])).toEqual([0, 1, 2, 3, 4].map((i) => [me, `[${i}]`]));
      expect(trace.map((l) => l.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it("caps a call that logs 10,000 lines and keeps serving others meanwhile", async () => {
    const noisy = await functionWith('export default (c) => { for (let i = 0; i < 10000; i++) console.log("line", i); return c.text("done"); };');
    const quiet = await functionWith('export default (c) => c.text("quiet");');
    const [loud, calm] = await Promise.all([run(noisy.route), run(quiet.route)]);
    expect(await loud.text()).toBe("done");
    expect(await calm.text()).toBe("quiet");
    const marks = await linesEventually(`functionId=${noisy.id}&level=exec_start,warn,exec_end`, 3);
    expect(marks.map((l) => [l.sequence, l.level])).toEqual([[0, "exec_start"], [1001, "warn"], [1002, "exec_end"]]);
    expect(marks[1]?.message).toMatch(/^9000 log line\(s\) dropped: a call keeps at most 1000 lines/);
    const kept = await logs(`functionId=${noisy.id}&level=log&limit=1000`);
    expect(kept.logs).toHaveLength(1000);
    expect(kept.pagination.hasMore).toBe(false);
    expect(kept.logs[0]).toMatchObject({ message: "line", args: "[999]", sequence: 1000 });
  });
});
