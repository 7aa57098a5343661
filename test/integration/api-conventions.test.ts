import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const KEY = "integration-test-key";
const api = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`http://localhost${path}`, { ...init, headers: { "X-API-Key": KEY, ...init.headers } });

describe("management API conventions", () => {
  it("GET /health answers 200 {status: ok}", async () => {
    const response = await SELF.fetch("http://localhost/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 401 without an X-API-Key and with an unknown one", async () => {
    for (const headers of [{}, { "X-API-Key": "nope" }] as Record<string, string>[]) {
      const response = await SELF.fetch("http://localhost/api/key-groups", { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "Unauthorized" });
    }
  });

  it("answers 400 Invalid JSON body for a malformed body", async () => {
    const response = await api("/api/key-groups", { method: "POST", body: "{nope" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Invalid JSON body" });
  });

  it("sets the security headers on management responses", async () => {
    const response = await api("/api/key-groups");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Security-Policy")).toBe("frame-ancestors 'none'");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("answers 404 for unknown API paths once authenticated", async () => {
    const response = await api("/api/nothing-here");
    expect(response.status).toBe(404);
  });
});
