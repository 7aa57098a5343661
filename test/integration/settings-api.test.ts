import { describe, expect, it } from "vitest";
import { api, expectError } from "./helpers";

type Listing = { settings: { name: string; value: string; default: string }[] };

describe("/api/settings", () => {
  it("lists every setting with its value and default", async () => {
    const { settings } = (await (await api("/settings")).json()) as Listing;
    expect(settings).toContainEqual({ name: "files.max-size-bytes", value: expect.any(String), default: "52428800" });
    expect(settings.map((s) => s.name)).toContain("api.access-groups");
    expect(settings.length).toBeGreaterThanOrEqual(14);
  });

  it("validates every value first and reports each problem in details", async () => {
    const response = await api("/settings", "PUT", { settings: { "log.level": "loud", "no.such": "1", "server.name": "Ok" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "Validation failed",
      details: [
        { name: "log.level", error: "Invalid value. Must be one of: debug, info, warn, error, none" },
        { name: "no.such", error: "Unknown setting name: no.such" },
      ],
    });
    const { settings } = (await (await api("/settings")).json()) as Listing;
    expect(settings.find((s) => s.name === "server.name")?.value).toBe("Crude Functions");
  });

  it.each([[{}], [{ settings: "x" }], [{ settings: [1] }]])("answers 400 for a body without a settings object: %j", async (body) => {
    await expectError(await api("/settings", "PUT", body), 400, "Missing or invalid 'settings' object");
  });

  it("applies a change to the very next request (api.access-groups)", async () => {
    const group = (await (await api("/key-groups", "POST", { name: `ops-${crypto.randomUUID().slice(0, 6)}` })).json()) as { id: string };
    const { value } = (await (await api("/keys", "POST", { groupId: group.id, name: "op" })).json()) as { value: string };
    expect((await api("/settings", "GET", undefined, { "X-API-Key": value })).status).toBe(401);
    const put = await api("/settings", "PUT", { settings: { "api.access-groups": `management,${group.id}` } });
    expect(await put.json()).toEqual({ success: true, updated: 1 });
    expect((await api("/settings", "GET", undefined, { "X-API-Key": value })).status).toBe(200);
    await api("/settings", "PUT", { settings: { "api.access-groups": "management" } });
    expect((await api("/settings", "GET", undefined, { "X-API-Key": value })).status).toBe(401);
  });

  it("always lets the operator's MANAGEMENT_API_KEY in, so an empty api.access-groups can be undone", async () => {
    const other = (await (await api("/keys", "POST", { groupId: "management", name: `m-${crypto.randomUUID().slice(0, 6)}` })).json()) as { value: string };
    expect((await api("/settings", "PUT", { settings: { "api.access-groups": "" } })).status).toBe(200);
    expect((await api("/settings", "GET", undefined, { "X-API-Key": other.value })).status).toBe(401);
    expect((await api("/settings", "PUT", { settings: { "api.access-groups": "management" } })).status).toBe(200);
    expect((await api("/settings", "GET", undefined, { "X-API-Key": other.value })).status).toBe(200);
  });
});
