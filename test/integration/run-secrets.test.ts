import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, unique } from "./helpers";
import { functionWith, linesEventually, run } from "./logs-helpers";

// ctx.getSecret / getCompleteSecret inside function isolates (spec §2.2), answered over RPC.
const HANDLER = `export default async function (c, ctx) {
  const name = c.req.query("name");
  const scope = c.req.query("scope") || undefined;
  return c.json({ value: (await ctx.getSecret(name, scope)) ?? null, complete: (await ctx.getCompleteSecret(name)) ?? null });
}`;

async function created<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as T;
}

async function setup() {
  const sourceName = unique("sec");
  const source = await created<{ id: string }>(await api("/sources", "POST", { name: sourceName, type: "manual" }));
  await api(`/sources/${source.id}/files/read.ts`, "PUT", HANDLER, { "Content-Type": "text/plain" });
  const group = await created<{ id: string; name: string }>(await api("/key-groups", "POST", { name: unique("callers") }));
  const keyA = await created<{ id: string; value: string }>(await api("/keys", "POST", { groupId: group.id, name: "a" }));
  const keyB = await created<{ id: string; value: string }>(await api("/keys", "POST", { groupId: group.id, name: "b" }));
  const route = `/${unique("read")}`;
  const { function: fn } = await created<{ function: { id: string } }>(
    await api("/functions", "POST", { name: unique("reader"), handler: `${sourceName}/read.ts`, route, methods: ["GET"], keys: [group.id] }),
  );
  const call = async (key: string, name: string, scope = "") =>
    (await (await SELF.fetch(`http://localhost/run${route}?name=${name}&scope=${scope}`, { headers: { "X-API-Key": key } })).json()) as {
      value: string | null;
      complete: Record<string, unknown> | null;
    };
  return { fn, group, keyA, keyB, call };
}

const secret = (body: Record<string, unknown>) => api("/secrets", "POST", body);

describe("secrets in handlers", () => {
  it("resolves key > group > function > global, and one scope when asked", async () => {
    const { fn, group, keyA, keyB, call } = await setup();
    const name = unique("TOKEN").replaceAll("-", "_");
    await secret({ name, value: "global", scopeType: "global" });
    expect((await call(keyA.value, name)).value).toBe("global");
    await secret({ name, value: "function", scopeType: "function", functionId: fn.id });
    expect((await call(keyA.value, name)).value).toBe("function");
    await secret({ name, value: "group", scopeType: "group", groupId: group.id });
    expect((await call(keyA.value, name)).value).toBe("group");
    await secret({ name, value: "key-a", scopeType: "key", keyId: keyA.id });
    expect((await call(keyA.value, name)).value).toBe("key-a");
    expect((await call(keyB.value, name)).value).toBe("group");
    expect((await call(keyA.value, name, "global")).value).toBe("global");
    expect((await call(keyA.value, name, "function")).value).toBe("function");
    const { complete } = await call(keyA.value, name);
    expect(complete).toEqual({
      global: "global",
      function: "function",
      group: { value: "group", groupId: group.id, groupName: group.name },
      key: { value: "key-a", groupId: group.id, groupName: group.name, keyId: keyA.id, keyName: "a" },
    });
  });

  it("sees a changed or deleted secret on the very next call", async () => {
    const { keyA, call } = await setup();
    const name = unique("ROTATING").replaceAll("-", "_");
    const { id } = await created<{ id: string }>(await secret({ name, value: "v1", scopeType: "global" }));
    expect((await call(keyA.value, name)).value).toBe("v1");
    expect((await call(keyA.value, name)).value).toBe("v1");
    await api(`/secrets/${id}`, "PUT", { value: "v2" });
    expect((await call(keyA.value, name)).value).toBe("v2");
    await api(`/secrets/${id}`, "DELETE");
    expect(await call(keyA.value, name)).toEqual({ value: null, complete: null });
  });

  it("deletes function-scoped secrets with their function", async () => {
    const { fn } = await setup();
    const { id } = await created<{ id: string }>(await secret({ name: "FN_ONLY", value: "x", scopeType: "function", functionId: fn.id }));
    expect((await api(`/functions/${fn.id}`, "DELETE")).status).toBe(204);
    expect((await api(`/secrets/${id}`)).status).toBe(404);
  });

  it("answers secrets to work the handler leaves running after its response", async () => {
    const name = unique("LATE").replaceAll("-", "_");
    await created(await secret({ name, value: "still here", scopeType: "global" }));
    const fn = await functionWith(`export default async (c, ctx) => {
      c.executionCtx.waitUntil((async () => {
        await new Promise((r) => setTimeout(r, 20));
        console.log("late", await ctx.getSecret("${name}"));
      })());
      return c.text("ok");
    };`);
    expect(await (await run(fn.route)).text()).toBe("ok");
    const lines = await linesEventually(`functionId=${fn.id}&level=log`, 1);
    expect(lines.map((l) => [l.message, l.args])).toEqual([["late", '["still here"]']]);
  });

  it("answers undefined for a secret no scope has", async () => {
    const { keyA, call } = await setup();
    expect(await call(keyA.value, unique("NOPE"))).toEqual({ value: null, complete: null });
  });
});
