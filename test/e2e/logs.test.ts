import { afterAll, describe, expect, it } from "vitest";
import { removeDataDir, type RunningServer, startServer } from "./server";

const json = { "Content-Type": "application/json" };
const LINES = 3;

async function deploy(server: RunningServer): Promise<string> {
  const source = await server.api("/api/sources", { method: "POST", headers: json, body: JSON.stringify({ name: "logs", type: "manual" }) });
  const { id } = (await source.json()) as { id: string };
  const code = `export default (c, ctx) => { for (let i = 0; i < ${LINES}; i++) console.log("line", i); return c.text(ctx.requestId); };`;
  expect((await server.api(`/api/sources/${id}/files/log.ts`, { method: "PUT", body: code })).status).toBeLessThan(300);
  const fn = await server.api("/api/functions", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ name: "log", handler: "logs/log.ts", route: "/log", methods: ["GET"] }),
  });
  return ((await fn.json()) as { function: { id: string } }).function.id;
}

type Line = { requestId: string; level: string; sequence: number };

async function allLines(server: RunningServer, functionId: string): Promise<Line[]> {
  const lines: Line[] = [];
  let next: string | undefined = `/api/logs?functionId=${functionId}&limit=1000`;
  while (next !== undefined) {
    const page = (await (await server.api(next)).json()) as { data: { logs: Line[]; pagination: { next?: string } } };
    lines.push(...page.data.logs);
    next = page.data.pagination.next;
  }
  return lines;
}

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.kill();
  for (const dir of new Set(servers.map((s) => s.dataDir))) removeDataDir(dir);
});

describe("logs on the self-hosted server", () => {
  it("a graceful stop (SIGTERM to the supervisor) writes every buffered line and metric first", async () => {
    const first = await startServer();
    servers.push(first);
    const functionId = await deploy(first);
    // Lines would wait up to 5 s in the buffer: only the drain can get them to disk in time.
    const settings = { "log.batching.max-delay-ms": "5000", "log.batching.max-batch-size": "500" };
    expect((await first.api("/api/settings", { method: "PUT", headers: json, body: JSON.stringify({ settings }) })).status).toBe(200);
    const calls = await Promise.all(Array.from({ length: 25 }, () => fetch(`${first.functions}/run/log`).then((r) => r.text())));
    await first.stop();
    expect(first.output()).toMatch(/start: drained \(200 \{"waitedForCalls":\d+,"flushed":\d+,"lost":0\}\)/);

    const second = await startServer({ dataDir: first.dataDir });
    servers.push(second);
    const lines = await allLines(second, functionId);
    const byCall = new Map<string, string[]>();
    for (const line of lines.reverse()) byCall.set(line.requestId, [...(byCall.get(line.requestId) ?? []), line.level]);
    expect([...byCall.keys()].sort()).toEqual([...calls].sort());
    for (const levels of byCall.values()) expect(levels).toEqual(["exec_start", ...Array(LINES).fill("log"), "exec_end"]);
    const metrics = (await (await second.api(`/api/metrics?resolution=hours&functionId=${functionId}`)).json()) as { data: { summary: { totalExecutions: number } } };
    expect(metrics.data.summary.totalExecutions).toBe(25);
  });

  it("streams new lines as server-sent events", async () => {
    const server = await startServer();
    servers.push(server);
    const functionId = await deploy(server);
    const stream = await server.api(`/api/logs/stream?functionId=${functionId}&level=exec_end`);
    expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const requestId = await (await fetch(`${server.functions}/run/log`)).text();
    const reader = stream.body?.getReader();
    let text = "";
    const decoder = new TextDecoder();
    while (reader !== undefined && !text.includes("exec_end")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    await reader?.cancel();
    expect(text).toMatch(new RegExp(`id: \\d+\\nevent: log\\ndata: \\{[^\\n]*"requestId":"${requestId}"[^\\n]*"level":"exec_end"`));
  });
});
