import { describe, expect, it } from "vitest";
import { api, expectError } from "./helpers";
import { functionWith, linesEventually, logs, run } from "./logs-helpers";

async function fiveCalls() {
  const fn = await functionWith('export default (c) => { console.log("a"); console.error("b"); return c.text("ok"); };');
  for (let i = 0; i < 5; i++) await run(fn.route);
  await linesEventually(`functionId=${fn.id}`, 20);
  return fn;
}

describe("GET /api/logs (spec §9.2)", () => {
  it("lists newest first with limit, and filters by function and level", async () => {
    const fn = await fiveCalls();
    const page = await logs(`functionId=${fn.id}&limit=3`);
    expect(page.logs.map((l) => l.level)).toEqual(["exec_end", "error", "log"]);
    expect(page.pagination).toMatchObject({ limit: 3, hasMore: true });
    const errors = await logs(`functionId=${fn.id}&level=error,exec_start`);
    expect(errors.logs.map((l) => l.level).sort()).toEqual([...Array(5).fill("error"), ...Array(5).fill("exec_start")]);
    expect(errors.pagination.hasMore).toBe(false);
    expect(errors.pagination.next).toBeUndefined();
    const one = errors.logs[0];
    expect(one).toEqual({
      id: expect.stringMatching(/^\d+$/),
      requestId: expect.any(String),
      functionId: fn.id,
      level: expect.any(String),
      message: expect.any(String),
      ...(one?.args !== undefined && { args: one.args }),
      sequence: expect.any(Number),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const byCall = await logs(`requestId=${one?.requestId}`);
    expect(byCall.logs.map((l) => l.sequence)).toEqual([3, 2, 1, 0]);
  });

  it("pages with next and prev links that keep the filters, never skipping or repeating a line", async () => {
    const fn = await fiveCalls();
    const all = (await logs(`functionId=${fn.id}&limit=1000`)).logs.map((l) => l.id);
    expect(all).toHaveLength(20);
    const seen: string[] = [];
    let page = await logs(`functionId=${fn.id}&limit=6`);
    expect(page.pagination.prev).toBeUndefined();
    const pages = [page];
    for (;;) {
      seen.push(...page.logs.map((l) => l.id));
      const next = page.pagination.next;
      if (next === undefined) break;
      expect(next).toMatch(new RegExp(`^/api/logs\\?functionId=${fn.id}&limit=6&cursor=`));
      page = await logs(next.replace(/^\/api\/logs\?/, ""));
      pages.push(page);
    }
    expect(seen).toEqual(all);
    expect(pages.map((p) => p.logs.length)).toEqual([6, 6, 6, 2]);
    const back = pages[2]?.pagination.prev ?? "";
    expect(back).toMatch(/limit=6&cursor=/);
    expect((await logs(back.replace(/^\/api\/logs\?/, ""))).logs.map((l) => l.id)).toEqual(pages[1]?.logs.map((l) => l.id));
  });

  it.each([
    ["functionId=bad.id", 400, "Invalid functionId parameter"],
    ["functionId=nosuchfunction", 404, "Function with id nosuchfunction not found"],
    ["level=verbose", 400, "Invalid level values: verbose. Valid levels: log, debug, info, warn, error, trace, stdout, stderr, exec_start, exec_end, exec_reject"],
    ["limit=0", 400, "Invalid limit parameter. Must be between 1 and 1000"],
    ["limit=5000", 400, "Invalid limit parameter. Must be between 1 and 1000"],
    ["cursor=%%%", 400, "Invalid cursor format"],
    ["cursor=eyJ4IjoxfQ", 400, "Invalid cursor format"],
  ])("answers %s with %i", async (query, status, error) => {
    await expectError(await api(`/logs?${query}`), status, error);
  });

  it("asks for the management key like every /api route", async () => {
    expect((await api("/logs", "GET", undefined, { "X-API-Key": "nope" })).status).toBe(401);
    expect((await api("/logs/stream", "GET", undefined, { "X-API-Key": "nope" })).status).toBe(401);
  });
});

describe("DELETE /api/logs/:functionId (spec §9.3)", () => {
  it("deletes one function's lines and answers how many", async () => {
    const fn = await fiveCalls();
    const other = await fiveCalls();
    const response = await api(`/logs/${fn.id}`, "DELETE");
    expect(await response.json()).toEqual({ data: { deleted: 20, functionId: fn.id } });
    expect((await logs(`functionId=${fn.id}`)).logs).toEqual([]);
    expect((await logs(`functionId=${other.id}`)).logs).toHaveLength(20);
  });

  it("answers 400 for a bad id and 404 for an unknown function", async () => {
    await expectError(await api("/logs/bad.id", "DELETE"), 400, "Invalid functionId parameter");
    await expectError(await api("/logs/nosuchfunction", "DELETE"), 404, "Function with id nosuchfunction not found");
  });

  it("goes with the function: deleting a function deletes its logs", async () => {
    const fn = await fiveCalls();
    const requestId = (await logs(`functionId=${fn.id}&limit=1`)).logs[0]?.requestId;
    expect((await api(`/functions/${fn.id}`, "DELETE")).status).toBe(204);
    expect((await logs(`requestId=${requestId}`)).logs).toEqual([]);
  });
});
