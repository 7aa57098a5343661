import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { API_KEY, api, sourceWith, unique } from "./helpers";

const source = sourceWith;

async function fn(overrides: Record<string, unknown>) {
  const response = await api("/functions", "POST", { name: unique("fn"), methods: ["GET"], ...overrides });
  expect(response.status).toBe(201);
  return ((await response.json()) as { function: { id: string; route: string } }).function;
}

const run = (path: string, init?: RequestInit) => SELF.fetch(`http://localhost/run${path}`, init);

describe("/run in per-function isolates", () => {
  it("runs a TypeScript handler with Hono c and ctx, path without /run", async () => {
    const src = await source({
      "hello.ts": `interface Out { ok: boolean }\nexport default async function (c, ctx) {\n  const out: Out = { ok: true };\n  return c.json({ ...out, requestId: ctx.requestId, path: c.req.path, params: ctx.params, query: ctx.query, group: ctx.authenticatedKeyGroup ?? null });\n}`,
    });
    const base = `/${unique("hello")}`;
    await fn({ handler: `${src}/hello.ts`, route: `${base}/:name` });
    const response = await run(`${base}/ada?x=1&x=2`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      path: `${base}/ada`,
      params: { name: "ada" },
      query: { x: "2" },
      group: null,
    });
  });

  it("takes an edit of an imported helper on the very next call", async () => {
    const src = await source({ "main.ts": 'import { v } from "./lib/v.ts";\nexport default (c) => c.text(v);', "lib/v.ts": 'export const v = "one";' });
    const route = `/${unique("hot")}`;
    await fn({ handler: `${src}/main.ts`, route });
    expect(await (await run(route)).text()).toBe("one");
    const { sources } = (await (await api("/sources")).json()) as { sources: { id: string; name: string }[] };
    const id = sources.find((s) => s.name === src)?.id;
    await api(`/sources/${id}/files/lib/v.ts`, "PUT", 'export const v = "two";', { "Content-Type": "text/plain" });
    expect(await (await run(route)).text()).toBe("two");
  });

  it("answers the spec's error bodies for load and execution failures", async () => {
    const src = await source({
      "noexport.ts": "export const x = 1;",
      "syntax.ts": "export default function ( {",
      "throws.ts": 'export default () => { throw new Error("kaboom"); };',
      "toplevel.ts": 'throw new Error("top");\nexport default () => 1;',
    });
    const cases: [string, number, Record<string, unknown>][] = [
      ["missing.ts", 404, { error: "Handler not found", message: `Handler file does not exist: ${src}/missing.ts` }],
      ["noexport.ts", 500, { error: "Invalid handler", message: "Handler must export a default function" }],
      ["syntax.ts", 500, { error: "Handler syntax error" }],
      ["throws.ts", 500, { error: "Handler execution failed", message: "kaboom" }],
      ["toplevel.ts", 500, { error: "Handler load failed", message: "An error occurred while loading the handler" }],
    ];
    for (const [file, status, expected] of cases) {
      const route = `/${unique("err")}`;
      await fn({ handler: `${src}/${file}`, route });
      const response = await run(route);
      expect(response.status, file).toBe(status);
      expect(await response.json()).toMatchObject({ ...expected, requestId: expect.any(String) });
    }
  });

  it("checks keys before running, with the group name in ctx", async () => {
    const src = await source({ "who.ts": "export default (c, ctx) => c.json({ group: ctx.authenticatedKeyGroup });" });
    const route = `/${unique("secure")}`;
    await fn({ handler: `${src}/who.ts`, route, keys: ["management"] });
    const missing = await run(route);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "Unauthorized", message: "Missing API key", requestId: expect.any(String) });
    const invalid = await run(route, { headers: { "X-API-Key": "wrong" } });
    expect(await invalid.json()).toMatchObject({ message: "Invalid API key" });
    const ok = await run(`${route}?api_key=${API_KEY}`);
    expect(await ok.json()).toEqual({ group: "management" });
  });

  it("404s a disabled function before the key check and sees changes on the next call", async () => {
    const src = await source({ "a.ts": 'export default (c) => c.text("a");' });
    const route = `/${unique("toggle")}`;
    const created = await fn({ handler: `${src}/a.ts`, route, keys: ["management"] });
    await api(`/functions/${created.id}/disable`, "PUT");
    const disabled = await run(route);
    expect(disabled.status).toBe(404);
    expect(await disabled.json()).toEqual({ error: "Function not found" });
    await api(`/functions/${created.id}/enable`, "PUT");
    expect((await run(route)).status).toBe(401);
  });

  it("gives handlers no network", async () => {
    const src = await source({ "net.ts": 'export default async (c) => { try { await fetch("http://127.0.0.1:1/"); return c.text("reached"); } catch (e) { return c.text("blocked"); } };' });
    const route = `/${unique("net")}`;
    await fn({ handler: `${src}/net.ts`, route });
    expect(await (await run(route)).text()).toBe("blocked");
  });
});
