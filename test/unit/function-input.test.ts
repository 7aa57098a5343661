import { describe, expect, it } from "vitest";
import { functionInput } from "../../workers/shared/function-input";
import { parseInput } from "../../workers/shared/validation";

const base = { name: "hello", handler: "fns/hello.ts", route: "/hello", methods: ["GET"] };

function messageFor(body: Record<string, unknown>): string {
  try {
    parseInput(functionInput, body);
  } catch (error) {
    return (error as Error).message;
  }
  return "valid";
}

describe("function input validation (spec §4.4)", () => {
  it.each([
    [{ ...base, name: undefined }, "Invalid or missing name"],
    [{ ...base, name: "   " }, "Invalid or missing name"],
    [{ ...base, name: 5 }, "Invalid or missing name"],
    [{ ...base, handler: "" }, "Invalid or missing handler"],
    [{ ...base, route: "hello" }, "Invalid or missing route path"],
    [{ ...base, route: "/a//b" }, "Invalid or missing route path"],
    [{ ...base, route: undefined }, "Invalid or missing route path"],
    [{ ...base, methods: [] }, "Invalid or missing methods"],
    [{ ...base, methods: ["get"] }, "Invalid or missing methods"],
    [{ ...base, methods: "GET" }, "Invalid or missing methods"],
    [{ ...base, keys: "management" }, "keys must be an array of group IDs"],
    [{ ...base, keys: ["bad id"] }, "keys must be an array of valid string group IDs"],
    [{ ...base, keys: [1] }, "keys must be an array of valid string group IDs"],
    [{ ...base, cors: "yes" }, "cors must be an object"],
    [{ ...base, cors: {} }, "cors.origins must be a non-empty array of strings"],
    [{ ...base, cors: { origins: [] } }, "cors.origins must be a non-empty array of strings"],
    [{ ...base, cors: { origins: [""] } }, "cors.origins must contain only non-empty strings"],
    [{ ...base, cors: { origins: ["not a url"] } }, "cors.origins contains invalid URL: not a url"],
    [{ ...base, cors: { origins: ["*"], credentials: true } }, "cors.credentials cannot be true when origins includes '*'"],
    [{ ...base, cors: { origins: ["*"], credentials: "yes" } }, "cors.credentials must be a boolean"],
    [{ ...base, cors: { origins: ["*"], maxAge: -1 } }, "cors.maxAge must be a non-negative integer"],
    [{ ...base, cors: { origins: ["*"], maxAge: 1.5 } }, "cors.maxAge must be a non-negative integer"],
    [{ ...base, cors: { origins: ["*"], allowHeaders: "X" } }, "cors.allowHeaders must be an array of strings"],
    [{ ...base, cors: { origins: ["*"], exposeHeaders: [""] } }, "cors.exposeHeaders must contain only non-empty strings"],
  ])("%j answers %s", (body, message) => {
    expect(messageFor(body)).toBe(message);
  });

  it("stores methods as a sorted set and accepts every method", () => {
    const input = parseInput(functionInput, { ...base, methods: ["POST", "GET", "POST", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"] });
    expect(input.methods).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
  });

  it("keeps a valid CORS config and null keys", () => {
    const cors = { origins: ["https://app.example.com"], credentials: true, maxAge: 0, allowHeaders: ["X-A"], exposeHeaders: ["X-B"] };
    const input = parseInput(functionInput, { ...base, keys: null, cors });
    expect(input.cors).toEqual(cors);
    expect(input.keys).toBeNull();
  });
});
