import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDir, type RunningServer, startServer } from "./server";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let server: RunningServer;

/** Uploads test/fixtures/<name> as a manual source named <name>. */
async function uploadSource(name: string): Promise<void> {
  const created = await server.api("/api/sources", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name, type: "manual" }) });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  for (const file of filesUnder(join(FIXTURES, name))) {
    const path = relative(join(FIXTURES, name), file);
    const put = await server.api(`/api/sources/${id}/files/${path}`, { method: "PUT", body: readFileSync(file) });
    expect(put.status).toBeLessThan(300);
  }
}

async function addFunction(name: string, handler: string, route: string, methods = ["GET"], extra: Record<string, unknown> = {}) {
  const response = await server.api("/api/functions", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, handler: `handlers/${handler}`, route, methods, ...extra }),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer();
  await uploadSource("handlers");
  await uploadSource("shared");
  await addFunction("hello", "hello.ts", "/hello");
  await addFunction("user", "user-by-id.ts", "/users/:id");
  await addFunction("search", "search.ts", "/search");
  await addFunction("echo", "echo.ts", "/items", ["POST"]);
  await addFunction("headers", "headers.ts", "/headers", ["GET"], { keys: ["management"], cors: { origins: ["https://app.example"] } });
  await addFunction("redirect", "redirect.ts", "/go");
  await addFunction("page", "page.ts", "/page");
  await addFunction("greet", "uses-shared.ts", "/greet/:name");
});

afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const run = (path: string, init?: RequestInit) => fetch(`${server.functions}/run${path}`, { redirect: "manual", ...init });

describe("handlers from the original's docs, on workerd", () => {
  it("JSON hello with the request id", async () => {
    const response = await run("/hello");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ message: "Hello, World!", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(Number.isNaN(Date.parse(body.timestamp ?? ""))).toBe(false);
  });

  it("route params and query parameters", async () => {
    expect(await (await run("/users/42")).json()).toEqual({ userId: "42", fromHono: "42", route: "/users/:id" });
    expect(await (await run("/search?q=cats&limit=5&q=dogs")).json()).toEqual({ query: "dogs", limit: 5, all: { q: "dogs", limit: "5" } });
  });

  it("POST body echo, and 404 for a method the function does not list", async () => {
    const response = await run("/items", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "pen", tags: ["a"] }) });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ created: { name: "pen", tags: ["a"] }, method: "POST" });
    const wrong = await run("/items");
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toEqual({ error: "Function not found" });
  });

  it("headers in and out, behind a key, with CORS on the 401 and on the answer", async () => {
    const denied = await run("/headers", { headers: { Origin: "https://app.example" } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
    const preflight = await run("/headers", { method: "OPTIONS", headers: { Origin: "https://app.example" } });
    expect(preflight.status).toBe(204);
    const ok = await run("/headers", { headers: { Authorization: `Bearer ${server.apiKey}`, "User-Agent": "e2e", "X-Custom": "yes", Origin: "https://app.example" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
    expect(await ok.json()).toEqual({ agent: "e2e", custom: "yes", keyGroup: "management" });
  });

  it("c.redirect and c.html (with a helper module)", async () => {
    const redirect = await run("/go");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("Location")).toBe("/run/hello");
    const page = await run("/page?name=<Ada>");
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(await page.text()).toBe("<!doctype html><h1>Hello, &#60;Ada&#62;!</h1>");
  });

  it("imports across sources and keeps handler console output off the server's console", async () => {
    const response = await run("/greet/Grace");
    expect(await response.text()).toBe("Greetings, Grace.");
    await new Promise((r) => setTimeout(r, 200));
    expect(server.output()).not.toContain("greeting Grace");
  });

  it("serves HEAD through a GET function without a body", async () => {
    const response = await run("/hello", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});
