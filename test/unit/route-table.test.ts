import { describe, expect, it } from "vitest";
import type { FunctionDef } from "../../workers/shared/function-input";
import { buildRouteTable, type Invoke, stripRunPrefix } from "../../workers/router/run/route-table";

function fn(name: string, route: string, methods: string[], extra: Partial<FunctionDef> = {}): FunctionDef {
  return { id: `id-${name}`, name, description: null, handler: `fns/${name}.ts`, route, methods, keys: null, cors: null, enabled: true, ...extra };
}

// The fake invoke answers which function matched, with Hono's params.
const invoke: Invoke<object> = async (c, f) => c.json({ fn: f.name, params: c.req.param(), method: c.req.method, path: c.req.path });

async function call(functions: FunctionDef[], path: string, init: RequestInit = {}) {
  const app = buildRouteTable(functions, invoke);
  const request = stripRunPrefix(new Request(`http://localhost${path}`, init));
  const response = await app.fetch(request, { env: {}, requestId: "r1" }, { waitUntil() {}, passThroughOnException() {}, props: {} });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>) };
}

const NOT_FOUND = { error: "Function not found" };

describe("/run route table (Hono semantics, spec §2.3)", () => {
  it("serves route / as /run and /run/", async () => {
    const fns = [fn("root", "/", ["GET"])];
    expect((await call(fns, "/run")).body).toMatchObject({ fn: "root", path: "/" });
    expect((await call(fns, "/run/")).body).toMatchObject({ fn: "root", path: "/" });
  });

  it("passes decoded params, optional params and regex params", async () => {
    const fns = [fn("a", "/users/:id", ["GET"]), fn("b", "/posts/:slug?", ["GET"]), fn("c", "/n/:num{[0-9]+}", ["GET"])];
    expect((await call(fns, "/run/users/j%C3%BCrgen")).body).toMatchObject({ fn: "a", params: { id: "jürgen" } });
    expect((await call(fns, "/run/posts")).body).toMatchObject({ fn: "b", params: {} });
    expect((await call(fns, "/run/posts/x")).body).toMatchObject({ fn: "b", params: { slug: "x" } });
    expect((await call(fns, "/run/n/42")).body).toMatchObject({ fn: "c", params: { num: "42" } });
    expect((await call(fns, "/run/n/abc")).body).toEqual(NOT_FOUND);
  });

  it("matches wildcards and keeps trailing slashes strict", async () => {
    const fns = [fn("files", "/files/*", ["GET"]), fn("hello", "/hello", ["GET"])];
    expect((await call(fns, "/run/files/a/b/c")).body).toMatchObject({ fn: "files" });
    expect((await call(fns, "/run/hello")).body).toMatchObject({ fn: "hello" });
    expect((await call(fns, "/run/hello/")).status).toBe(404);
  });

  it("answers a wrong method with 404 Function not found, never 405", async () => {
    const res = await call([fn("a", "/a", ["GET"])], "/run/a", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
  });

  it("serves HEAD with GET routes (method HEAD, no body) and never HEAD-only routes", async () => {
    const head = await call([fn("a", "/a", ["GET"]), fn("b", "/b", ["HEAD"])], "/run/a", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect((await call([fn("b", "/b", ["HEAD"])], "/run/b", { method: "HEAD" })).status).toBe(404);
  });

  it("lets the name that sorts first win an overlap", async () => {
    const fns = [fn("a-me", "/users/me", ["GET"]), fn("b-id", "/users/:id", ["GET"])];
    expect((await call(fns, "/run/users/me")).body).toMatchObject({ fn: "a-me" });
    const reversed = [fn("a-id", "/users/:id", ["GET"]), fn("b-me", "/users/me", ["GET"])];
    expect((await call(reversed, "/run/users/me")).body).toMatchObject({ fn: "a-id" });
  });

  it("leaves disabled functions out (404 even when keys are required)", async () => {
    const res = await call([fn("a", "/a", ["GET"], { enabled: false, keys: ["g"] })], "/run/a");
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
  });
});

describe("/run CORS (spec §4.3)", () => {
  const cors = { origins: ["https://app.example.com"], credentials: true, exposeHeaders: ["X-Total"] };

  it("answers a preflight 204 without calling the function, even when OPTIONS is not listed", async () => {
    const res = await call([fn("a", "/a", ["GET"], { cors })], "/run/a", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example.com", "Access-Control-Request-Headers": "X-One, X-Two" },
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.com");
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("GET,HEAD,PUT,POST,DELETE,PATCH");
    expect(res.headers.get("Access-Control-Max-Age")).toBe("86400");
    expect(res.headers.get("Access-Control-Allow-Headers")).toBe("X-One,X-Two");
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBe("true");
  });

  it("adds headers to real responses, echoing only listed origins", async () => {
    const fns = [fn("a", "/a", ["GET"], { cors })];
    const ok = await call(fns, "/run/a", { headers: { Origin: "https://app.example.com" } });
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.com");
    expect(ok.headers.get("Access-Control-Expose-Headers")).toBe("X-Total");
    expect(ok.headers.get("Vary")).toBe("Origin");
    const other = await call(fns, "/run/a", { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("uses * only for origins exactly ['*'] and honours maxAge and allowHeaders", async () => {
    const fns = [fn("a", "/a", ["GET"], { cors: { origins: ["*"], maxAge: 60, allowHeaders: ["X-Custom"] } })];
    const res = await call(fns, "/run/a", { method: "OPTIONS", headers: { Origin: "https://x.example", "Access-Control-Request-Headers": "X-Other" } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Max-Age")).toBe("60");
    expect(res.headers.get("Access-Control-Allow-Headers")).toBe("X-Custom");
  });

  it("routes OPTIONS like any method when the path has no CORS config", async () => {
    expect((await call([fn("a", "/a", ["GET"])], "/run/a", { method: "OPTIONS" })).status).toBe(404);
    expect((await call([fn("a", "/a", ["OPTIONS"])], "/run/a", { method: "OPTIONS" })).body).toMatchObject({ fn: "a" });
  });

  it("applies no CORS for disabled functions", async () => {
    const res = await call([fn("a", "/a", ["GET"], { cors: { origins: ["*"] }, enabled: false })], "/run/a", { method: "OPTIONS" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
