import { describe, expect, it } from "vitest";
import { logBus } from "../../workers/router/logs/bus";
import { api, expectError } from "./helpers";
import { functionWith, linesEventually, run, type StoredLine } from "./logs-helpers";

interface Event {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads server-sent events until `done` says so (or 5 s pass); then hangs up. */
async function readEvents(response: Response, done: (events: Event[]) => boolean): Promise<Event[]> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error("no body");
  const decoder = new TextDecoder();
  const events: Event[] = [];
  let text = "";
  const deadline = Date.now() + 5000;
  while (!done(events) && Date.now() < deadline) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
    let end;
    while ((end = text.indexOf("\n\n")) !== -1) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event: Event = {};
      for (const line of block.split("\n")) {
        const colon = line.indexOf(": ");
        if (line.startsWith(":") || colon === -1) continue;
        event[line.slice(0, colon) as keyof Event] = line.slice(colon + 2);
      }
      if (event.data !== undefined) events.push(event);
    }
  }
  await reader.cancel();
  return events;
}

const hasEnd = (events: Event[]) => events.some((e) => e.data?.includes('"exec_end"'));

describe("GET /api/logs/stream", () => {
  it("sends one event per new line of the chosen function and levels", async () => {
    const fn = await functionWith('export default (c) => { console.log("hi"); console.warn("careful"); return c.text("ok"); };');
    const other = await functionWith('export default (c) => { console.log("other"); return c.text("ok"); };');
    const stream = await api(`/logs/stream?functionId=${fn.id}&level=warn,exec_end`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("Content-Type")).toBe("text/event-stream; charset=utf-8");
    await run(other.route);
    await run(fn.route);
    const events = await readEvents(stream, hasEnd);
    const lines = events.map((e) => JSON.parse(e.data ?? "{}") as StoredLine);
    expect(lines.map((l) => [l.functionId, l.level, l.message.replace(/^\d+ms$/, "Nms")])).toEqual([
      [fn.id, "warn", "careful"],
      [fn.id, "exec_end", "Nms"],
    ]);
    expect(events.map((e) => [e.event, e.id])).toEqual(lines.map((l) => ["log", l.id]));
  });

  it("replays what a reconnecting client missed after Last-Event-ID", async () => {
    const fn = await functionWith('export default (c) => { console.log("missed"); return c.text("ok"); };');
    await run(fn.route);
    const [start] = await linesEventually(`functionId=${fn.id}`, 3);
    const stream = await api(`/logs/stream?functionId=${fn.id}`, "GET", undefined, { "Last-Event-ID": String(Number(start?.id) - 1) });
    const events = await readEvents(stream, hasEnd);
    expect(events.map((e) => (JSON.parse(e.data ?? "{}") as StoredLine).level)).toEqual(["exec_start", "log", "exec_end"]);
  });

  it("lets go of a client that hung up", async () => {
    const before = logBus.size;
    const stream = await api("/logs/stream");
    expect(logBus.size).toBe(before + 1);
    await stream.body?.cancel();
    const deadline = Date.now() + 3000;
    while (logBus.size > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(logBus.size).toBe(before);
  });

  it("validates its filters like /api/logs", async () => {
    await expectError(await api("/logs/stream?functionId=nosuchfunction"), 404, "Function with id nosuchfunction not found");
    await expectError(await api("/logs/stream?level=loud"), 400, expect.stringMatching(/^Invalid level values: loud/) as unknown as string);
    await expectError(await api("/logs/stream", "GET", undefined, { "Last-Event-ID": "x" }), 400, "Invalid Last-Event-ID");
  });
});
