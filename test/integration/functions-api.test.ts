import { describe, expect, it } from "vitest";
import { api, expectError, unique } from "./helpers";

const body = (overrides: Record<string, unknown> = {}) => ({
  name: unique("fn"),
  handler: "fns/hello.ts",
  route: `/${unique("r")}`,
  methods: ["GET"],
  ...overrides,
});

async function create(overrides: Record<string, unknown> = {}) {
  const response = await api("/functions", "POST", body(overrides));
  expect(response.status).toBe(201);
  return ((await response.json()) as { function: Record<string, unknown> & { id: string } }).function;
}

describe("/api/functions", () => {
  it("POST answers 201 with the function, enabled, in the spec's shape", async () => {
    const input = body({ methods: ["POST", "GET", "GET"], keys: ["management"], cors: { origins: ["https://a.example"], credentials: true } });
    const response = await api("/functions", "POST", input);
    expect(response.status).toBe(201);
    const { function: fn } = (await response.json()) as { function: Record<string, unknown> };
    expect(fn).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{20}$/),
      name: input.name,
      description: null,
      handler: "fns/hello.ts",
      route: input.route,
      methods: ["GET", "POST"],
      keys: ["management"],
      cors: { origins: ["https://a.example"], credentials: true },
      enabled: true,
    });
  });

  it("GET lists functions sorted by name and GET /:id answers one", async () => {
    const b = await create({ name: unique("zz-b") });
    const a = await create({ name: unique("aa-a") });
    const { functions } = (await (await api("/functions")).json()) as { functions: { name: string }[] };
    const names = functions.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining([a.name, b.name]));
    expect(await (await api(`/functions/${a.id}`)).json()).toEqual({ function: a });
  });

  it("answers 400 for bad ids and bodies, 404 for unknown ids", async () => {
    await expectError(await api("/functions/bad%20id"), 400, "Invalid function ID");
    await expectError(await api("/functions/nope"), 404, "Function with id 'nope' not found");
    await expectError(await api("/functions", "POST", "{nope"), 400, "Invalid JSON body");
    await expectError(await api("/functions", "POST", body({ methods: ["FETCH"] })), 400, "Invalid or missing methods");
    await expectError(await api("/functions", "POST", body({ keys: "x" })), 400, "keys must be an array of group IDs");
    await expectError(await api("/functions/nope", "PUT", body()), 404, "Function with id 'nope' not found");
  });

  it("answers 409 for a taken name and for a normalised route sharing a method", async () => {
    const route = `/${unique("users")}/:id`;
    const first = await create({ route, methods: ["GET", "POST"] });
    await expectError(await api("/functions", "POST", body({ name: first.name })), 409, `Function with name '${first.name}' already exists`);
    const other = route.replace(":id", ":name");
    await expectError(
      await api("/functions", "POST", body({ route: other, methods: ["POST", "PUT"] })),
      409,
      `Route '${other}' with method(s) POST already exists (function: '${first.name}')`,
    );
    expect((await api("/functions", "POST", body({ route: other, methods: ["PUT"] }))).status).toBe(201);
    expect((await api("/functions", "POST", body({ route: route.replace(":id", "me") }))).status).toBe(201);
  });

  it("PUT replaces every field, clears omitted ones, keeps enabled and its own route", async () => {
    const fn = await create({ description: "d", keys: ["management"], cors: { origins: ["*"] } });
    await api(`/functions/${fn.id}/disable`, "PUT");
    const replacement = { name: fn.name, handler: "fns/other.ts", route: fn.route, methods: ["GET"] };
    const response = await api(`/functions/${fn.id}`, "PUT", replacement);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      function: { ...replacement, id: fn.id, description: null, keys: null, cors: null, enabled: false },
    });
  });

  it("enable/disable are idempotent and DELETE answers 204 then 404", async () => {
    const fn = await create();
    for (const action of ["disable", "disable", "enable", "enable"]) {
      const response = await api(`/functions/${fn.id}/${action}`, "PUT");
      expect(response.status).toBe(200);
      expect(((await response.json()) as { function: { enabled: boolean } }).function.enabled).toBe(action === "enable");
    }
    const deleted = await api(`/functions/${fn.id}`, "DELETE");
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    await expectError(await api(`/functions/${fn.id}`, "DELETE"), 404, `Function with id '${fn.id}' not found`);
  });

  it("stores an empty keys array as no keys", async () => {
    expect((await create({ keys: [] })).keys).toBeNull();
  });
});
