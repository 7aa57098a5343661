import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const KEY = "integration-test-key";
function api(path: string, method = "GET", body?: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`http://localhost/api${path}`, {
    method,
    headers: { "X-API-Key": KEY, "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}
async function expectError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error });
}
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
async function createGroup(name = unique("group")) {
  const response = await api("/key-groups", "POST", { name });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; name: string };
}

describe("/api/key-groups", () => {
  it("lists the built-in management group", async () => {
    const { groups } = (await (await api("/key-groups")).json()) as { groups: { id: string }[] };
    expect(groups).toContainEqual({ id: "management", name: "management", description: "Management API keys" });
  });

  it("creates a group with a lower-cased name and answers 201 {id, name}", async () => {
    const name = unique("Team");
    const response = await api("/key-groups", "POST", { name, description: "people" });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; name: string };
    expect(created.name).toBe(name.toLowerCase());
    expect(created.id).toMatch(/^[a-z0-9]{20}$/);
    expect(await (await api(`/key-groups/${created.id}`)).json()).toEqual({ ...created, description: "people" });
  });

  it.each([
    [{}, "Missing required field: name"],
    [{ name: "" }, "Missing required field: name"],
    [{ name: "has space" }, "Invalid group name. Must be lowercase alphanumeric with dashes/underscores."],
    [[1], "Invalid JSON body"],
  ])("POST answers 400 for %j", async (body, error) => {
    await expectError(await api("/key-groups", "POST", body), 400, error);
  });

  it("POST answers 409 for a name that exists", async () => {
    const group = await createGroup();
    await expectError(await api("/key-groups", "POST", { name: group.name }), 409, `Group '${group.name}' already exists`);
  });

  it("GET/PUT/DELETE answer 400 for a bad id and 404 for an unknown one", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      await expectError(await api("/key-groups/bad.id", method, method === "PUT" ? {} : undefined), 400, "Invalid group ID");
      await expectError(await api("/key-groups/unknown1", method, method === "PUT" ? {} : undefined), 404, "Group not found");
    }
  });

  it("PUT changes only the description", async () => {
    const group = await createGroup();
    expect(await (await api(`/key-groups/${group.id}`, "PUT", { description: "new", name: "ignored" })).json()).toEqual({ success: true });
    expect(await (await api(`/key-groups/${group.id}`)).json()).toEqual({ ...group, description: "new" });
  });

  it("DELETE refuses the management group and groups with keys", async () => {
    await expectError(await api("/key-groups/management", "DELETE"), 403, "Cannot delete management group");
    const group = await createGroup();
    await api("/keys", "POST", { groupId: group.id, name: "one" });
    await expectError(await api(`/key-groups/${group.id}`, "DELETE"), 409, "Cannot delete group with 1 existing key(s). Delete keys first.");
  });

  it("DELETE removes an empty group", async () => {
    const group = await createGroup();
    expect(await (await api(`/key-groups/${group.id}`, "DELETE")).json()).toEqual({ success: true });
    expect((await api(`/key-groups/${group.id}`)).status).toBe(404);
  });
});

describe("/api/keys", () => {
  it("creates a key with a generated 43-character value and lists it decrypted", async () => {
    const group = await createGroup();
    const response = await api("/keys", "POST", { groupId: group.id, name: " Deploy-Bot ", description: "ci" });
    expect(response.status).toBe(201);
    const key = (await response.json()) as { id: string; name: string; value: string };
    expect(key.name).toBe("deploy-bot");
    expect(key.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { keys } = (await (await api(`/keys?groupId=${group.id}`)).json()) as { keys: unknown[] };
    expect(keys).toEqual([{ id: key.id, name: "deploy-bot", value: key.value, description: "ci", groupId: group.id, groupName: group.name }]);
    expect(await (await api(`/keys/${key.id}`)).json()).toEqual({
      key: { id: key.id, name: "deploy-bot", value: key.value, description: "ci" },
      group: { id: group.id, name: group.name, description: null },
    });
  });

  it.each([
    [{ name: "x" }, 400, "Missing required field: groupId"],
    [{ groupId: "bad id", name: "x" }, 400, "Invalid groupId"],
    [{ groupId: "management" }, 400, "Missing required field: name"],
    [{ groupId: "management", name: "Bad Name" }, 400, "Invalid key name. Must be lowercase alphanumeric with dashes/underscores."],
    [{ groupId: "management", name: "ok", value: "no spaces allowed" }, 400, "Invalid key value. Must be alphanumeric with dashes/underscores."],
    [{ groupId: "nosuchgroup", name: "ok" }, 404, "Group not found"],
  ])("POST %j answers %i", async (body, status, error) => {
    await expectError(await api("/keys", "POST", body), status, error);
  });

  it("POST answers 409 for a duplicate name and for a duplicate value in the group", async () => {
    const group = await createGroup();
    await api("/keys", "POST", { groupId: group.id, name: "a", value: "same-value" });
    await expectError(await api("/keys", "POST", { groupId: group.id, name: "a" }), 409, `A key with name 'a' already exists in group '${group.name}'`);
    await expectError(
      await api("/keys", "POST", { groupId: group.id, name: "b", value: "same-value" }),
      409,
      `A key with this value already exists in group '${group.name}'`,
    );
    const other = await createGroup();
    expect((await api("/keys", "POST", { groupId: other.id, name: "b", value: "same-value" })).status).toBe(201);
  });

  it("GET ?groupId answers 400 for a bad id and 404 for an unknown group", async () => {
    await expectError(await api("/keys?groupId=bad.id"), 400, "Invalid groupId parameter");
    await expectError(await api("/keys?groupId=unknown1"), 404, "Group not found");
  });

  it("PUT renames, revalues and clears the description; the new value authenticates", async () => {
    const { id } = (await (await api("/keys", "POST", { groupId: "management", name: unique("rot"), description: "d" })).json()) as { id: string };
    const newName = unique("renamed");
    expect((await api(`/keys/${id}`, "PUT", { name: newName, value: "rotated-value-1", description: "" })).status).toBe(200);
    const { key } = (await (await api(`/keys/${id}`)).json()) as { key: Record<string, unknown> };
    expect(key).toEqual({ id, name: newName, value: "rotated-value-1", description: null });
    expect((await api("/key-groups", "GET", undefined, { "X-API-Key": "rotated-value-1" })).status).toBe(200);
    await api(`/keys/${id}`, "DELETE");
    expect((await api("/key-groups", "GET", undefined, { "X-API-Key": "rotated-value-1" })).status).toBe(401);
  });

  it("PUT and DELETE answer 400/404 for bad and unknown ids", async () => {
    await expectError(await api("/keys/bad.id", "PUT", {}), 400, "Invalid key ID");
    await expectError(await api("/keys/unknown1", "PUT", {}), 404, "API key with id unknown1 not found");
    await expectError(await api("/keys/unknown1", "DELETE"), 404, "Key not found");
    await expectError(await api("/keys/unknown1"), 404, "Key not found");
  });

  it("only keys of groups in api.access-groups open /api", async () => {
    const group = await createGroup();
    const { value } = (await (await api("/keys", "POST", { groupId: group.id, name: "x" })).json()) as { value: string };
    expect((await api("/keys", "GET", undefined, { "X-API-Key": value })).status).toBe(401);
  });
});
