import { describe, expect, it } from "vitest";
import { api, expectError, unique } from "./helpers";

async function create(body: Record<string, unknown>) {
  const response = await api("/secrets", "POST", body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string; name: string; scopeType: string };
}

describe("/api/secrets", () => {
  it("creates a global secret (scopeType or its alias scope) and hides values unless asked", async () => {
    const name = unique("DB_URL").replaceAll("-", "_");
    const created = await create({ name, value: "postgres://x", scope: "global", comment: "main db" });
    expect(created).toEqual({ id: expect.any(String), name, scopeType: "global" });
    const { secrets } = (await (await api("/secrets?scope=global")).json()) as { secrets: Record<string, unknown>[] };
    const listed = secrets.find((s) => s.id === created.id);
    expect(listed).toMatchObject({ name, comment: "main db", scopeType: "global", scopeRef: null });
    expect(listed).not.toHaveProperty("value");
    const withValues = (await (await api("/secrets?scope=global&includeValues=true")).json()) as { secrets: Record<string, unknown>[] };
    expect(withValues.secrets.find((s) => s.id === created.id)).toMatchObject({ value: "postgres://x", decryptionError: null });
    expect(await (await api(`/secrets/${created.id}`)).json()).toMatchObject({ value: "postgres://x" });
  });

  it.each([
    [{ value: "v", scopeType: "global" }, "Missing required field: name"],
    [{ name: "bad name", value: "v", scopeType: "global" }, "Invalid secret name. Must match pattern [a-zA-Z0-9_-]+"],
    [{ name: "N", scopeType: "global" }, "Missing required field: value"],
    [{ name: "N", value: "   ", scopeType: "global" }, "Secret value cannot be empty"],
    [{ name: "N", value: "v" }, "Missing required field: scopeType"],
    [{ name: "N", value: "v", scopeType: "planet" }, "Invalid scopeType 'planet'. Must be one of: global, function, group, key"],
    [{ name: "N", value: "v", scopeType: "group" }, "groupId is required for group-scoped secrets"],
    [{ name: "N", value: "x".repeat(16 * 1024 + 1), scopeType: "global" }, "Secret value exceeds the maximum size of 16384 bytes"],
  ])("POST answers 400 for %#", async (body, error) => {
    await expectError(await api("/secrets", "POST", body), 400, error);
  });

  it("answers 409 for a name taken in the same scope, and allows it in another", async () => {
    const name = unique("TOKEN");
    await create({ name, value: "a", scopeType: "global" });
    await expectError(await api("/secrets", "POST", { name, value: "b", scopeType: "global" }), 409, `A global secret with name '${name}' already exists`);
    await create({ name, value: "c", scopeType: "group", groupId: "management" });
    await expectError(
      await api("/secrets", "POST", { name, value: "d", scopeType: "group", groupId: "management" }),
      409,
      `A secret with name '${name}' already exists for this group`,
    );
    const byName = (await (await api(`/secrets/by-name/${name}`)).json()) as { secrets: { value: string }[] };
    expect(byName.secrets.map((s) => s.value).sort()).toEqual(["a", "c"]);
    const missing = unique("none");
    await expectError(await api(`/secrets/by-name/${missing}`), 404, `No secrets found with name '${missing}'`);
    await expectError(await api("/secrets/by-name/%ZZ"), 400, "Invalid secret name");
  });

  it("answers 404 when the scoped group or key does not exist", async () => {
    await expectError(await api("/secrets", "POST", { name: "X", value: "v", scopeType: "group", groupId: "nosuch" }), 404, "Group with id 'nosuch' not found");
    await expectError(await api("/secrets", "POST", { name: "X", value: "v", scopeType: "key", keyId: "nosuch" }), 404, "API key with id 'nosuch' not found");
  });

  it("filters by one id and answers 400 for a bad scope or id", async () => {
    await expectError(await api("/secrets?scope=nope"), 400, "Invalid scope 'nope'. Must be one of: global, function, group, key");
    await expectError(await api("/secrets?groupId=bad.id"), 400, "Invalid groupId");
    const group = (await (await api("/key-groups", "POST", { name: unique("sg") })).json()) as { id: string };
    const s = await create({ name: "G1", value: "v", scopeType: "group", groupId: group.id });
    const { secrets } = (await (await api(`/secrets?groupId=${group.id}`)).json()) as { secrets: { id: string; scopeRef: string }[] };
    expect(secrets).toEqual([expect.objectContaining({ id: s.id, scopeRef: group.id })]);
  });

  it("PUT changes value and comment; DELETE removes; both 404 for unknown ids", async () => {
    const s = await create({ name: unique("P"), value: "old", scopeType: "global" });
    await expectError(await api(`/secrets/${s.id}`, "PUT", {}), 400, "At least one field (value or comment) must be provided");
    await expectError(await api(`/secrets/${s.id}`, "PUT", { value: " " }), 400, "Secret value cannot be empty");
    expect(await (await api(`/secrets/${s.id}`, "PUT", { value: "new", comment: "c" })).json()).toEqual({ success: true });
    expect(await (await api(`/secrets/${s.id}`)).json()).toMatchObject({ value: "new", comment: "c" });
    await expectError(await api("/secrets/nosuch", "PUT", { value: "x" }), 404, "Secret with ID nosuch not found");
    expect(await (await api(`/secrets/${s.id}`, "DELETE")).json()).toEqual({ success: true });
    await expectError(await api(`/secrets/${s.id}`), 404, "Secret not found");
    await expectError(await api(`/secrets/${s.id}`, "DELETE"), 404, `Secret with ID ${s.id} not found`);
  });

  it("deletes group- and key-scoped secrets with their group and key", async () => {
    const group = (await (await api("/key-groups", "POST", { name: unique("cas") })).json()) as { id: string };
    const key = (await (await api("/keys", "POST", { groupId: group.id, name: "k" })).json()) as { id: string };
    const g = await create({ name: "GS", value: "v", scopeType: "group", groupId: group.id });
    const k = await create({ name: "KS", value: "v", scopeType: "key", keyId: key.id });
    await api(`/keys/${key.id}`, "DELETE");
    expect((await api(`/secrets/${k.id}`)).status).toBe(404);
    expect((await api(`/secrets/${g.id}`)).status).toBe(200);
    await api(`/key-groups/${group.id}`, "DELETE");
    expect((await api(`/secrets/${g.id}`)).status).toBe(404);
  });
});
